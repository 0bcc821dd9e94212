// The webhook-dispatch Edge Function under real Deno, driven by the local
// scheduler (LISTEN + tick) exactly as `npm start` runs it, and killed
// mid-batch to show that no event is lost or duplicated; restarted after a
// crash, but not when it stops with the stack.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, useTestDatabase, type TestUser } from "@/tests/support/db";
import { type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { type DenoFunction, startDenoFunction } from "./deno.ts";
import { startWebhookScheduler, WEBHOOK_DISPATCH_FUNCTION } from "./webhooks.ts";

const t = useTestDatabase();
let owner: TestUser;
let receiver: Receiver;
const logs: string[] = [];
const log = (l: string) => logs.push(l);

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Deno Hooks" });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

async function endpoint(eventTypes: string[]) {
  return t.db.asUser(owner.claims, (tx) =>
    tx
      .insertInto("webhook_endpoints")
      .values({ org_id: owner.orgId, url: receiver.url, event_types: eventTypes })
      .returning(["id", "secret"])
      .executeTakeFirstOrThrow(),
  );
}

describe("webhook-dispatch under Deno", () => {
  it("delivers a committed change within moments, nudged by the commit", { timeout: 90_000 }, async () => {
    const scheduler = await startWebhookScheduler({ databaseUrl: t.appUrl, tickMs: 60_000, log });
    try {
      const ep = await endpoint(["person.updated"]);
      const person = await t.db.asUser(owner.claims, (tx) =>
        tx.insertInto("people").values({ org_id: owner.orgId, first_name: "Grace" }).returning("id").executeTakeFirstOrThrow(),
      );
      await t.db.asUser(owner.claims, (tx) =>
        tx.updateTable("people").set({ last_name: "Hopper" }).where("id", "=", person.id).execute(),
      );
      // The tick is a minute away: only the LISTEN nudge can deliver this in time.
      const [r] = await receiver.waitFor(1, 20_000);
      expect(receiver.verify(r, ep.secret)).toMatchObject({
        type: "person.updated",
        changes: { last_name: [null, "Hopper"] },
        data: { object: "person", id: person.id, first_name: "Grace", last_name: "Hopper" },
      });
      // The outcome is recorded once the receiver has answered.
      let d;
      for (let i = 0; i < 100; i++) {
        [d] = await t.admin`select * from webhook_deliveries where endpoint_id = ${ep.id}`;
        if (d.status !== "pending") break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(d).toMatchObject({ status: "succeeded", attempts: 1, event_id: r.id });

      // The function answers on the local API path, only with the secret.
      const url = "http://127.0.0.1:54321/functions/v1/webhook-dispatch";
      const denied = await scheduler.handle(new Request(url, { method: "POST" }));
      expect(denied.status).toBe(401);
      const run = await scheduler.handle(
        new Request(url, { method: "POST", headers: { authorization: `Bearer ${scheduler.secret}` } }),
      );
      expect(run.status).toBeLessThan(300);
      expect(await run.json()).toMatchObject({ status: expect.stringMatching(/done|running/) });
    } finally {
      await scheduler.close();
      receiver.received.length = 0;
    }
  });

  it("loses and duplicates nothing when the dispatcher is killed mid-batch", { timeout: 90_000 }, async () => {
    const ep = await endpoint(["company.created"]);
    await t.admin`insert into companies (org_id, name) select ${owner.orgId}, 'Co ' || g from generate_series(1, 40) g`;
    const env = { DATABASE_URL: t.appUrl, WEBHOOK_DISPATCH_SECRET: "s3cret", COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1", WEBHOOK_DISPATCH_LOCK_MS: "6000" };
    const call = (fn: DenoFunction) =>
      fetch(fn.url, { method: "POST", headers: { authorization: "Bearer s3cret" } }).then((r) => r.json());

    // Receivers that take their time, so the kill lands with requests in flight.
    receiver.behave(() => new Promise((r) => setTimeout(() => r({ status: 200 }), 5_000)));
    const first = await startDenoFunction(WEBHOOK_DISPATCH_FUNCTION, env, log);
    call(first).catch(() => {});
    await receiver.waitFor(10, 20_000);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const seenBeforeKill = new Set(receiver.received.map((r) => r.id));

    const [before] = await t.admin`
      select count(*) filter (where locked_until > now())::int as claimed,
             count(*) filter (where status = 'pending')::int as pending
      from webhook_deliveries where endpoint_id = ${ep.id}`;
    expect(before.pending).toBe(40);
    expect(before.claimed).toBeGreaterThan(0);
    expect(await t.admin`select 1 from webhook_attempts where endpoint_id = ${ep.id}`).toHaveLength(0);

    receiver.behave(() => ({ status: 200 }));
    const second = await startDenoFunction(WEBHOOK_DISPATCH_FUNCTION, env, log);
    let cameBack = 0;
    try {
      // Claims of the dead worker hold until they expire (long enough for a
      // second Deno to start on a busy machine)...
      const early = await call(second);
      // ...then come back.
      for (let i = 0; i < 200; i++) {
        const [{ held }] = await t.admin`select count(*)::int as held from webhook_deliveries
                                         where endpoint_id = ${ep.id} and status = 'pending' and locked_until > now()`;
        if (held === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const late = await call(second);
      cameBack = late.claimed;
      expect(cameBack).toBeGreaterThan(0);
      expect(early.claimed + late.claimed).toBe(40);
    } finally {
      await second.stop();
    }

    const rows = await t.admin`select d.status, d.attempts, d.event_id, e.event_id as source
                               from webhook_deliveries d join domain_events e on e.id = d.domain_event_id
                               where d.endpoint_id = ${ep.id}`;
    expect(rows).toHaveLength(40);
    expect(rows.every((d) => d.status === "succeeded" && d.attempts === 1 && d.event_id === d.source)).toBe(true);
    const ids = new Set(rows.map((d) => d.event_id));
    const received = receiver.received.map((r) => r.id);
    expect(new Set(received)).toEqual(ids);
    // Redelivered events kept their webhook-id; only the dead worker's claims came twice.
    for (const id of seenBeforeKill) expect(ids.has(id)).toBe(true);
    expect(received.length - ids.size).toBeLessThanOrEqual(cameBack);
    expect(await t.admin`select 1 from webhook_attempts where endpoint_id = ${ep.id}`).toHaveLength(40);
    for (const r of receiver.received) expect(receiver.verify(r, ep.secret)).toBeTruthy();
  });

  it("restarts a crashed function, but not one stopped by the Ctrl-C that stops the stack", { timeout: 90_000 }, async () => {
    const lines: string[] = [];
    const scheduler = await startWebhookScheduler({ databaseUrl: t.appUrl, tickMs: 60_000, log: (l) => lines.push(l) });
    // The function's process: this process's only child running it (pgrep exits 1 when there is none).
    const functionPid = () =>
      Number(execFileSync("pgrep", ["-P", String(process.pid), "-f", WEBHOOK_DISPATCH_FUNCTION], { encoding: "utf8" }).trim());
    const url = "http://127.0.0.1:54321/functions/v1/webhook-dispatch";
    try {
      const crashedUrl = scheduler.functionUrl;
      process.kill(functionPid(), "SIGKILL");
      await expect.poll(() => scheduler.functionUrl, { timeout: 60_000 }).not.toBe(crashedUrl);
      expect(lines).toContain("webhook-dispatch exited (SIGKILL); restarting");
      expect((await scheduler.handle(new Request(url, { method: "POST" }))).status).toBe(401);

      // The terminal's signal reaches the function first; the stack's shutdown closes the scheduler just after.
      lines.length = 0;
      process.kill(functionPid(), "SIGINT");
      await new Promise((r) => setTimeout(r, 300));
      await scheduler.close();
      await new Promise((r) => setTimeout(r, 2_000));
      expect(lines).toEqual([]);
      expect(() => functionPid()).toThrow();
    } finally {
      await scheduler.close();
    }
  });
});
