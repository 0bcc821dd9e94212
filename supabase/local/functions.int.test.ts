// The jobs Edge Function under real Deno, hosted with every other function
// exactly as `npm start` hosts them: a committed enqueue wakes it (LISTEN),
// it runs the registry's handlers, and it answers only with its secret.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/tests/support/db";
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
});
