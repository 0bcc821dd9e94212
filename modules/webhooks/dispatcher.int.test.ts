// The webhook engine against a real database and real local receivers that
// verify signatures with the `standardwebhooks` library. Time is driven by
// moving next_attempt_at, never by sleeping through a backoff.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql as ksql } from "@/lib/db";
import { createMember, createUser, useTestDatabase, type TestUser } from "@/tests/support/db";
import { MAX_ATTEMPTS } from "@/lib/backoff";
import * as undici from "undici";
import { type DispatchOptions, runDispatch } from "./dispatcher.ts";
import { pinnedFetch, type Undici } from "./pinned-fetch.ts";
import { type Receiver, startReceiver } from "./testing.ts";

const t = useTestDatabase();
let owner: TestUser;
let other: TestUser;
let service: postgres.Sql;
let receiver: Receiver;

const noDns = async () => {
  throw new Error("no DNS in tests");
};
const send = pinnedFetch(undici as unknown as Undici);
const dispatch = (opts: Partial<DispatchOptions> = {}) =>
  runDispatch(service, { allowLoopback: true, resolve: noDns, send, timeoutMs: 2000, ...opts });

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Hooks Inc" });
  other = await createUser(t, { orgName: "Elsewhere" });
  service = postgres(t.appUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
});
afterAll(async () => {
  await service?.end();
  await send.close();
});

let endpointIds: string[] = [];
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});
afterEach(async () => {
  receiver.received.length = 0;
  receiver.behave(() => ({ status: 200, body: "ok" }));
  if (endpointIds.length) await t.admin`delete from webhook_endpoints where id = any(${endpointIds})`;
  endpointIds = [];
});

async function endpoint(
  user: TestUser,
  opts: { url?: string; eventTypes?: string[]; enabled?: boolean } = {},
): Promise<{ id: string; secret: string }> {
  const row = await t.db.asUser(user.claims, (tx) =>
    tx
      .insertInto("webhook_endpoints")
      .values({
        org_id: user.orgId,
        url: opts.url ?? receiver.url,
        event_types: opts.eventTypes ?? ["person.*"],
        enabled: opts.enabled ?? true,
      })
      .returning(["id", "secret"])
      .executeTakeFirstOrThrow(),
  );
  endpointIds.push(row.id);
  return row;
}

