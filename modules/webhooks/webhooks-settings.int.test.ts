import { afterEach, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { sql } from "@/lib/db";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getEndpoint, listAttempts, listDeadLetters, listEndpoints, listFailingEndpoints } from "./queries";
import { outcome } from "@/tests/support/outcome";
import * as service from "./service";
import type { SessionActor } from "@/lib/auth/actor";

const t = useTestDatabase();

// Each settings call as the webhooks page's action answers it.
const createEndpoint = (...a: Parameters<typeof service.createEndpoint>) => outcome(service.createEndpoint(...a));
const updateEndpoint = (...a: Parameters<typeof service.updateEndpoint>) => outcome(service.updateEndpoint(...a));
const setEndpointEnabled = (...a: Parameters<typeof service.setEndpointEnabled>) => outcome(service.setEndpointEnabled(...a));
const deleteEndpoint = (...a: Parameters<typeof service.deleteEndpoint>) => outcome(service.deleteEndpoint(...a));
const revealSecret = (...a: Parameters<typeof service.revealSecret>) => outcome(service.revealSecret(...a));
const rotateSecret = (...a: Parameters<typeof service.rotateSecret>) => outcome(service.rotateSecret(...a));
const sendTestEvent = (...a: Parameters<typeof service.sendTestEvent>) => outcome(service.sendTestEvent(...a));
const replayDeliveries = (...a: Parameters<typeof service.replayDeliveries>) => outcome(service.replayDeliveries(...a));

const actor = (u: TestUser, role: Role = "owner"): SessionActor => ({ claims: u.claims, orgId: u.orgId, role });

