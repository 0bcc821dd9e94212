// The jobs Edge Function under real Deno, hosted with every other function
// exactly as `npm start` hosts them: a committed enqueue wakes it (LISTEN),
// it runs the registry's handlers, and it answers only with its secret.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, useTestDatabase } from "@/tests/support/db";
import { enqueueJob } from "@/modules/jobs/edge";
import { EDGE_FUNCTIONS, type FunctionHost, startFunctionHost } from "./functions.ts";

const t = useTestDatabase();
let service: postgres.Sql;
let host: FunctionHost;
const lines: string[] = [];

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 2, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  host = await startFunctionHost({ databaseUrl: t.appUrl, tickMs: 60_000, log: (l) => lines.push(l) });
}, 90_000);
afterAll(async () => {
  await host?.close();
  await service?.end();
});

const status = async (id: bigint | string) => (await t.admin`select status, last_error from jobs where id = ${String(id)}`)[0];

describe("the jobs function under Deno", () => {
  it("serves every listed function at /functions/v1/<name>", () => {
    expect(Object.keys(host.routes).sort()).toEqual(EDGE_FUNCTIONS.map((f) => f.name).sort());
    expect(Object.keys(host.routes)).toContain("jobs");
  });

  it("runs a job within moments of the commit that queued it", { timeout: 60_000 }, async () => {
    // The tick is a minute away: only the LISTEN nudge can run these in time.
    const ok = await enqueueJob(service, { kind: "jobs.prune", payload: { keep_days: 30 } });
    const bad = await enqueueJob(service, { kind: "jobs.prune", payload: { keep_days: 0 } });
    const unknown = await enqueueJob(service, { kind: "test.unregistered", payload: {} });
    await expect.poll(async () => (await status(ok)).status, { timeout: 30_000 }).toBe("succeeded");
    await expect.poll(async () => (await status(bad)).status, { timeout: 30_000 }).toBe("dead");
    expect((await status(bad)).last_error).toBe("keep_days must be a whole number of days from 1 to 3650; got 0");
    await expect.poll(async () => (await status(unknown)).status, { timeout: 30_000 }).toBe("dead");
    expect((await status(unknown)).last_error).toMatch(/^unknown_kind: no handler for "test.unregistered"/);
  });

  it("answers on the local API path only with the secret", { timeout: 60_000 }, async () => {
    const jobs = host.get("jobs")!;
    const url = "http://127.0.0.1:54321/functions/v1/jobs";
    expect((await jobs.handle(new Request(url, { method: "POST" }))).status).toBe(401);
    const res = await jobs.handle(new Request(url, { method: "POST", headers: { authorization: `Bearer ${jobs.secret}` } }));
    expect(res.status).toBeLessThan(300);
    expect(await res.json()).toMatchObject({ status: expect.stringMatching(/done|running/) });
  });

  it("prunes the webhook history on the queue's schedule", { timeout: 60_000 }, async () => {
    const owner = await createUser(t, { orgName: "Old Hooks" });
    const [{ id: endpointId }] = await t.admin`
      insert into webhook_endpoints (org_id, url, event_types) values (${owner.orgId}, 'https://hooks.example.test/in', '{deal.*}')
      returning id`;
    const [{ id: eventId }] = await t.admin`
      insert into domain_events (org_id, type, object_type, object_id, actor_type, data, occurred_at)
      values (${owner.orgId}, 'person.created', 'person', gen_random_uuid(), 'system', '{}', now() - interval '40 days')
      returning id`;
    const [{ id: deliveryId }] = await t.admin`
      insert into webhook_deliveries (org_id, endpoint_id, event_id, domain_event_id, event_type, status, attempts, next_attempt_at, created_at, delivered_at)
      select org_id, ${endpointId}, event_id, id, type, 'succeeded', 1, null, occurred_at, occurred_at from domain_events where id = ${eventId}
      returning id`;
    // Its next run comes due; the next tick of the queue runs it.
    await t.admin`update private.job_schedules set next_run_at = now() where name = 'webhooks.prune_history'`;
    host.get("jobs")!.nudge();
    await expect.poll(async () => (await t.admin`select 1 from webhook_deliveries where id = ${deliveryId}`).length, { timeout: 30_000 }).toBe(0);
    expect(await t.admin`select 1 from domain_events where id = ${eventId}`).toHaveLength(0);
    const [run] = await t.admin`select status, attempts from jobs where kind = 'webhooks.prune_history' order by id desc limit 1`;
    expect(run).toEqual({ status: "succeeded", attempts: 1 });
    const [next] = await t.admin`select next_run_at > now() + interval '9 minutes' as later from private.job_schedules where name = 'webhooks.prune_history'`;
    expect(next.later).toBe(true);
  });
});
