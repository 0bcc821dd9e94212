// The messages endpoints through the real route handler, on real Postgres
// under RLS: send (queued with its timeline item and event, idempotent),
// refusals naming the field (opted out, no record), get and list with
// filters and pages, scopes and other orgs' messages.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getMessageOperation, listMessagesOperation, sendMessageOperation } from "./messages";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
let readOnly: string;
let otherToken: string;
let personId: string;
const NUMBER = "+15125550131";
const CONTACT = "+14155550131";

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Texting API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["messages:read", "messages:write"])).token;
  readOnly = (await createTestKey(t, owner, ["messages:read"])).token;
  otherToken = (await createTestKey(t, other, ["messages:read", "messages:write"])).token;
  await t.admin`insert into phones (org_id, number) values (${owner.orgId}, ${NUMBER})`;
  const [p] = await t.admin`insert into people (org_id, first_name, phone) values (${owner.orgId}, 'Ada', ${CONTACT}) returning id`;
  personId = p.id;
});

describe("/api/v1/messages", () => {
  it("sends a text as queued once per Idempotency-Key, with its timeline item, sms.sent and the send job", async () => {
    const key = randomUUID();
    const body = { person_id: personId, body: "Your order shipped" };
    const first = await callApi(sendMessageOperation, { token, body, headers: { "idempotency-key": key } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ object: "message", direction: "outbound", from: NUMBER, to: CONTACT, status: "queued", person_id: personId, author_id: owner.id, segments: 1 });
    const again = await callApi(sendMessageOperation, { token, body, headers: { "idempotency-key": key } });
    expect(again.body.id).toBe(first.body.id);
    expect(await t.admin`select type, actor_type from domain_events where object_id = ${first.body.id}`).toEqual([{ type: "sms.sent", actor_type: "api_key" }]);
    expect(await t.admin`select kind from timeline_events where data->>'sms_id' = ${first.body.id}`).toEqual([{ kind: "sms_sent" }]);
    expect(await t.admin`select kind from jobs where idempotency_key = ${"sms-send:" + first.body.id}`).toEqual([{ kind: "sms.send" }]);

    const got = await callApi(getMessageOperation, { token: readOnly, params: { id: first.body.id } });
    expect(got.body).toEqual(first.body);
    expect((await callApi(getMessageOperation, { token: otherToken, params: { id: first.body.id } })).status).toBe(404);
  });

  it("refuses an opted-out contact, a missing record and a read-only key, naming the field", async () => {
    await t.admin`insert into sms_opt_outs (org_id, org_number, contact_number, opted_out, keyword) values (${owner.orgId}, ${NUMBER}, ${CONTACT}, true, 'STOP')`;
    const stopped = await callApi(sendMessageOperation, { token, body: { person_id: personId, body: "One more thing" } });
    expect(stopped.status).toBe(422);
    expect(stopped.body.error.details.to[0]).toMatch(/replied STOP to \+15125550131 and has opted out/);
    await t.admin`delete from sms_opt_outs where org_id = ${owner.orgId}`;
    const none = await callApi(sendMessageOperation, { token, body: { body: "Hi" } });
    expect(none.status).toBe(422);
    expect(Object.keys(none.body.error.details)).toEqual(["person_id"]);
    expect((await callApi(sendMessageOperation, { token: readOnly, body: { person_id: personId, body: "Hi" } })).status).toBe(403);
    expect((await callApi(sendMessageOperation, { token: otherToken, body: { person_id: personId, body: "Hi" } })).status).toBe(404);
  });

  it("lists newest first with filters and pages", async () => {
    for (const text of ["two", "three"]) {
      expect((await callApi(sendMessageOperation, { token, body: { person_id: personId, body: text } })).status).toBe(201);
    }
    const page1 = await callApi(listMessagesOperation, { token: readOnly, query: `contact=${encodeURIComponent(CONTACT)}&limit=2` });
    expect(page1.status, JSON.stringify(page1.body)).toBe(200);
    expect(page1.body.data.map((m: { body: string }) => m.body)).toEqual(["three", "two"]);
    const page2 = await callApi(listMessagesOperation, { token: readOnly, query: `contact=${encodeURIComponent(CONTACT)}&limit=2&cursor=${page1.body.next_cursor}` });
    expect(page2.body.data.map((m: { body: string }) => m.body)).toEqual(["Your order shipped"]);
    expect(page2.body.next_cursor).toBeNull();
    expect((await callApi(listMessagesOperation, { token: readOnly, query: "direction=inbound" })).body.data).toEqual([]);
    expect((await callApi(listMessagesOperation, { token: otherToken })).body.data).toEqual([]);
    expect((await callApi(listMessagesOperation, { token: readOnly, query: "contact=555" })).status).toBe(400);
  });

  it("pages through texts that arrived within the same millisecond, each once", async () => {
    const contact = "+14155550132";
    // Microseconds past one millisecond, added in SQL: a JavaScript Date would cut them.
    for (const [i, micros] of [456, 300, 100].entries()) {
      await t.admin`insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, created_at)
                    values (${owner.orgId}, 'inbound', ${NUMBER}, ${contact}, ${`same ms ${i}`}, 'received', ${personId}, '2026-12-01 10:00:00.123+00'::timestamptz + ${micros} * interval '1 microsecond')`;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { body: string }[]; next_cursor: string | null } } = await callApi(listMessagesOperation, {
        token: readOnly,
        query: [["contact", contact], ["limit", "1"], ...(cursor ? [["cursor", cursor] as [string, string]] : [])],
      });
      seen.push(...page.body.data.map((m) => m.body));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["same ms 0", "same ms 1", "same ms 2"]);
  });
});
