import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createNote, deleteNote, getNote, listNotes, noteRecord, updateNote } from "./notes";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;
let token: string;
let readOnly: string;
let memberToken: string;
let memberId: string;
let personId: string;
let companyId: string;
let dealId: string;
let otherPersonId: string;
let otherNoteId: string;

async function make(body: Record<string, unknown>, key = token) {
  const r = await callApi(createNote, { token: key, body });
  expect(r.status).toBe(201);
  return r.body;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Notes Co" });
  other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["notes:read", "notes:write"])).token;
  readOnly = (await createTestKey(t, owner, ["notes:read"])).token;
  const member = await createMember(t, owner.orgId, "admin");
  memberToken = (await createTestKey(t, member, ["notes:read", "notes:write"])).token;
  await t.admin`update org_members set role = 'member' where user_id = ${member.id}`;
  memberId = member.id;
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Pat') returning id`;
  [{ id: companyId }] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme') returning id`;
  const [s] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} limit 1`;
  [{ id: dealId }] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${owner.orgId}, 'Deal', ${s.pipeline_id}, ${s.id}, 'USD') returning id`;
  [{ id: otherPersonId }] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Hidden') returning id`;
  [{ id: otherNoteId }] = await t.admin`
    insert into notes (org_id, body_html, body_text, person_id, author_id) values (${other.orgId}, '<p>Secret</p>', 'Secret', ${otherPersonId}, ${other.id})
    returning id`;
});

