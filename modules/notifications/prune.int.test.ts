// Read notifications are pruned after 90 days by a daily job; unread ones stay.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob, runJobs } from "@/modules/jobs/edge";
import { createUser, useTestDatabase } from "@/tests/support/db";
import { PRUNE_NOTIFICATIONS_JOB, pruneNotifications } from "./prune";

const t = useTestDatabase();
let service: postgres.Sql;

beforeAll(() => {
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
});
afterAll(async () => {
  await service?.end();
});

describe("notifications.prune", () => {
  it("runs daily and drops read notifications older than 90 days, keeping unread and newer ones", async () => {
    expect(await t.admin`select every::text from private.job_schedules where name = ${PRUNE_NOTIFICATIONS_JOB}`).toEqual([{ every: "1 day" }]);
    const owner = await createUser(t, { orgName: "Old News" });
    const other = await createUser(t, { orgName: "Other News" });
    const add = (u: { id: string; orgId: string }, key: string, age: string, read: boolean) =>
      t.admin`insert into notifications (org_id, user_id, type, title, dedupe_key, created_at, read_at)
              values (${u.orgId}, ${u.id}, 'lead_assigned', 'A lead', ${key}, now() - ${age}::interval,
                      case when ${read} then now() - ${age}::interval + interval '1 hour' end)`;
    await add(owner, "read-old", "91 days", true);
    await add(other, "read-old-elsewhere", "200 days", true);
    await add(owner, "unread-old", "400 days", false);
    await add(owner, "read-recent", "89 days", true);
    await t.admin`update private.job_schedules set next_run_at = now() where name = ${PRUNE_NOTIFICATIONS_JOB}`;
    await runJobs(service, { [PRUNE_NOTIFICATIONS_JOB]: pruneNotifications });
    expect((await t.admin`select dedupe_key from notifications order by dedupe_key`).map((r) => r.dedupe_key)).toEqual([
      "read-recent",
      "unread-old",
    ]);
    const [run] = await t.admin`select status from jobs where kind = ${PRUNE_NOTIFICATIONS_JOB}`;
    expect(run.status).toBe("succeeded");
  });

  it("keeps them longer when its payload says so, and refuses a retention that is not whole days", async () => {
    const owner = await createUser(t, { orgName: "Long Memory" });
    await t.admin`insert into notifications (org_id, user_id, type, title, dedupe_key, created_at, read_at)
                  values (${owner.orgId}, ${owner.id}, 'lead_assigned', 'A lead', 'read-100-days', now() - interval '100 days', now())`;
    await enqueueJob(service, { kind: PRUNE_NOTIFICATIONS_JOB, payload: { keep_days: 365 } });
    await enqueueJob(service, { kind: PRUNE_NOTIFICATIONS_JOB, payload: { keep_days: 1.5 } });
    await runJobs(service, { [PRUNE_NOTIFICATIONS_JOB]: pruneNotifications });
    expect(await t.admin`select 1 from notifications where dedupe_key = 'read-100-days'`).toHaveLength(1);
    const [bad] = await t.admin`select status, last_error from jobs where kind = ${PRUNE_NOTIFICATIONS_JOB} and payload = '{"keep_days": 1.5}'`;
    expect(bad).toEqual({ status: "dead", last_error: "keep_days must be a whole number of days from 1 to 3650; got 1.5" });
  });
});