function expectOk<T>(r: { ok: true; data: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.data;
}

async function addEndpoint(a: SessionActor, input: Record<string, unknown> = {}) {
  return expectOk(
    await createEndpoint(t.db, a, { url: "https://hooks.example.com/covey", eventTypes: ["person.*"], ...input }),
  ).id;
}

const endpointRow = async (id: string) => (await t.admin`select * from webhook_endpoints where id = ${id}`)[0];

/**
 * Plays the dispatcher (as service_role, through its two functions): claims
 * what is due and records one outcome for each claimed delivery of
 * `endpointId` (other tests' deliveries stay claimed until the lock expires).
 */
async function dispatch(endpointId: string, outcome: { status: number | null; error?: string; last?: boolean }) {
  return t.db.asService(async (tx) => {
    const { rows } = await sql<{ delivery_id: string; attempt: number }>`
      select delivery_id, attempt from private.claim_webhook_deliveries(1000, interval '1 minute')
      where endpoint_id = ${endpointId}`.execute(tx);
    const ok = outcome.status !== null && outcome.status < 300 && !outcome.error;
    const results = rows.map((r) => ({
      delivery_id: Number(r.delivery_id),
      attempt: r.attempt,
      started_at: new Date().toISOString(),
      duration_ms: 12,
      status_code: outcome.status,
      error: outcome.error ?? (ok ? null : `http_${outcome.status}`),
      response_excerpt: ok ? "thanks" : "nope",
      succeeded: ok,
      next_attempt_at: ok || outcome.last ? null : new Date(Date.now() + 60_000).toISOString(),
    }));
    await sql`select private.record_webhook_attempts(${JSON.stringify(results)}::text::jsonb, 1000, interval '1 hour')`.execute(tx);
    return rows.length;
  });
}

afterEach(() => {
  delete process.env.COVEY_WEBHOOKS_ALLOW_LOOPBACK;
});

describe("adding and editing endpoints", () => {
  it("creates an endpoint with a generated secret and a normalised subscription", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner), {
      url: "  https://hooks.example.com/covey  ",
      description: "CRM sync",
      eventTypes: ["deal.moved", "person.created", "person.*", "deal.won"],
    });
    const row = await endpointRow(id);
    expect(row).toMatchObject({
      org_id: owner.orgId,
      url: "https://hooks.example.com/covey",
      description: "CRM sync",
      event_types: ["person.*", "deal.moved", "deal.won"],
      enabled: true,
      created_by: owner.id,
    });
    expect(row.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [listed] = await t.db.asUser(owner.claims, (tx) => listEndpoints(tx));
    expect(listed).toMatchObject({ id, status: "enabled", attempts: 0, succeeded: 0, last_attempt: null });
    expect(listed).not.toHaveProperty("secret");
  });

  it("names the field at fault and writes nothing", async () => {
    const owner = await createUser(t);
    const a = actor(owner);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ url: "" }, "url", /Enter the endpoint's URL/],
      [{ url: "hooks.example.com" }, "url", /full URL/],
      [{ url: "ftp://hooks.example.com/x" }, "url", /https/],
      [{ url: "https://user:pw@hooks.example.com/x" }, "url", /credentials/],
      [{ url: `https://hooks.example.com/${"x".repeat(2000)}` }, "url", /too long/],
      [{ url: "http://hooks.example.com/x" }, "url", /must start with https/],
      [{ url: "https://10.1.2.3/x" }, "url", /private address/],
      [{ url: "https://169.254.169.254/latest" }, "url", /link-local/],
      [{ url: "http://127.0.0.1:8080/x" }, "url", /loopback/],
      [{ url: "https://localhost/x" }, "url", /loopback/],
      [{ description: "d".repeat(501) }, "description", /too long/],
      [{ eventTypes: [] }, "eventTypes", /at least one event type/],
      [{ eventTypes: ["person.*", "person.exploded"] }, "eventTypes", /Unknown event type: person\.exploded/],
      [{ eventTypes: ["webhook.test"] }, "eventTypes", /Unknown event type/],
    ];
    for (const [input, field, message] of cases) {
      const r = await createEndpoint(t.db, a, { url: "https://hooks.example.com/x", eventTypes: ["person.*"], ...input });
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.fieldErrors?.[field], JSON.stringify(input)).toMatch(message);
    }
    const [{ n }] = await t.admin`select count(*)::int as n from webhook_endpoints where org_id = ${owner.orgId}`;
    expect(n).toBe(0);
  });

  it("accepts loopback receivers only where the runtime allows them", async () => {
    const owner = await createUser(t);
    process.env.COVEY_WEBHOOKS_ALLOW_LOOPBACK = "1";
    await addEndpoint(actor(owner), { url: "http://127.0.0.1:4555/hooks" });
    await addEndpoint(actor(owner), { url: "http://localhost:4555/hooks" });
    const r = await createEndpoint(t.db, actor(owner), { url: "http://hooks.example.com/x", eventTypes: ["*"] });
    expect(r.ok ? null : r.fieldErrors?.url).toMatch(/https/);
    const internal = await createEndpoint(t.db, actor(owner), { url: "https://192.168.1.10/x", eventTypes: ["*"] });
    expect(internal.ok ? null : internal.fieldErrors?.url).toMatch(/private address/);
  });

  it("edits URL, description and event types", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    expectOk(
      await updateEndpoint(t.db, actor(owner), {
        id,
        url: "https://other.example.com/in",
        description: "",
        eventTypes: ["*", "deal.moved"],
      }),
    );
    expect(await endpointRow(id)).toMatchObject({ url: "https://other.example.com/in", description: null, event_types: ["*"] });
    const bad = await updateEndpoint(t.db, actor(owner), { id, url: "https://10.0.0.1/", eventTypes: ["*"] });
    expect(bad.ok).toBe(false);
    expect((await endpointRow(id)).url).toBe("https://other.example.com/in");
  });
});