async function newPerson(user: TestUser, firstName = "Ada") {
  return t.db.asUser(user.claims, (tx) =>
    tx
      .insertInto("people")
      .values({ org_id: user.orgId, first_name: firstName, last_name: "Lovelace" })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
}

async function deliveries(endpointId: string) {
  return t.admin`select d.*, e.type as domain_type from webhook_deliveries d
                 join domain_events e on e.id = d.domain_event_id
                 where d.endpoint_id = ${endpointId} order by d.id`;
}

async function attempts(deliveryId: string | number) {
  return t.admin`select * from webhook_attempts where delivery_id = ${deliveryId} order by started_at, id`;
}

/** A loopback URL nothing listens on. */
async function closedPortUrl() {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/closed`;
}

/** Makes every pending delivery of the endpoint due now (as if its backoff passed). */
async function makeDue(endpointId: string) {
  await t.admin`update webhook_deliveries set next_attempt_at = now() - interval '1 second'
                where endpoint_id = ${endpointId} and status = 'pending'`;
}

describe("fan-out", () => {
  it("creates one delivery per matching enabled endpoint of the event's org, in the same transaction", async () => {
    const family = await endpoint(owner, { eventTypes: ["person.*"] });
    const exact = await endpoint(owner, { eventTypes: ["deal.moved", "person.updated"] });
    const all = await endpoint(owner, { eventTypes: ["*"] });
    const off = await endpoint(owner, { eventTypes: ["*"], enabled: false });
    const foreign = await endpoint(other, { eventTypes: ["*"] });
    const person = await newPerson(owner);
    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("people").set({ first_name: "Augusta" }).where("id", "=", person.id).execute(),
    );
    const types = async (id: string) => (await deliveries(id)).map((d) => d.event_type);
    expect(await types(family.id)).toEqual(["person.created", "person.updated"]);
    expect(await types(exact.id)).toEqual(["person.updated"]);
    expect(await types(all.id)).toEqual(["person.created", "person.updated"]);
    expect(await types(off.id)).toEqual([]);
    expect(await types(foreign.id)).toEqual([]);
    const [d] = await deliveries(family.id);
    const [ev] = await t.admin`select event_id from domain_events where id = ${d.domain_event_id}`;
    expect(d.event_id).toBe(ev.event_id);
    expect(d).toMatchObject({ status: "pending", attempts: 0, org_id: owner.orgId });
  });

  it("writes nothing when a rolled-back change never happened", async () => {
    const ep = await endpoint(owner);
    await expect(
      t.db.asUser(owner.claims, async (tx) => {
        await tx.insertInto("people").values({ org_id: owner.orgId, first_name: "Ghost" }).execute();
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await deliveries(ep.id)).toEqual([]);
  });

  it("fans a multi-row insert out in one statement, and nothing for an org without endpoints", async () => {
    const ep = await endpoint(owner);
    await t.admin`insert into people (org_id, first_name) select ${owner.orgId}, 'Bulk ' || g from generate_series(1, 50) g`;
    await t.admin`insert into people (org_id, first_name) select ${other.orgId}, 'Bulk ' || g from generate_series(1, 50) g`;
    expect(await deliveries(ep.id)).toHaveLength(50);
    const [n] = await t.admin`select count(*)::int as n from webhook_deliveries where org_id = ${other.orgId}`;
    expect(n.n).toBe(0);
  });

  it("validates URLs and event types in the database", async () => {
    const bad = async (values: Record<string, unknown>) =>
      t.db.asUser(owner.claims, (tx) =>
        tx
          .insertInto("webhook_endpoints")
          .values({ org_id: owner.orgId, url: "https://hooks.example.com/", event_types: ["person.*"], ...values })
          .execute(),
      );
    await expect(bad({ url: "ftp://hooks.example.com/" })).rejects.toMatchObject({ code: "23514" });
    await expect(bad({ url: "https://" })).rejects.toMatchObject({ code: "23514" });
    await expect(bad({ event_types: [] })).rejects.toMatchObject({ code: "23514" });
    await expect(bad({ event_types: ["Person.Created"] })).rejects.toMatchObject({ code: "23514" });
    await expect(bad({ event_types: ["person"] })).rejects.toMatchObject({ code: "23514" });
  });
});

describe("production nudge", () => {
  it("POSTs to the configured dispatcher through pg_net when it is installed", async () => {
    // A stand-in with pg_net's signature; plain PostgreSQL has no pg_net.
    await t.admin.unsafe(`
      create schema net;
      create table net.calls (url text, body jsonb, headers jsonb, timeout_milliseconds int);
      create function net.http_post(url text, body jsonb default '{}', params jsonb default '{}',
                                    headers jsonb default '{}', timeout_milliseconds int default 5000)
      returns bigint language sql as $$
        insert into net.calls values (url, body, headers, timeout_milliseconds) returning 1::bigint
      $$;`);
    try {
      const ep = await endpoint(owner, { eventTypes: ["person.created"] });
      // Not configured: nothing is sent.
      await newPerson(owner);
      expect(await t.admin`select * from net.calls`).toHaveLength(0);
      await t.admin`insert into private.settings (key, value) values
                    ('webhook_dispatch_url', 'https://project.example/functions/v1/webhook-dispatch'),
                    ('webhook_dispatch_secret', 'dispatch-secret')`;
      await newPerson(owner);
      const calls = await t.admin`select * from net.calls`;
      expect(calls).toEqual([
        {
          url: "https://project.example/functions/v1/webhook-dispatch",
          body: {},
          headers: { "Content-Type": "application/json", Authorization: "Bearer dispatch-secret" },
          timeout_milliseconds: 2000,
        },
      ]);
      // Events no endpoint wants send nothing.
      await t.db.asUser(owner.claims, (tx) =>
        tx.insertInto("companies").values({ org_id: owner.orgId, name: "Quiet Co" }).execute(),
      );
      expect(await t.admin`select * from net.calls`).toHaveLength(1);
      expect(await deliveries(ep.id)).toHaveLength(2);
    } finally {
      await t.admin.unsafe(`drop schema net cascade;
        delete from private.settings where key in ('webhook_dispatch_url', 'webhook_dispatch_secret');`);
    }
  });
});

describe("delivery", () => {
  it("delivers a change signed, with the record as the API shows it", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.updated"] });
    const person = await newPerson(owner);
    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("people").set({ first_name: "Augusta" }).where("id", "=", person.id).execute(),
    );
    const summary = await dispatch();
    expect(summary).toMatchObject({ claimed: 1, succeeded: 1, failed: 0 });
    const [r] = receiver.received;
    expect(receiver.verify(r, ep.secret)).toBeTruthy();
    const [d] = await deliveries(ep.id);
    expect(r.id).toBe(d.event_id);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.payload).toMatchObject({
      type: "person.updated",
      id: d.event_id,
      org_id: owner.orgId,
      actor: { type: "user", id: owner.id },
      changes: { first_name: ["Ada", "Augusta"] },
      data: { object: "person", id: person.id, first_name: "Augusta", last_name: "Lovelace" },
    });
    expect(r.payload.data).not.toHaveProperty("org_id");
    expect(Date.parse(r.payload.timestamp as string)).not.toBeNaN();
    expect(d).toMatchObject({ status: "succeeded", attempts: 1, last_status_code: 200, locked_until: null });
    expect(d.delivered_at).not.toBeNull();
    const [a] = await attempts(d.id);
    expect(a).toMatchObject({ attempt: 1, status_code: 200, error: null, response_excerpt: "ok", next_attempt_at: null });
    expect(a.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
  });

  it("retries while the receiver fails, then succeeds with the same webhook-id", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    receiver.behave((_r, n) => (n <= 2 ? { status: 500, body: "down for maintenance" } : { status: 204 }));

    expect(await dispatch()).toMatchObject({ claimed: 1, failed: 1, dead: 0 });
    let [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, last_status_code: 500, last_error: "http_error: HTTP 500" });
    const wait = d.next_attempt_at.getTime() - Date.now();
    expect(wait).toBeGreaterThan(3_000);
    expect(wait).toBeLessThanOrEqual(5_500);
    // Not due yet: nothing is sent.
    expect(await dispatch()).toMatchObject({ claimed: 0 });

    await makeDue(ep.id);
    expect(await dispatch()).toMatchObject({ claimed: 1, failed: 1 });
    await makeDue(ep.id);
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });

    [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, last_status_code: 204 });
    const log = await attempts(d.id);
    expect(log.map((a) => [a.attempt, a.status_code])).toEqual([[1, 500], [2, 500], [3, 204]]);
    expect(log[0].response_excerpt).toBe("down for maintenance");
    expect(log[0].next_attempt_at).not.toBeNull();
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([d.event_id]));
    for (const r of receiver.received) expect(receiver.verify(r, ep.secret)).toBeTruthy();
  });

  it("honours Retry-After", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    receiver.behave(() => ({ status: 429, headers: { "retry-after": "120" } }));
    await dispatch();
    const [d] = await deliveries(ep.id);
    expect(d.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(115_000);
    expect(d.next_attempt_at.getTime() - Date.now()).toBeLessThanOrEqual(120_500);

    await makeDue(ep.id);
    receiver.behave(() => ({ status: 503, headers: { "retry-after": new Date(Date.now() + 3600_000).toUTCString() } }));
    await dispatch();
    const [d2] = await deliveries(ep.id);
    expect(d2.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(3590_000);
  });

  it("logs timeouts, connection resets, refused connections and redirects without hanging", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    const errorOf = async () => (await deliveries(ep.id))[0].last_error as string;

    receiver.behave(() => "hang");
    const started = Date.now();
    await dispatch({ timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await errorOf()).toBe("timeout: no response within 0.3 s");

    await makeDue(ep.id);
    receiver.behave(() => "reset");
    await dispatch();
    expect(await errorOf()).toMatch(/^connection_reset/);

    await makeDue(ep.id);
    receiver.behave(() => ({ status: 302, headers: { location: "http://127.0.0.1:1/elsewhere" } }));
    await dispatch();
    expect(await errorOf()).toBe("redirect: 302 to http://127.0.0.1:1/elsewhere (redirects are not followed)");

    await makeDue(ep.id);
    await t.admin`update webhook_endpoints set url = ${await closedPortUrl()} where id = ${ep.id}`;
    await dispatch();
    expect(await errorOf()).toMatch(/^connection_refused/);

    const [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ status: "pending", attempts: 4 });
    const log = await attempts(d.id);
    expect(log.map((a) => a.status_code)).toEqual([null, null, 302, null]);
    // Every redirect attempt reached only our receiver, which saw no follow-up.
    expect(receiver.received.every((r) => r.headers.host?.startsWith("127.0.0.1"))).toBe(true);
  });

  it("keeps only the first 1 KB of a response body", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    receiver.behave(() => ({ status: 200, body: `${"x".repeat(5000)}\u0000` }));
    await dispatch();
    const [d] = await deliveries(ep.id);
    const [a] = await attempts(d.id);
    expect(a.response_excerpt).toBe("x".repeat(1024));
  });

  it("dead-letters after the last attempt; replay sends one or all again", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner, "One");
    await newPerson(owner, "Two");
    await newPerson(owner, "Three");
    receiver.behave(() => ({ status: 500 }));
    await t.admin`update webhook_deliveries set attempts = ${MAX_ATTEMPTS - 1} where endpoint_id = ${ep.id}`;
    expect(await dispatch()).toMatchObject({ claimed: 3, failed: 3, dead: 3 });
    const dead = await deliveries(ep.id);
    for (const d of dead) {
      expect(d).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS, next_attempt_at: null });
      expect(d.dead_at).not.toBeNull();
    }
    expect(await dispatch()).toMatchObject({ claimed: 0 });

    // A member may not replay; an admin replays one.
    const member = await createMember(t, owner.orgId, "member");
    const replay = (user: TestUser, ids: number[] | null) =>
      t.db.asUser(user.claims, async (tx) => {
        const { rows } = await ksql<{ n: number }>`select public.replay_webhook_deliveries(${ep.id}::uuid, ${ids}::bigint[]) as n`.execute(tx);
        return rows[0].n;
      });
    expect(await replay(member, null)).toBe(0);
    expect(await replay(other, null)).toBe(0);
    receiver.behave(() => ({ status: 200 }));
    expect(await replay(owner, [Number(dead[0].id)])).toBe(1);
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });
    const firstAgain = receiver.received.at(-1)!;
    expect(firstAgain.id).toBe(dead[0].event_id);

    expect(await replay(owner, null)).toBe(2);
    expect(await dispatch()).toMatchObject({ claimed: 2, succeeded: 2 });
    expect((await deliveries(ep.id)).map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const log = await attempts(dead[1].id);
    expect(log.map((a) => a.attempt)).toEqual([8, 1]);
  });

  it("signs with both secrets during a rotation's overlap, then only the new one", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    const rotated = await t.db.asUser(owner.claims, async (tx) => {
      const { rows } = await ksql<{ secret: string; previous_secret: string }>`
        select secret, previous_secret from public.rotate_webhook_secret(${ep.id}::uuid, interval '1 hour')`.execute(tx);
      return rows[0];
    });
    expect(rotated.previous_secret).toBe(ep.secret);
    expect(rotated.secret).not.toBe(ep.secret);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    await newPerson(owner);
    await dispatch();
    const [during] = receiver.received;
    expect(receiver.verify(during, ep.secret)).toBeTruthy();
    expect(receiver.verify(during, rotated.secret)).toBeTruthy();

    await t.admin`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${ep.id}`;
    await newPerson(owner);
    await dispatch();
    const after = receiver.received[1];
    expect(receiver.verify(after, rotated.secret)).toBeTruthy();
    expect(() => receiver.verify(after, ep.secret)).toThrow();

    // The audit log records the rotation but never a secret.
    const audit = await t.admin`select changes from audit_log where table_name = 'webhook_endpoints' and record_id = ${ep.id}`;
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit)).not.toContain(ep.secret.slice(6, 20));
    expect(JSON.stringify(audit)).not.toContain(rotated.secret.slice(6, 20));
  });

  it("refuses internal addresses outside the embedded runtime (SSRF), without a request", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    await dispatch({ allowLoopback: false });
    expect(receiver.received).toHaveLength(0);
    let [d] = await deliveries(ep.id);
    expect(d.last_error).toBe("ssrf_blocked: 127.0.0.1 is a loopback address (127.0.0.1)");

    await t.admin`update webhook_endpoints set url = 'http://169.254.169.254/latest/meta-data/' where id = ${ep.id}`;
    await makeDue(ep.id);
    await dispatch();
    [d] = await deliveries(ep.id);
    expect(d.last_error).toBe("ssrf_blocked: 169.254.169.254 is a link-local address (cloud metadata) (169.254.169.254)");

    await t.admin`update webhook_endpoints set url = 'https://[::ffff:10.0.0.1]/' where id = ${ep.id}`;
    await makeDue(ep.id);
    await dispatch();
    [d] = await deliveries(ep.id);
    expect(d.last_error).toMatch(/^ssrf_blocked: .* is a private address/);
    expect(receiver.received).toHaveLength(0);
  });

  it("connects to the address it checked, not to what the name resolves to by then (DNS rebinding)", async () => {
    const { port } = new URL(receiver.url);
    // `.invalid` never resolves (RFC 6761): only the checked answer can take the request anywhere.
    const ep = await endpoint(owner, { url: `http://hooks.rebind.invalid:${port}/hook`, eventTypes: ["person.created"] });
    const lookups: string[] = [];
    // The guard's answer: this machine, which the embedded runtime allows.
    const resolve = async (host: string) => {
      lookups.push(host);
      return ["127.0.0.1"];
    };
    await newPerson(owner, "Rebind");
    await dispatch({ resolve });
    const [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ status: "succeeded", last_error: null });
    expect(lookups).toEqual(["hooks.rebind.invalid"]);
    // The request still names the endpoint's host.
    expect(receiver.received.map((r) => r.headers.host)).toEqual([`hooks.rebind.invalid:${port}`]);
  });

  it("disables an endpoint after sustained failure and tells admins through an event", async () => {
    const watcher = await endpoint(owner, { eventTypes: ["integration.*"] });
    const failing = await endpoint(owner, { url: await closedPortUrl(), eventTypes: ["person.created"] });
    await newPerson(owner, "A");
    await newPerson(owner, "B");
    // One lane, so both deliveries are recorded in one statement.
    const opts = { disableAfterFailures: 3, disableAfterMs: 0, lanes: 1 };
    await dispatch(opts);
    let [ep] = await t.admin`select * from webhook_endpoints where id = ${failing.id}`;
    expect(ep).toMatchObject({ enabled: true, consecutive_failures: 2 });
    expect(ep.failing_since).not.toBeNull();

    await makeDue(failing.id);
    const summary = await dispatch(opts);
    expect(summary.disabled).toEqual([failing.id]);
    [ep] = await t.admin`select * from webhook_endpoints where id = ${failing.id}`;
    expect(ep).toMatchObject({ enabled: false, disabled_reason: "failing", consecutive_failures: 4 });
    expect(ep.disabled_at).not.toBeNull();
    // Its pending deliveries wait, out of the claim scan, until it is enabled.
    const pending = await deliveries(failing.id);
    expect(pending.map((d) => [d.status, d.next_attempt_at])).toEqual([
      ["pending", null],
      ["pending", null],
    ]);
    const [alert] = await t.admin`select * from domain_events where type = 'integration.webhook_disabled'`;
    expect(alert).toMatchObject({ org_id: owner.orgId, object_id: failing.id, actor_type: "system" });
    expect(alert.data).toMatchObject({ endpoint_id: failing.id, reason: "failing", consecutive_failures: 4 });
    // The alert is itself an event other endpoints may subscribe to.
    expect((await deliveries(watcher.id)).map((d) => d.event_type)).toEqual(["integration.webhook_disabled"]);
    const audit = await t.admin`select actor_type, changes from audit_log
                                where table_name = 'webhook_endpoints' and record_id = ${failing.id} and action = 'update'`;
    expect(audit.at(-1)).toMatchObject({ actor_type: "system", changes: { enabled: [true, false] } });

    // Enabling it again clears the failure history and makes the backlog due.
    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("webhook_endpoints").set({ enabled: true, url: receiver.url }).where("id", "=", failing.id).execute(),
    );
    [ep] = await t.admin`select * from webhook_endpoints where id = ${failing.id}`;
    expect(ep).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, consecutive_failures: 0, failing_since: null });
    await dispatch(opts);
    expect((await deliveries(failing.id)).map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("a success resets the failure count", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    receiver.behave(() => ({ status: 500 }));
    await dispatch();
    expect((await t.admin`select consecutive_failures from webhook_endpoints where id = ${ep.id}`)[0].consecutive_failures).toBe(1);
    receiver.behave(() => ({ status: 200 }));
    await makeDue(ep.id);
    await dispatch();
    const [row] = await t.admin`select consecutive_failures, failing_since from webhook_endpoints where id = ${ep.id}`;
    expect(row).toEqual({ consecutive_failures: 0, failing_since: null });
  });

  it("sends a test event to one endpoint only, for owners and admins", async () => {
    const ep = await endpoint(owner, { eventTypes: ["*"] });
    const bystander = await endpoint(owner, { eventTypes: ["*"] });
    const admin = await createMember(t, owner.orgId, "admin");
    const member = await createMember(t, owner.orgId, "member");
    const send = (user: TestUser) =>
      t.db.asUser(user.claims, async (tx) => {
        const { rows } = await ksql<{ id: string }>`select public.send_webhook_test(${ep.id}::uuid) as id`.execute(tx);
        return rows[0].id;
      });
    await expect(send(member)).rejects.toMatchObject({ code: "P0002" });
    await expect(send(other)).rejects.toMatchObject({ code: "P0002" });
    const eventId = await send(admin);
    await dispatch();
    expect(receiver.received).toHaveLength(1);
    const [r] = receiver.received;
    expect(r.id).toBe(eventId);
    expect(receiver.verify(r, ep.secret)).toMatchObject({ type: "webhook.test", data: { endpoint_id: ep.id } });
    expect(await deliveries(bystander.id)).toEqual([]);

    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("webhook_endpoints").set({ enabled: false }).where("id", "=", ep.id).execute(),
    );
    await expect(send(owner)).rejects.toMatchObject({ code: "P0001", hint: "enabled" });
    const [row] = await t.admin`select disabled_reason from webhook_endpoints where id = ${ep.id}`;
    expect(row.disabled_reason).toBe("manual");
  });

  it("shows endpoints, deliveries and attempts to owners and admins of the org only", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    await dispatch();
    const member = await createMember(t, owner.orgId, "member");
    const count = (user: TestUser) =>
      t.db.asUser(user.claims, async (tx) => ({
        endpoints: (await tx.selectFrom("webhook_endpoints").select("id").where("id", "=", ep.id).execute()).length,
        deliveries: (await tx.selectFrom("webhook_deliveries").select("id").where("endpoint_id", "=", ep.id).execute()).length,
        attempts: (await tx.selectFrom("webhook_attempts").select("id").where("endpoint_id", "=", ep.id).execute()).length,
      }));
    expect(await count(owner)).toEqual({ endpoints: 1, deliveries: 1, attempts: 1 });
    expect(await count(member)).toEqual({ endpoints: 0, deliveries: 0, attempts: 0 });
    expect(await count(other)).toEqual({ endpoints: 0, deliveries: 0, attempts: 0 });
    await expect(
      t.db.asUser(member.claims, (tx) =>
        tx.insertInto("webhook_endpoints").values({ org_id: owner.orgId, url: receiver.url, event_types: ["*"] }).execute(),
      ),
    ).rejects.toMatchObject({ code: "42501" });
  });
});

