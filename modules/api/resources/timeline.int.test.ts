// Record timelines through the REST API on real Postgres: newest first,
// paged through cursors without repeats, items made through the API named as
// such, and the record's existence, org and family scope checked first.

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createNote } from "@/modules/crm/notes/service";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createPerson, updatePerson } from "./people";
import { getCompanyTimeline, getDealTimeline, getPersonTimeline } from "./timeline";

const t = useTestDatabase();

let owner: TestUser;
let token: string;
let personId: string;
let dealId: string;
let noteIds: string[];
let otherPersonId: string;

interface Item {
  id: string;
  kind: string;
  activity: string;
  occurred_at: string;
  actor: { type: string; id: string | null };
  subject: { type: string; id: string };
  data: Record<string, unknown>;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Timeline API Co" });
  const other = await createUser(t, { orgName: "Not Yours" });
  token = (await createTestKey(t, owner, ["people:read", "people:write", "companies:read", "deals:read"])).token;
  const created = await callApi(createPerson, { token, body: { first_name: "Tim", last_name: "Line", title: "Engineer" } });
  personId = created.body.id;
  await callApi(updatePerson, { token, params: { id: personId }, body: { title: "Lead engineer" } });
  noteIds = [];
  for (let i = 0; i < 3; i++) {
    const note = await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: personId }, html: `<p>call ${i}</p>` }),
    );
    noteIds.push((note as { id: string }).id);
  }
  const stages = await t.admin`
    select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
    where p.org_id = ${owner.orgId} order by s.position limit 2`;
  const deal = await t.db.asUser(owner.claims, (tx) =>
    tx
      .insertInto("deals")
      .values({ org_id: owner.orgId, name: "Big deal", currency: "USD", pipeline_id: stages[0].pipeline_id, stage_id: stages[0].id, person_id: personId })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  dealId = deal.id;
  await t.db.asUser(owner.claims, (tx) => tx.updateTable("deals").set({ stage_id: stages[1].id }).where("id", "=", dealId).execute());
  const otherToken = (await createTestKey(t, other, ["people:write"])).token;
  otherPersonId = (await callApi(createPerson, { token: otherToken, body: { first_name: "Hidden" } })).body.id;
});

async function everything(limit: number): Promise<Item[]> {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const query: [string, string][] = [["limit", String(limit)]];
    if (cursor) query.push(["cursor", cursor]);
    const r = await callApi(getPersonTimeline, { token, params: { id: personId }, query });
    expect(r.status).toBe(200);
    seen.push(...r.body.data);
    cursor = r.body.next_cursor;
    if (!cursor) break;
  }
  return seen;
}