describe("secrets", () => {
  it("reveals the secret and rotates it with an overlap window", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    const { secret } = expectOk(await revealSecret(t.db, actor(owner), { id }));
    expect(secret).toBe((await endpointRow(id)).secret);

    const { previousExpiresAt } = expectOk(await rotateSecret(t.db, actor(owner), { id }));
    const row = await endpointRow(id);
    expect(row.secret).not.toBe(secret);
    expect(row.previous_secret).toBe(secret);
    const hours = (previousExpiresAt!.getTime() - Date.now()) / 3600e3;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const detail = await t.db.asUser(owner.claims, (tx) => getEndpoint(tx, id));
    expect(detail?.previous_secret_expires_at?.getTime()).toBe(previousExpiresAt!.getTime());

    // Both secrets sign while the overlap lasts.
    await t.db.asUser(owner.claims, (tx) => sql`select public.send_webhook_test(${id})`.execute(tx));
    const claimed = await t.db.asService(async (tx) => {
      const { rows } = await sql<{ secrets: string[] }>`
        select secrets from private.claim_webhook_deliveries(10, interval '1 minute')`.execute(tx);
      return rows;
    });
    expect(claimed).toEqual([{ secrets: [row.secret, secret] }]);

    expectOk(await rotateSecret(t.db, actor(owner), { id, overlapHours: 0 }));
    const now = await endpointRow(id);
    expect(now.previous_secret).toBeNull();
    expect(now.previous_secret_expires_at).toBeNull();
    expect(now.secret).not.toBe(row.secret);

    const bad = await rotateSecret(t.db, actor(owner), { id, overlapHours: 5 });
    expect(bad.ok ? null : bad.fieldErrors?.overlapHours).toMatch(/how long/);
  });

  it("keeps secrets out of the audit log", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    expectOk(await rotateSecret(t.db, actor(owner), { id }));
    const secret = (await endpointRow(id)).secret;
    const audit = await t.admin`select changes::text as c from audit_log where record_id = ${id}`;
    expect(audit.length).toBeGreaterThan(0);
    for (const a of audit) expect(a.c ?? "").not.toContain(secret.slice(6));
  });
});

describe("enabling, disabling and deleting", () => {
  it("disables manually and re-enables an endpoint the dispatcher turned off", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    expectOk(await setEndpointEnabled(t.db, actor(owner), { id, enabled: false }));
    expect(await endpointRow(id)).toMatchObject({ enabled: false, disabled_reason: "manual" });
    const test = await sendTestEvent(t.db, actor(owner), { id });
    expect(test.ok ? null : test.error).toMatch(/Enable the endpoint/);

    expectOk(await setEndpointEnabled(t.db, actor(owner), { id, enabled: true }));
    await t.admin`update webhook_endpoints set enabled = false, disabled_reason = 'failing', consecutive_failures = 40,
                  failing_since = now() - interval '3 days' where id = ${id}`;
    const failing = await t.db.asUser(owner.claims, (tx) => listFailingEndpoints(tx));
    expect(failing.map((f) => f.id)).toEqual([id]);
    expect((await t.db.asUser(owner.claims, (tx) => listEndpoints(tx)))[0].status).toBe("failing");

    expectOk(await setEndpointEnabled(t.db, actor(owner), { id, enabled: true }));
    expect(await endpointRow(id)).toMatchObject({
      enabled: true,
      disabled_reason: null,
      consecutive_failures: 0,
      failing_since: null,
    });
    expect(await t.db.asUser(owner.claims, (tx) => listFailingEndpoints(tx))).toEqual([]);
  });

  it("deletes an endpoint with its deliveries", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    expectOk(await sendTestEvent(t.db, actor(owner), { id }));
    expectOk(await deleteEndpoint(t.db, actor(owner), { id }));
    expect(await endpointRow(id)).toBeUndefined();
    const [{ n }] = await t.admin`select count(*)::int as n from webhook_deliveries where endpoint_id = ${id}`;
    expect(n).toBe(0);
    expect(await deleteEndpoint(t.db, actor(owner), { id })).toMatchObject({ ok: false, error: /no longer exists/ });
  });
});