describe("claims", () => {
  it("lets concurrent dispatchers share the work without sending anything twice", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await t.admin`insert into people (org_id, first_name) select ${owner.orgId}, 'P' || g from generate_series(1, 300) g`;
    // The receiver shares this process with three dispatchers: no short timeouts.
    const opts = { batchSize: 20, lanes: 2, timeoutMs: 10_000 };
    const runs = await Promise.all([dispatch(opts), dispatch(opts), dispatch(opts)]);
    expect(runs.reduce((n, r) => n + r.succeeded, 0), JSON.stringify(runs)).toBe(300);
    expect(runs.filter((r) => r.claimed > 0).length).toBeGreaterThan(1);
    expect(receiver.received).toHaveLength(300);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(300);
    const [n] = await t.admin`select count(*)::int as n from webhook_deliveries where endpoint_id = ${ep.id} and status = 'succeeded'`;
    expect(n.n).toBe(300);
  });

  it("gives a crashed worker's claims back when they expire, with the same webhook-id", async () => {
    const ep = await endpoint(owner, { eventTypes: ["person.created"] });
    await newPerson(owner);
    // A worker claims and dies before recording anything.
    const [claimed] = await service`select * from private.claim_webhook_deliveries(10, interval '1 hour')`;
    expect(claimed.attempt).toBe(1);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    await t.admin`update webhook_deliveries set locked_until = now() - interval '1 second' where endpoint_id = ${ep.id}`;
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(receiver.received.map((r) => r.id)).toEqual([claimed.event_id]);
    // A late result from the dead worker is not recorded over the new one.
    await service`select private.record_webhook_attempts(${JSON.stringify([
      { delivery_id: claimed.delivery_id, attempt: 1, started_at: new Date().toISOString(), duration_ms: 1,
        status_code: 500, error: "http_error: HTTP 500", response_excerpt: "", succeeded: false,
        next_attempt_at: new Date().toISOString() },
    ])}::text::jsonb, 20, interval '1 hour')`;
    const [d] = await deliveries(ep.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await attempts(d.id)).toHaveLength(1);
  });

  it("is only for service_role", async () => {
    await expect(
      t.db.asUser(owner.claims, (tx) => ksql`select * from private.claim_webhook_deliveries(10, interval '1 minute')`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
  });
});