describe("create and get", () => {
  it("creates a sanitised note on a person, authored by the key's member, as the API key", async () => {
    const r = await callApi(createNote, {
      token,
      body: { person_id: personId, body_html: '<p>Met <strong>Pat</strong><script>alert(1)</script> <img src=x onerror="x()"></p>' },
    });
    expect(r.status).toBe(201);
    expect(noteRecord.parse(r.body)).toMatchObject({
      object: "note",
      body_html: "<p>Met <strong>Pat</strong> </p>",
      body_text: expect.stringContaining("Met Pat"),
      author_id: owner.id,
      person_id: personId,
      company_id: null,
      deal_id: null,
    });
    const [ev] = await t.admin`select actor_type, actor_id from domain_events where object_id = ${r.body.id} and type = 'note.created'`;
    expect(ev).toMatchObject({ actor_type: "api_key", actor_id: owner.id });
    const [audit] = await t.admin`select actor_type from audit_log where record_id = ${r.body.id}::text and action = 'insert'`;
    expect(audit.actor_type).toBe("api_key");
    expect((await callApi(getNote, { token: readOnly, params: { id: r.body.id } })).body).toEqual(r.body);
  });

  it("refuses a missing or double link, an empty or oversize body, another org's record and unknown fields", async () => {
    const before = (await t.admin`select count(*)::int as n from notes`)[0].n;
    const none = await callApi(createNote, { token, body: { body_html: "<p>Hi</p>" } });
    expect(none.status).toBe(422);
    expect(none.body.error.details).toEqual({ person_id: [expect.stringMatching(/exactly one/)] });
    const two = await callApi(createNote, { token, body: { body_html: "Hi", person_id: personId, deal_id: dealId } });
    expect(Object.keys(two.body.error.details).sort()).toEqual(["deal_id", "person_id"]);
    const empty = await callApi(createNote, { token, body: { body_html: "<p><script>x</script></p>", company_id: companyId } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details).toEqual({ body_html: [expect.stringMatching(/empty/)] });
    const long = await callApi(createNote, { token, body: { body_html: "x".repeat(50_001), company_id: companyId } });
    expect(long.body.error.details).toEqual({ body_html: [expect.stringMatching(/too long/)] });
    const foreign = await callApi(createNote, { token, body: { body_html: "Hi", person_id: otherPersonId } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details).toEqual({ person_id: [expect.stringMatching(/not found/)] });
    const unknown = await callApi(createNote, { token, body: { html: "Hi", deal_id: dealId } });
    expect(unknown.body.error.details).toMatchObject({ html: ["Unknown field `html`"] });
    expect((await callApi(createNote, { token: readOnly, body: { body_html: "Hi", deal_id: dealId } })).status).toBe(403);
    expect((await t.admin`select count(*)::int as n from notes`)[0].n).toBe(before);
  });

  it("replays an Idempotency-Key and hides other orgs' notes", async () => {
    const headers = { "idempotency-key": "note-1" };
    const a = await callApi(createNote, { token, body: { body_html: "Once", deal_id: dealId }, headers });
    const b = await callApi(createNote, { token, body: { body_html: "Once", deal_id: dealId }, headers });
    expect(b.body.id).toBe(a.body.id);
    for (const id of [otherNoteId, "x", "00000000-0000-4000-8000-000000000000"]) {
      expect((await callApi(getNote, { token, params: { id } })).status).toBe(404);
    }
  });
});

describe("edit and delete", () => {
  it("the author edits their note; another member may not (403); an owner may edit anyone's", async () => {
    const mine = await make({ body_html: "<p>Member's</p>", company_id: companyId }, memberToken);
    expect(mine.author_id).toBe(memberId);
    const edited = await callApi(updateNote, { token: memberToken, params: { id: mine.id }, body: { body_html: "<p>Edited</p>" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ body_html: "<p>Edited</p>", body_text: "Edited", author_id: memberId });
    const [ev] = await t.admin`select actor_type, changes from domain_events where object_id = ${mine.id} and type = 'note.updated'`;
    expect(ev.actor_type).toBe("api_key");

    const owners = await make({ body_html: "Owner's", company_id: companyId });
    const refused = await callApi(updateNote, { token: memberToken, params: { id: owners.id }, body: { body_html: "Hijacked" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/author or an admin/);
    const delRefused = await callApi(deleteNote, { token: memberToken, params: { id: owners.id } });
    expect(delRefused.status).toBe(403);
    expect((await callApi(getNote, { token, params: { id: owners.id } })).body.body_text).toBe("Owner's");

    const byOwner = await callApi(updateNote, { token, params: { id: mine.id }, body: { body_html: "Tidied" } });
    expect(byOwner.body).toMatchObject({ body_text: "Tidied", author_id: memberId });
    const empty = await callApi(updateNote, { token, params: { id: mine.id }, body: { body_html: " " } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details).toHaveProperty("body_html");
  });

  it("deletes (204); other orgs' notes are 404 and stay", async () => {
    const n = await make({ body_html: "Bye", deal_id: dealId });
    const r = await callApi(deleteNote, { token, params: { id: n.id } });
    expect(r.status).toBe(204);
    expect((await callApi(getNote, { token, params: { id: n.id } })).status).toBe(404);
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${n.id} and type = 'note.deleted'`;
    expect(ev.actor_type).toBe("api_key");
    expect((await callApi(deleteNote, { token, params: { id: otherNoteId } })).status).toBe(404);
    expect((await callApi(updateNote, { token, params: { id: otherNoteId }, body: { body_html: "Mine" } })).status).toBe(404);
    expect((await t.admin`select body_text from notes where id = ${otherNoteId}`)[0].body_text).toBe("Secret");
  });
});

describe("list", () => {
  it("lists a record's notes newest first, pages with cursors, searches text", async () => {
    const [p] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Listed') returning id`;
    for (const i of [1, 2, 3, 4, 5]) await make({ body_html: `<p>Entry ${i}</p>`, person_id: p.id });
    await make({ body_html: "Elsewhere entry", company_id: companyId });

    const texts: string[] = [];
    let cursor: string | null = null;
    do {
      const query: [string, string][] = [["person_id", p.id], ["limit", "2"]];
      if (cursor) query.push(["cursor", cursor]);
      const r = await callApi(listNotes, { token: readOnly, query });
      expect(r.status).toBe(200);
      r.body.data.forEach((x: unknown) => noteRecord.parse(x));
      texts.push(...r.body.data.map((x: { body_text: string }) => x.body_text));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(texts).toEqual(["Entry 5", "Entry 4", "Entry 3", "Entry 2", "Entry 1"]);

    const oldest = await callApi(listNotes, { token, query: [["person_id", p.id], ["sort", "created_at"], ["limit", "1"]] });
    expect(oldest.body.data[0].body_text).toBe("Entry 1");
    const search = await callApi(listNotes, { token, query: [["q", "elsewhere"]] });
    expect(search.body.data.map((x: { body_text: string }) => x.body_text)).toEqual(["Elsewhere entry"]);
    const mine = await callApi(listNotes, { token, query: [["f", "author:eq:me"], ["limit", "100"]] });
    expect(mine.body.data.every((x: { author_id: string }) => x.author_id === owner.id)).toBe(true);
    const all = await callApi(listNotes, { token, query: "limit=100" });
    expect(all.body.data.map((x: { id: string }) => x.id)).not.toContain(otherNoteId);
    const foreign = await callApi(listNotes, { token, query: [["person_id", otherPersonId]] });
    expect(foreign.body.data).toEqual([]);
  });

  it("refuses a bad cursor, id or filter with 400", async () => {
    expect((await callApi(listNotes, { token, query: "cursor=zzz" })).body.error.code).toBe("invalid_cursor");
    const id = await callApi(listNotes, { token, query: "deal_id=nope" });
    expect(id.status).toBe(400);
    expect(id.body.error.details).toHaveProperty("deal_id");
    expect((await callApi(listNotes, { token, query: "archived=1" })).status).toBe(400);
    expect((await callApi(listNotes, { token, query: "sort=body_text" })).status).toBe(400);
  });
});