describe("test events, the delivery log and dead letters", () => {
  it("sends a test event to this endpoint only and logs its attempts, newest first", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner), { eventTypes: ["*"] });
    const other = await addEndpoint(actor(owner), { eventTypes: ["*"] });
    const { eventId } = expectOk(await sendTestEvent(t.db, actor(owner), { id }));
    const deliveries = await t.admin`select endpoint_id, event_id, event_type from webhook_deliveries where org_id = ${owner.orgId}`;
    expect(deliveries).toEqual([{ endpoint_id: id, event_id: eventId, event_type: "webhook.test" }]);

    expect(await dispatch(id, { status: 500 })).toBe(1);
    await t.admin`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${id}`;
    expect(await dispatch(id, { status: 204 })).toBe(1);

    const log = await t.db.asUser(owner.claims, (tx) => listAttempts(tx, id));
    expect(log.rows.map((r) => [r.attempt, r.status_code, r.succeeded, r.event_type, r.event_id])).toEqual([
      [2, 204, true, "webhook.test", eventId],
      [1, 500, false, "webhook.test", eventId],
    ]);
    expect(log.next_cursor).toBeNull();
    const failed = await t.db.asUser(owner.claims, (tx) => listAttempts(tx, id, { status: "failed" }));
    expect(failed.rows.map((r) => r.status_code)).toEqual([500]);
    expect(await t.db.asUser(owner.claims, (tx) => listAttempts(tx, other))).toEqual({ rows: [], next_cursor: null });

    const [summary] = (await t.db.asUser(owner.claims, (tx) => listEndpoints(tx))).filter((e) => e.id === id);
    expect(summary).toMatchObject({ attempts: 2, succeeded: 1, last_attempt: { succeeded: true, status_code: 204 } });
  });

  it("pages through the log with a keyset cursor", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    for (let i = 0; i < 5; i++) expectOk(await sendTestEvent(t.db, actor(owner), { id }));
    await dispatch(id, { status: 200 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await t.db.asUser(owner.claims, (tx) => listAttempts(tx, id, { cursor, limit: 2 }));
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("lists dead letters and replays one or all of them", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    for (let i = 0; i < 3; i++) expectOk(await sendTestEvent(t.db, actor(owner), { id }));
    await dispatch(id, { status: null, error: "timeout", last: true });
    const dead = await t.db.asUser(owner.claims, (tx) => listDeadLetters(tx, id));
    expect(dead.rows).toHaveLength(3);
    expect(dead.rows[0]).toMatchObject({ event_type: "webhook.test", attempts: 1, last_error: "timeout" });
    expect((await t.db.asUser(owner.claims, (tx) => getEndpoint(tx, id)))?.dead).toBe(3);
    const first = await t.db.asUser(owner.claims, (tx) => listDeadLetters(tx, id, { limit: 2 }));
    const second = await t.db.asUser(owner.claims, (tx) => listDeadLetters(tx, id, { limit: 2, cursor: first.next_cursor! }));
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(dead.rows.map((r) => r.id));
    expect(second.next_cursor).toBeNull();

    const one = expectOk(await replayDeliveries(t.db, actor(owner), { id, deliveryIds: [dead.rows[0].id] }));
    expect(one.replayed).toBe(1);
    const [replayed] = await t.admin`select status, attempts, dead_at from webhook_deliveries where id = ${dead.rows[0].id}`;
    expect(replayed).toEqual({ status: "pending", attempts: 0, dead_at: null });
    expect(expectOk(await replayDeliveries(t.db, actor(owner), { id, deliveryIds: [dead.rows[0].id] })).replayed).toBe(0);
    // A cursor at a delivery that is no longer dead starts over from the newest.
    const restarted = await t.db.asUser(owner.claims, (tx) => listDeadLetters(tx, id, { cursor: dead.rows[0].id }));
    expect(restarted.rows.map((r) => r.id)).toEqual(dead.rows.slice(1).map((r) => r.id));

    expect(expectOk(await replayDeliveries(t.db, actor(owner), { id })).replayed).toBe(2);
    expect((await t.db.asUser(owner.claims, (tx) => listDeadLetters(tx, id))).rows).toEqual([]);
    // Replayed deliveries start again at attempt 1.
    await dispatch(id, { status: 200 });
    const log = await t.db.asUser(owner.claims, (tx) => listAttempts(tx, id, { status: "succeeded" }));
    expect(log.rows.map((r) => r.attempt)).toEqual([1, 1, 1]);

    const bad = await replayDeliveries(t.db, actor(owner), { id, deliveryIds: ["x"] });
    expect(bad.ok).toBe(false);
  });
});

