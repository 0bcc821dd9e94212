// The calls endpoints through the real route handler, on real Postgres under
// RLS: logging a call (the Log call dialog's checks, once per
// Idempotency-Key, its timeline item and call.logged), the call as GET shows
// it equal to every call.* webhook's data, lists with their filters and
// pages, scopes, and other orgs' calls and records.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/modules/api/core/openapi";
import { buildPayload, type WebhookEvent } from "@/modules/webhooks/payload";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { callOperations, callResponse, getCallOperation, listCallsOperation, logCallOperation } from "./calls";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
let readOnly: string;
let writeOnly: string;
let otherToken: string;
let personId: string;
let leadId: string;
let otherPersonId: string;
let otherCallId: string;
const CONTACT = "+14155550142";
const ORG_NUMBER = "+15125550142";

const count = async () => (await t.admin`select count(*)::int as n from calls where org_id = ${owner.orgId}`)[0].n as number;
const sid = (prefix: string) => prefix + randomBytes(16).toString("hex");

/** What a webhook subscriber receives as `data` for the call's events, in order. */
async function webhookData(callId: string) {
  const events = await t.admin<WebhookEvent[]>`
    select event_id, type as event_type, org_id, occurred_at, object_type, object_id, data, changes, actor_type, actor_id
    from domain_events where object_id = ${callId} order by id`;
  return events.map((e) => ({ type: e.event_type, data: buildPayload(e).data }));
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Calls API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["calls:read", "calls:write"])).token;
  readOnly = (await createTestKey(t, owner, ["calls:read"])).token;
  writeOnly = (await createTestKey(t, owner, ["calls:write", "people:read"])).token;
  otherToken = (await createTestKey(t, other, ["calls:read", "calls:write"])).token;
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name, phone) values (${owner.orgId}, 'Ada', ${CONTACT}) returning id`;
  [{ id: leadId }] = await t.admin`insert into leads (org_id, source, first_name) values (${owner.orgId}, 'manual', 'Lee') returning id`;
  [{ id: otherPersonId }] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Hidden') returning id`;
  [{ id: otherCallId }] = await t.admin`
    insert into calls (org_id, direction, source, status, outcome, user_id, person_id)
    values (${other.orgId}, 'outbound', 'manual', 'completed', 'connected', ${other.id}, ${otherPersonId}) returning id`;
});

describe("POST /api/v1/calls", () => {
  it("logs a call once per Idempotency-Key, on the timeline with call.logged, shown as the webhook shows it", async () => {
    const key = randomUUID();
    const body = { person_id: personId, direction: "outbound", outcome: "left_voicemail", duration_seconds: 150, notes: "Asked her to call back.", started_at: "2026-12-01T15:00:00+01:00" };
    const first = await callApi(logCallOperation, { token, body, headers: { "idempotency-key": key } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      object: "call",
      direction: "outbound",
      source: "manual",
      from: null,
      to: CONTACT,
      status: "completed",
      outcome: "left_voicemail",
      duration_seconds: 150,
      notes: "Asked her to call back.",
      user_id: owner.id,
      person_id: personId,
      lead_id: null,
      voicemail: false,
      started_at: "2026-12-01T14:00:00.000Z",
    });
    const again = await callApi(logCallOperation, { token, body, headers: { "idempotency-key": key } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await t.admin`select kind from timeline_events where data->>'call_id' = ${first.body.id}`).toEqual([{ kind: "call_logged" }]);
    expect(await t.admin`select actor_type from domain_events where object_id = ${first.body.id}`).toEqual([{ actor_type: "api_key" }]);

    const got = await callApi(getCallOperation, { token: readOnly, params: { id: first.body.id } });
    expect(got.body).toEqual(first.body);
    expect(await webhookData(first.body.id)).toEqual([{ type: "call.logged", data: got.body }]);
  });

  it("logs on a lead, with no duration when none is given", async () => {
    const r = await callApi(logCallOperation, { token: writeOnly, body: { lead_id: leadId, direction: "inbound", outcome: "connected" } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ lead_id: leadId, person_id: null, direction: "inbound", duration_seconds: null, from: null, to: null, notes: "" });
  });

  it("refuses bad input with a 422 naming each field in the API's names, writing nothing", async () => {
    const before = await count();
    const refuse = async (body: Record<string, unknown>, fields: string[]) => {
      const r = await callApi(logCallOperation, { token, body: { person_id: personId, direction: "outbound", outcome: "connected", ...body } });
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 422]);
      expect(Object.keys(r.body.error.details).sort()).toEqual(fields);
      return r.body.error.details as Record<string, string[]>;
    };
    expect((await refuse({ duration_seconds: -3, outcome: "shouted" }, ["duration_seconds", "outcome"])).outcome[0]).toMatch(/connected, left_voicemail/);
    expect((await refuse({ duration_seconds: 86_401 }, ["duration_seconds"])).duration_seconds[0]).toMatch(/86400/);
    expect((await refuse({ duration_seconds: 1.5 }, ["duration_seconds"])).duration_seconds[0]).toMatch(/whole number/);
    expect((await refuse({ started_at: new Date(Date.now() + 3_600_000).toISOString() }, ["started_at"])).started_at[0]).toMatch(/future/);
    await refuse({ started_at: "2026-02-31T10:00:00Z" }, ["started_at"]);
    await refuse({ started_at: "yesterday" }, ["started_at"]);
    expect((await refuse({ notes: "a\u0000b" }, ["notes"])).notes[0]).toMatch(/NUL/);
    await refuse({ notes: "x".repeat(5001) }, ["notes"]);
    await refuse({ direction: "sideways" }, ["direction"]);
    await refuse({ person_id: undefined }, ["person_id"]);
    await refuse({ lead_id: leadId }, ["lead_id", "person_id"]);
    await refuse({ shoe_size: 9 }, ["shoe_size"]);
    expect(await count()).toBe(before);
  });

  it("answers another org's person with a 404 and a key without calls:write with a 403 naming the scope", async () => {
    const before = await count();
    const foreign = await callApi(logCallOperation, { token, body: { person_id: otherPersonId, direction: "outbound", outcome: "connected" } });
    expect(foreign.status).toBe(404);
    const planted = await callApi(logCallOperation, { token: otherToken, body: { person_id: personId, direction: "outbound", outcome: "connected" } });
    expect(planted.status).toBe(404);
    const scoped = await callApi(logCallOperation, { token: readOnly, body: { person_id: personId, direction: "outbound", outcome: "connected" } });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.message).toContain("calls:write");
    expect(await count()).toBe(before);
  });
});