describe("GET /{people|companies|deals}/{id}/timeline", () => {
  it("lists the record's history newest first, with who did it and what it is about", async () => {
    const r = await callApi(getPersonTimeline, { token, params: { id: personId } });
    expect(r.status).toBe(200);
    const items: Item[] = r.body.data;
    expect(r.body.next_cursor).toBeNull();
    expect(items.map((i) => i.kind)).toEqual(["stage_changed", "note", "note", "note", "updated", "created"]);
    const [stage, note, , , updated, created] = items;
    expect(created).toMatchObject({ actor: { type: "api_key", id: owner.id }, subject: { type: "person", id: personId }, data: {} });
    expect(updated).toMatchObject({
      actor: { type: "api_key", id: owner.id },
      data: { changes: { title: ["Engineer", "Lead engineer"] } },
    });
    expect(note).toMatchObject({ actor: { type: "user", id: owner.id }, subject: { type: "note", id: noteIds[2] } });
    expect(stage).toMatchObject({ subject: { type: "deal", id: dealId }, data: { from_stage: expect.any(String), to_stage: expect.any(String) } });
    expect(Object.keys(stage).sort()).toEqual(["activity", "actor", "data", "id", "kind", "occurred_at", "subject"]);
    expect(items.map((i) => i.activity)).toEqual(["changes", "notes", "notes", "notes", "changes", "changes"]);
    expect(stage.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  it("pages through cursors without repeating or skipping an item", async () => {
    const whole = (await everything(100)).map((i) => i.id);
    expect(whole).toHaveLength(6);
    for (const size of [1, 2, 4]) expect((await everything(size)).map((i) => i.id)).toEqual(whole);
  });

  it("serves deal and company timelines under their own scopes", async () => {
    const deal = await callApi(getDealTimeline, { token, params: { id: dealId } });
    expect(deal.status).toBe(200);
    expect(deal.body.data.map((i: Item) => i.kind)).toEqual(["stage_changed", "created"]);
    const peopleOnly = (await createTestKey(t, owner, ["people:read"])).token;
    const refused = await callApi(getDealTimeline, { token: peopleOnly, params: { id: dealId } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("deals:read");
    expect((await callApi(getPersonTimeline, { token: peopleOnly, params: { id: personId } })).status).toBe(200);

    const [company] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Quiet Co') returning id`;
    const c = await callApi(getCompanyTimeline, { token, params: { id: company.id } });
    expect(c.status).toBe(200);
    expect(c.body.data.map((i: Item) => i.kind)).toEqual(["created"]);
    expect(c.body.data[0].actor).toEqual({ type: "system", id: null });
  });

  it("answers 404 for unknown, malformed and other orgs' records, and 400 for a bad cursor", async () => {
    for (const id of [randomUUID(), "nope", otherPersonId]) {
      const r = await callApi(getPersonTimeline, { token, params: { id } });
      expect(r.status, id).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    // A person's id is not a deal.
    expect((await callApi(getDealTimeline, { token, params: { id: personId } })).status).toBe(404);
    for (const cursor of ["garbage!", Buffer.from('["x","1"]').toString("base64url")]) {
      const r = await callApi(getPersonTimeline, { token, params: { id: personId }, query: [["cursor", cursor]] });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("invalid_cursor");
    }
    const limit = await callApi(getPersonTimeline, { token, params: { id: personId }, query: "limit=0" });
    expect(limit.status).toBe(400);
    expect(limit.body.error.details.limit).toBeTruthy();
  });
});

describe("the kind filter", () => {
  it("keeps one kind of activity, pages within it, and refuses an unknown kind naming the parameter", async () => {
    const id = (await callApi(createPerson, { token, body: { first_name: "Kind", last_name: "Filter" } })).body.id;
    await t.admin`insert into phones (org_id, number) values (${owner.orgId}, '+15125550142')`;
    for (const body of ["First", "Second"]) {
      await t.admin`
        insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id)
        values (${owner.orgId}, 'inbound', '+15125550142', '+15125550143', ${body}, 'received', ${id})`;
    }
    await t.admin`
      insert into emails (org_id, direction, provider, from_address, to_addresses, subject, status, received_at, person_id)
      values (${owner.orgId}, 'inbound', 'gmail', 'kind@x.test', '{me@x.test}', 'Hello', 'received', now(), ${id})`;
    await t.db.asUser(owner.claims, (tx) => createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id }, html: "<p>n</p>" }));

    const kinds = async (kind: string, extra: [string, string][] = []) => {
      const r = await callApi(getPersonTimeline, { token, params: { id }, query: [["kind", kind], ...extra] });
      expect(r.status, kind).toBe(200);
      return r.body as { data: Item[]; next_cursor: string | null };
    };
    expect((await kinds("texts")).data.map((i) => [i.kind, i.activity])).toEqual([
      ["sms_received", "texts"],
      ["sms_received", "texts"],
    ]);
    expect((await kinds("emails")).data.map((i) => i.kind)).toEqual(["email"]);
    expect((await kinds("notes")).data.map((i) => i.kind)).toEqual(["note"]);
    expect((await kinds("changes")).data.map((i) => i.kind)).toEqual(["created"]);
    expect((await kinds("calls")).data).toEqual([]);

    const first = await kinds("texts", [["limit", "1"]]);
    expect(first.next_cursor).toBeTruthy();
    const second = await kinds("texts", [["limit", "1"], ["cursor", first.next_cursor!]]);
    expect([...first.data, ...second.data].map((i) => i.id)).toEqual((await kinds("texts")).data.map((i) => i.id));
    expect(second.next_cursor).toBeNull();

    const bad = await callApi(getPersonTimeline, { token, params: { id }, query: [["kind", "sms_sent"]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.kind).toBeTruthy();
  });
});