describe("who may manage webhooks", () => {
  it("refuses managers and members, in the service and in the database", async () => {
    const owner = await createUser(t);
    const id = await addEndpoint(actor(owner));
    for (const role of ["manager", "member"] as const) {
      const m = await createMember(t, owner.orgId, role);
      const a = actor(m, role);
      for (const r of [
        await createEndpoint(t.db, a, { url: "https://x.example.com/", eventTypes: ["*"] }),
        await updateEndpoint(t.db, a, { id, url: "https://x.example.com/", eventTypes: ["*"] }),
        await setEndpointEnabled(t.db, a, { id, enabled: false }),
        await deleteEndpoint(t.db, a, { id }),
        await revealSecret(t.db, a, { id }),
        await rotateSecret(t.db, a, { id }),
        await sendTestEvent(t.db, a, { id }),
        await replayDeliveries(t.db, a, { id }),
      ]) {
        expect(r).toMatchObject({ ok: false, code: "forbidden", error: "Only owners and admins can manage webhooks." });
      }
      // A role claimed wrongly in the app still meets RLS and the functions' checks.
      const lying = actor(m, "admin");
      expect(await t.db.asUser(m.claims, (tx) => listEndpoints(tx))).toEqual([]);
      expect(await revealSecret(t.db, lying, { id })).toMatchObject({ ok: false, code: "not_found", error: /no longer exists/ });
      expect(await setEndpointEnabled(t.db, lying, { id, enabled: false })).toMatchObject({ ok: false });
      expect(await sendTestEvent(t.db, lying, { id })).toMatchObject({ ok: false, error: /no longer exists/ });
      expect(await rotateSecret(t.db, lying, { id })).toMatchObject({ ok: false, error: /no longer exists/ });
      expect(await createEndpoint(t.db, lying, { url: "https://x.example.com/", eventTypes: ["*"] })).toMatchObject({
        ok: false,
        code: "forbidden",
        error: "Only owners and admins can manage webhooks.",
      });
    }
    expect(await endpointRow(id)).toMatchObject({ enabled: true, url: "https://hooks.example.com/covey" });
  });

  it("lets an admin manage them", async () => {
    const owner = await createUser(t);
    const admin = await createMember(t, owner.orgId, "admin");
    const id = await addEndpoint(actor(admin, "admin"));
    expectOk(await rotateSecret(t.db, actor(admin, "admin"), { id }));
    expect((await endpointRow(id)).created_by).toBe(admin.id);
  });

  it("keeps other organizations' endpoints invisible and untouchable", async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const id = await addEndpoint(actor(a));
    expectOk(await sendTestEvent(t.db, actor(a), { id }));
    await dispatch(id, { status: null, error: "timeout", last: true });

    const asB = actor(b);
    expect(await t.db.asUser(b.claims, (tx) => listEndpoints(tx))).toEqual([]);
    expect(await t.db.asUser(b.claims, (tx) => getEndpoint(tx, id))).toBeNull();
    expect(await t.db.asUser(b.claims, (tx) => listAttempts(tx, id))).toEqual({ rows: [], next_cursor: null });
    expect(await t.db.asUser(b.claims, (tx) => listDeadLetters(tx, id))).toEqual({ rows: [], next_cursor: null });
    for (const r of [
      await updateEndpoint(t.db, asB, { id, url: "https://evil.example.com/", eventTypes: ["*"] }),
      await setEndpointEnabled(t.db, asB, { id, enabled: false }),
      await deleteEndpoint(t.db, asB, { id }),
      await revealSecret(t.db, asB, { id }),
      await rotateSecret(t.db, asB, { id }),
      await sendTestEvent(t.db, asB, { id }),
      await replayDeliveries(t.db, asB, { id }),
    ]) {
      expect(r).toMatchObject({ ok: false, error: "This webhook endpoint no longer exists." });
    }
    expect(await endpointRow(id)).toMatchObject({ enabled: true, url: "https://hooks.example.com/covey" });
    const [{ n }] = await t.admin`select count(*)::int as n from webhook_deliveries where endpoint_id = ${id} and status = 'dead'`;
    expect(n).toBe(1);
  });
});
