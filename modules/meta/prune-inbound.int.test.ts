// Raw inbound deliveries are pruned after 30 days by a daily job.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "@/modules/jobs/edge";
import { useTestDatabase } from "@/tests/support/db";
import { PRUNE_INBOUND_EVENTS_JOB, pruneInboundEvents } from "./prune-inbound";

const t = useTestDatabase();
let service: postgres.Sql;

beforeAll(() => {
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
});
afterAll(async () => {
  await service?.end();
});

describe("inbound_events.prune", () => {
  it("runs daily and drops deliveries older than 30 days, keeping newer ones", async () => {
    expect(await t.admin`select every::text from private.job_schedules where name = ${PRUNE_INBOUND_EVENTS_JOB}`).toEqual([{ every: "1 day" }]);
    await t.admin`insert into private.inbound_events (provider, dedupe_key, body, received_at)
                  values ('meta', 'old', '{}', now() - interval '31 days'), ('meta', 'new', '{}', now() - interval '29 days')`;
    await t.admin`update private.job_schedules set next_run_at = now() where name = ${PRUNE_INBOUND_EVENTS_JOB}`;
    await runJobs(service, { [PRUNE_INBOUND_EVENTS_JOB]: pruneInboundEvents });
    expect(await t.admin`select dedupe_key from private.inbound_events`).toEqual([{ dedupe_key: "new" }]);
  });

  it("drops Twilio call callbacks older than 30 days with them, keeping newer ones", async () => {
    const sid = (n: number) => `CA${String(n).padStart(32, "0")}`;
    await t.admin`insert into private.call_callbacks (call_sid, event, status, received_at)
                  values (${sid(1)}, 'status:completed', 'completed', now() - interval '31 days'),
                         (${sid(2)}, 'status:completed', 'completed', now() - interval '29 days')`;
    await t.admin`update private.job_schedules set next_run_at = now() where name = ${PRUNE_INBOUND_EVENTS_JOB}`;
    await runJobs(service, { [PRUNE_INBOUND_EVENTS_JOB]: pruneInboundEvents });
    expect(await t.admin`select call_sid from private.call_callbacks`).toEqual([{ call_sid: sid(2) }]);
  });
});