describe("GET /api/v1/calls", () => {
  let twilioCallId: string;

  beforeAll(async () => {
    // A Twilio call as the twilio-voice function writes it and Twilio's callbacks move it on.
    [{ id: twilioCallId }] = await t.admin`
      insert into calls (org_id, direction, source, org_number, contact_number, status, provider_sid, person_id, started_at)
      values (${owner.orgId}, 'inbound', 'twilio', ${ORG_NUMBER}, ${CONTACT}, 'ringing', ${sid("CA")}, ${personId}, '2026-12-03T09:00:00Z')
      returning id`;
    await t.admin`update calls set status = 'completed', duration_seconds = 42, answered_by = ${owner.id},
                    answered_at = '2026-12-03T09:00:05Z', ended_at = '2026-12-03T09:00:47Z' where id = ${twilioCallId}`;
    await t.admin`update calls set recording_sid = ${sid("RE")}, recording_url = 'https://api.twilio.com/rec.wav', recording_duration_seconds = 40, voicemail = true
                  where id = ${twilioCallId}`;
  });

  it("shows a Twilio call with its numbers in the order it went, equal to each of its webhooks' data once the call is final", async () => {
    const got = await callApi(getCallOperation, { token: readOnly, params: { id: twilioCallId } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      source: "twilio",
      direction: "inbound",
      from: CONTACT,
      to: ORG_NUMBER,
      status: "completed",
      outcome: null,
      duration_seconds: 42,
      answered_by: owner.id,
      recording_url: "https://api.twilio.com/rec.wav",
      recording_duration_seconds: 40,
      voicemail: true,
      answered_at: "2026-12-03T09:00:05.000Z",
    });
    const events = await webhookData(twilioCallId);
    expect(events.map((e) => e.type)).toEqual(["call.started", "call.ended", "call.recorded"]);
    // call.recorded is the last change: its data is the call as it is now, field for field and in order.
    expect(events[2].data).toEqual(got.body);
    expect(Object.keys(events[2].data)).toEqual(Object.keys(got.body));
    expect(events[1].data).toMatchObject({ status: "completed", duration_seconds: 42, recording_url: null });
  });

  it("lists the org's calls most recently started first, each as GET shows it, with filters and pages", async () => {
    const all = await callApi(listCallsOperation, { token: readOnly });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const ids = all.body.data.map((c: { id: string }) => c.id);
    expect(ids).not.toContain(otherCallId);
    const starts = all.body.data.map((c: { started_at: string }) => c.started_at);
    expect(starts).toEqual([...starts].sort().reverse());
    for (const call of all.body.data) {
      expect(call).toEqual((await callApi(getCallOperation, { token: readOnly, params: { id: call.id } })).body);
    }

    const ofPerson = async (query: string) =>
      (await callApi(listCallsOperation, { token: readOnly, query: `person_id=${personId}&${query}` })).body.data.map((c: { id: string }) => c.id);
    expect(await ofPerson("source=twilio")).toEqual([twilioCallId]);
    expect(await ofPerson("direction=inbound")).toEqual([twilioCallId]);
    expect(await ofPerson("status=completed&source=manual")).toHaveLength(1);
    expect(await ofPerson("started_from=2026-12-03&started_to=2026-12-03")).toEqual([twilioCallId]);
    expect(await ofPerson("started_from=2026-12-01T14:00:00Z&started_to=2026-12-02")).toHaveLength(1);
    expect(await ofPerson("started_to=2026-11-30")).toEqual([]);
    const onLead = await callApi(listCallsOperation, { token: readOnly, query: `lead_id=${leadId}` });
    expect(onLead.body.data.map((c: { lead_id: string }) => c.lead_id)).toEqual([leadId]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await callApi(listCallsOperation, {
        token: readOnly,
        query: [["limit", "1"], ...(cursor ? [["cursor", cursor] as [string, string]] : [])],
      });
      expect(page.body.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it("pages through calls that started within the same millisecond, each once", async () => {
    // Microseconds past one millisecond, added in SQL: a JavaScript Date would cut them.
    const made: string[] = [];
    for (const micros of [456, 300, 100]) {
      const [c] = await t.admin`insert into calls (org_id, direction, source, status, outcome, user_id, lead_id, started_at)
                                values (${owner.orgId}, 'inbound', 'manual', 'completed', 'busy', ${owner.id}, ${leadId},
                                        '2026-11-01 10:00:00.123+00'::timestamptz + ${micros} * interval '1 microsecond') returning id`;
      made.push(c.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await callApi(listCallsOperation, {
        token: readOnly,
        query: [["lead_id", leadId], ["started_to", "2026-11-01"], ["limit", "1"], ...(cursor ? [["cursor", cursor] as [string, string]] : [])],
      });
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made);
  });

  it("refuses bad filters naming them, hides other orgs' calls, and needs calls:read", async () => {
    const bad = await callApi(listCallsOperation, { token: readOnly, query: "started_from=2026-02-31&status=ringing-ish" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details).sort()).toEqual(["started_from", "status"]);
    const reversed = await callApi(listCallsOperation, { token: readOnly, query: "started_from=2026-12-03&started_to=2026-12-01" });
    expect([reversed.status, Object.keys(reversed.body.error.details)]).toEqual([422, ["started_to"]]);
    expect((await callApi(listCallsOperation, { token: readOnly, query: "cursor=nope" })).status).toBe(422);

    expect((await callApi(getCallOperation, { token: readOnly, params: { id: otherCallId } })).status).toBe(404);
    const theirs = await callApi(listCallsOperation, { token: otherToken });
    expect(theirs.body.data.map((c: { id: string }) => c.id)).toEqual([otherCallId]);
    const unscoped = await callApi(listCallsOperation, { token: writeOnly });
    expect(unscoped.status).toBe(403);
    expect(unscoped.body.error.message).toContain("calls:read");
  });
});

describe("the OpenAPI document", () => {
  it("shows a call and a logCall body by examples that are a valid call and a body the API takes", async () => {
    const doc = buildOpenApiDocument(callOperations, { serverUrl: "http://localhost/api/v1", version: "1" }) as unknown as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { examples: unknown[] } }> }; responses: Record<string, { content?: Record<string, { schema: { examples?: unknown[] } }> }> }>>;
    };
    const [call] = doc.paths["/calls/{id}"].get.responses["200"].content!["application/json"].schema.examples!;
    expect(callResponse.safeParse(call).success).toBe(true);
    const [body] = doc.paths["/calls"].post.requestBody!.content["application/json"].schema.examples as Record<string, unknown>[];
    const r = await callApi(logCallOperation, { token, body: { ...body, person_id: personId } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ ...body, person_id: personId, started_at: "2026-12-07T15:00:00.000Z" });
  });
});

describe("a call Twilio refused", () => {
  it("shows why Twilio refused to place a call, as its webhooks do", async () => {
    const [failed] = await t.admin`
      insert into calls (org_id, direction, source, org_number, contact_number, status, user_id, person_id, error_code, error_message)
      values (${owner.orgId}, 'outbound', 'twilio', ${ORG_NUMBER}, ${CONTACT}, 'failed', ${owner.id}, ${personId}, 21215,
              'Account not authorized to call this number') returning id`;
    const got = await callApi(getCallOperation, { token: readOnly, params: { id: failed.id } });
    expect(got.body).toMatchObject({ status: "failed", error_code: 21215, error_message: "Account not authorized to call this number" });
    const [started] = await webhookData(failed.id);
    expect(started.data).toMatchObject({ error_code: 21215, error_message: "Account not authorized to call this number" });
  });
});
