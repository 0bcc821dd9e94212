// The people endpoints through their real route handlers, with keys made by
// the real service, on real Postgres under RLS: every endpoint's happy path,
// its refusals (and that they write nothing), other orgs' ids, scopes, role
// rules, idempotency, and the events and audit rows an API write leaves.

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import {
  archivePerson,
  createPerson,
  deletePerson,
  getPerson,
  listPeople,
  restorePerson,
  updatePerson,
} from "./people";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;
/** people:read + people:write, made by the owner. */
let token: string;
/** Same scopes, but its member is a plain member. */
let memberToken: string;
/** Same scopes, its member a manager (archives, but may not delete). */
let managerToken: string;
let readOnly: string;
let otherToken: string;
let otherPersonId: string;

const RW = ["people:read", "people:write"] as const;

async function peopleCount(orgId = owner.orgId) {
  const [{ n }] = await t.admin`select count(*)::int as n from people where org_id = ${orgId}`;
  return n as number;
}

async function seed(values: Record<string, unknown>) {
  const r = await callApi(createPerson, { token, body: values });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string } & Record<string, unknown>;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "People API Co", fullName: "Olga Owner" });
  other = await createUser(t, { orgName: "Elsewhere Inc" });
  token = (await createTestKey(t, owner, [...RW])).token;
  readOnly = (await createTestKey(t, owner, ["people:read"])).token;
  // Keys are made by owners and admins; a later demotion limits what the key may do.
  const member = await createMember(t, owner.orgId, "admin");
  memberToken = (await createTestKey(t, member, [...RW])).token;
  await t.admin`update org_members set role = 'member' where user_id = ${member.id}`;
  const manager = await createMember(t, owner.orgId, "admin");
  managerToken = (await createTestKey(t, manager, [...RW])).token;
  await t.admin`update org_members set role = 'manager' where user_id = ${manager.id}`;
  otherToken = (await createTestKey(t, other, [...RW])).token;
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'person', 'budget', 'Budget', 'number', '[]'),
           (${owner.orgId}, 'person', 'tier', 'Tier', 'select', '[{"value":"gold","label":"Gold"},{"value":"silver","label":"Silver"}]')`;
  const o = await callApi(createPerson, { token: otherToken, body: { first_name: "Secret", email: "secret@elsewhere.test" } });
  otherPersonId = o.body.id;
});

describe("POST /people", () => {
  it("creates a person as the key's member and answers with the record", async () => {
    const r = await callApi(createPerson, {
      token,
      body: {
        first_name: "  Ada ",
        last_name: "Lovelace",
        email: "ADA@Example.COM",
        phone: "(415) 555-0100",
        additional_emails: ["ada2@example.com"],
        tags: ["vip", "math"],
        address_line1: "12 St James's Square",
        city: "London",
        country: "United Kingdom",
        last_contacted_at: "2026-01-15",
        custom: { budget: 1200, tier: "gold" },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      object: "person",
      first_name: "Ada",
      last_name: "Lovelace",
      full_name: "Ada Lovelace",
      email: "ada@example.com",
      additional_emails: ["ada2@example.com"],
      phone: "+14155550100",
      tags: ["vip", "math"],
      address_line1: "12 St James's Square",
      city: "London",
      owner_id: owner.id,
      created_by: owner.id,
      company_id: null,
      custom: { budget: 1200, tier: "gold" },
      archived_at: null,
      last_contacted_at: "2026-01-15T12:00:00.000Z",
    });
    expect(r.body).not.toHaveProperty("org_id");
    expect(r.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);

    // Same events and audit as the UI, recorded as an API key.
    const events = await t.admin`select type, actor_type, actor_id, data from domain_events where object_id = ${r.body.id}`;
    expect(events).toEqual([expect.objectContaining({ type: "person.created", actor_type: "api_key", actor_id: owner.id })]);
    const audit = await t.admin`select action, actor_type from audit_log where record_id = ${r.body.id}`;
    expect(audit).toEqual([{ action: "insert", actor_type: "api_key" }]);
    const timeline = await t.admin`select kind, actor_type from timeline_events where person_id = ${r.body.id}`;
    expect(timeline).toEqual([{ kind: "created", actor_type: "api_key" }]);
  });

  it("names every invalid field with 422 and writes nothing", async () => {
    const before = await peopleCount();
    const r = await callApi(createPerson, {
      token,
      body: { email: "not-an-email", phone: "12", website: "no spaces allowed", custom: { budget: "lots" } },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("validation_failed");
    expect(Object.keys(r.body.error.details)).toEqual(expect.arrayContaining(["email", "phone", "website"]));

    // Built-in fields pass; the custom value fails against the org's definition.
    const c = await callApi(createPerson, { token, body: { first_name: "Bo", custom: { budget: "lots", nope: 1 } } });
    expect(c.status).toBe(422);
    expect(c.body.error.details["custom.budget"]?.[0]).toBeTruthy();
    expect(c.body.error.details["custom.nope"]?.[0]).toBeTruthy();

    const empty = await callApi(createPerson, { token, body: { title: "CTO" } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.first_name).toEqual(["Enter a name or an email address"]);

    const unknown = await callApi(createPerson, { token, body: { first_name: "Bo", org_id: other.orgId, nickname: "B" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ org_id: ["Unknown field `org_id`"], nickname: ["Unknown field `nickname`"] });

    const types = await callApi(createPerson, { token, body: { first_name: 42, tags: { a: 1 } } });
    expect(types.status).toBe(422);
    expect(Object.keys(types.body.error.details).sort()).toEqual(["first_name", "tags"]);

    const json = await callApi(createPerson, { token, body: '{"first_name": "Bo",' });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe("invalid_json");

    const fk = await callApi(createPerson, { token, body: { first_name: "Bo", company_id: randomUUID() } });
    expect(fk.status).toBe(422);
    expect(fk.body.error.details.company_id).toBeTruthy();

    const owned = await callApi(createPerson, { token, body: { first_name: "Bo", owner_id: other.id } });
    expect(owned.status).toBe(422);
    expect(owned.body.error.details.owner_id).toBeTruthy();

    expect(await peopleCount()).toBe(before);
  });

  it("refuses an email another active person uses with 409 naming them", async () => {
    const first = await seed({ first_name: "Grace", last_name: "Hopper", email: "grace@example.com" });
    const before = await peopleCount();
    const r = await callApi(createPerson, { token, body: { first_name: "G", email: "Grace@Example.com" } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("conflict");
    expect(r.body.error.message).toContain("Grace Hopper");
    expect(r.body.error.existing).toEqual({ id: first.id, name: "Grace Hopper" });
    expect(r.body.error.details).toEqual({ email: ["Email is already used by Grace Hopper"] });
    expect(await peopleCount()).toBe(before);
    // Another org's people do not count.
    expect((await callApi(createPerson, { token: otherToken, body: { email: "grace@example.com" } })).status).toBe(201);
  });

  it("returns the first result for a repeated Idempotency-Key and creates once", async () => {
    const key = randomUUID();
    const body = { first_name: "Idem", email: "idem@example.com" };
    const a = await callApi(createPerson, { token, body, headers: { "idempotency-key": key } });
    const b = await callApi(createPerson, { token, body, headers: { "idempotency-key": key } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const [{ n }] = await t.admin`select count(*)::int as n from people where email = 'idem@example.com'`;
    expect(n).toBe(1);
  });

  it("needs the people:write scope", async () => {
    const r = await callApi(createPerson, { token: readOnly, body: { first_name: "Nope" } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    const none = await callApi(createPerson, { token: null, body: { first_name: "Nope" } });
    expect(none.status).toBe(401);
  });
});

describe("GET /people/{id}", () => {
  it("returns the record as represented", async () => {
    const p = await seed({ first_name: "Katherine", last_name: "Johnson", additional_phones: "+1 415 555 0101, +1 415 555 0102" });
    const r = await callApi(getPerson, { token: readOnly, params: { id: p.id } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(p);
    expect(r.body.additional_phones).toEqual(["+14155550101", "+14155550102"]);
  });

  it("answers 404 for unknown, malformed and other orgs' ids", async () => {
    for (const id of [randomUUID(), "not-a-uuid", otherPersonId]) {
      const r = await callApi(getPerson, { token, params: { id } });
      expect(r.status, id).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
  });
});

describe("PATCH /people/{id}", () => {
  it("changes only the fields sent and merges custom values", async () => {
    const p = await seed({ first_name: "Dorothy", last_name: "Vaughan", title: "Mathematician", custom: { budget: 10, tier: "silver" } });
    const r = await callApi(updatePerson, {
      token,
      params: { id: p.id },
      body: { title: "Supervisor", city: null, custom: { tier: "gold" } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ first_name: "Dorothy", last_name: "Vaughan", title: "Supervisor", custom: { budget: 10, tier: "gold" } });
    const [event] = await t.admin`select type, actor_type, changes from domain_events where object_id = ${p.id} and type = 'person.updated'`;
    expect(event.actor_type).toBe("api_key");
    expect(event.changes).toMatchObject({ title: ["Mathematician", "Supervisor"], "custom.tier": ["silver", "gold"] });
    const audit = await t.admin`select action, actor_type from audit_log where record_id = ${p.id} order by id`;
    expect(audit.map((a) => `${a.action}:${a.actor_type}`)).toEqual(["insert:api_key", "update:api_key"]);
  });

  it("refuses invalid values with 422 and leaves the record as it was", async () => {
    const p = await seed({ first_name: "Mary", email: "mary@example.com" });
    const bad = await callApi(updatePerson, { token, params: { id: p.id }, body: { email: "nope", first_name: "M" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.email).toBeTruthy();
    const cleared = await callApi(updatePerson, { token, params: { id: p.id }, body: { first_name: null, email: null } });
    expect(cleared.status).toBe(422);
    const unknown = await callApi(updatePerson, { token, params: { id: p.id }, body: { id: randomUUID() } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.id).toEqual(["Unknown field `id`"]);
    const dup = await seed({ email: "taken@example.com" });
    const taken = await callApi(updatePerson, { token, params: { id: p.id }, body: { email: "taken@example.com" } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.existing.id).toBe(dup.id);
    expect((await callApi(getPerson, { token, params: { id: p.id } })).body).toEqual(p);
  });

  it("answers 404 for another org's person and changes nothing", async () => {
    const r = await callApi(updatePerson, { token, params: { id: otherPersonId }, body: { first_name: "Hacked" } });
    expect(r.status).toBe(404);
    const empty = await callApi(updatePerson, { token, params: { id: otherPersonId }, body: {} });
    expect(empty.status).toBe(404);
    const [row] = await t.admin`select first_name from people where id = ${otherPersonId}`;
    expect(row.first_name).toBe("Secret");
    expect((await callApi(updatePerson, { token, params: { id: randomUUID() }, body: { title: "x" } })).status).toBe(404);
  });
});

describe("archive, restore, delete", () => {
  it("archives and restores, with events, hidden from the list meanwhile", async () => {
    const p = await seed({ first_name: "Archie", email: "archie@example.com" });
    const a = await callApi(archivePerson, { token: managerToken, params: { id: p.id } });
    expect(a.status).toBe(200);
    expect(a.body.archived_at).toMatch(/Z$/);
    const active = await callApi(listPeople, { token, query: "q=archie" });
    expect(active.body.data).toEqual([]);
    const archived = await callApi(listPeople, { token, query: "q=archie&archived=1" });
    expect(archived.body.data.map((x: { id: string }) => x.id)).toEqual([p.id]);

    const r = await callApi(restorePerson, { token: managerToken, params: { id: p.id } });
    expect(r.status).toBe(200);
    expect(r.body.archived_at).toBeNull();
    const events = await t.admin`select type, actor_type from domain_events where object_id = ${p.id} order by id`;
    expect(events.map((e) => `${e.type}:${e.actor_type}`)).toEqual([
      "person.created:api_key",
      "person.archived:api_key",
      "person.restored:api_key",
    ]);
  });

  it("refuses a restore that would duplicate an active person's email with 409", async () => {
    const p = await seed({ first_name: "Twin", email: "twin@example.com" });
    await callApi(archivePerson, { token, params: { id: p.id } });
    await seed({ first_name: "Twin 2", email: "twin@example.com" });
    const r = await callApi(restorePerson, { token, params: { id: p.id } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("twin@example.com");
    const [row] = await t.admin`select archived_at from people where id = ${p.id}`;
    expect(row.archived_at).not.toBeNull();
  });

  it("follows the member's role: members do not archive, managers do not delete", async () => {
    const p = await seed({ first_name: "Roley" });
    const m = await callApi(archivePerson, { token: memberToken, params: { id: p.id } });
    expect(m.status).toBe(403);
    expect(m.body.error.message).toMatch(/managers, admins and owners/);
    const d = await callApi(deletePerson, { token: managerToken, params: { id: p.id } });
    expect(d.status).toBe(403);
    // A member may still create and edit, as in the app.
    expect((await callApi(updatePerson, { token: memberToken, params: { id: p.id }, body: { title: "Edited" } })).status).toBe(200);
    const [row] = await t.admin`select archived_at, title from people where id = ${p.id}`;
    expect(row).toEqual({ archived_at: null, title: "Edited" });
  });

  it("deletes for good with 204, then 404", async () => {
    const p = await seed({ first_name: "Gone" });
    const d = await callApi(deletePerson, { token, params: { id: p.id } });
    expect(d.status).toBe(204);
    expect(d.body).toBeNull();
    expect((await callApi(getPerson, { token, params: { id: p.id } })).status).toBe(404);
    expect((await callApi(deletePerson, { token, params: { id: p.id } })).status).toBe(404);
    const [event] = await t.admin`select actor_type, data from domain_events where object_id = ${p.id} and type = 'person.deleted'`;
    expect(event.actor_type).toBe("api_key");
    expect(event.data.first_name).toBe("Gone");
  });

  it("answers 404 for another org's person on archive, restore and delete, touching nothing", async () => {
    for (const op of [archivePerson, restorePerson, deletePerson]) {
      const r = await callApi(op, { token, params: { id: otherPersonId } });
      expect(r.status, op.id).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    const [row] = await t.admin`select archived_at from people where id = ${otherPersonId}`;
    expect(row.archived_at).toBeNull();
    const [{ n }] = await t.admin`select count(*)::int as n from domain_events where object_id = ${otherPersonId}`;
    expect(n).toBe(1);
  });
});

describe("GET /people", () => {
  let ids: string[];
  beforeAll(async () => {
    await t.admin`delete from people where org_id = ${owner.orgId}`;
    ids = [];
    for (const [i, name] of ["Zoe", "Yann", "Xia", "Will", "Vera"].entries()) {
      const p = await seed({ first_name: name, last_name: "Lister", city: i % 2 ? "Berlin" : "Paris", custom: { budget: i * 100 } });
      ids.push(p.id);
    }
  });

  it("pages newest first through cursors, each record once, only the key's org", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: { data: { id: string; object: string }[]; next_cursor: string | null } } = await callApi(listPeople, {
        token: readOnly,
        query: cursor ? [["limit", "2"], ["cursor", cursor]] : [["limit", "2"]],
      });
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeLessThanOrEqual(2);
      for (const p of r.body.data) expect(p.object).toBe("person");
      seen.push(...r.body.data.map((p) => p.id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters, searches and sorts with the app's list parameters", async () => {
    const berlin = await callApi(listPeople, { token, query: [["f", "city:eq:Berlin"], ["sort", "name"]] });
    expect(berlin.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Will", "Yann"]);
    const rich = await callApi(listPeople, { token, query: [["f", "custom.budget:gte:200"], ["f", "city:eq:Paris"], ["sort", "-name"]] });
    expect(rich.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Xia", "Vera"]);
    const byBudget = await callApi(listPeople, { token, query: [["sort", "-custom.budget"], ["limit", "2"]] });
    expect(byBudget.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Vera", "Will"]);
    const next = await callApi(listPeople, { token, query: [["sort", "-custom.budget"], ["limit", "2"], ["cursor", byBudget.body.next_cursor]] });
    expect(next.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Xia", "Yann"]);
    const unknownCustom = await callApi(listPeople, { token, query: "f=custom.shoe:eq:9" });
    expect(unknownCustom.status).toBe(400);
    const [acme] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme Rockets') returning id`;
    await t.admin`update people set company_id = ${acme.id} where org_id = ${owner.orgId} and first_name in ('Yann', 'Vera')`;
    const byCompany = await callApi(listPeople, { token, query: [["f", "company_name:contains:rocket"], ["sort", "-company"], ["sort", "name"]] });
    expect(byCompany.status, JSON.stringify(byCompany.body)).toBe(400);
    const atAcme = await callApi(listPeople, { token, query: [["f", "company_name:contains:rocket"], ["sort", "name"]] });
    expect(atAcme.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Vera", "Yann"]);
    expect(atAcme.body.data[0].company_id).toBe(acme.id);
    const companyFirst = await callApi(listPeople, { token, query: [["sort", "company"], ["limit", "2"]] });
    expect(companyFirst.body.data.map((p: { first_name: string }) => p.first_name).sort()).toEqual(["Vera", "Yann"]);
    const ofAcme = await callApi(listPeople, { token, query: [["f", `company:eq:${acme.id}`], ["q", "vera"]] });
    expect(ofAcme.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Vera"]);
    const q = await callApi(listPeople, { token, query: "q=zoe" });
    expect(q.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Zoe"]);
    expect(q.body.next_cursor).toBeNull();
    // Full records, as GET /people/{id} returns them.
    const one = await callApi(getPerson, { token, params: { id: q.body.data[0].id } });
    expect(q.body.data[0]).toEqual(one.body);
  });

  it("refuses bad cursors, filters, sorts and limits with 400", async () => {
    const cursor = await callApi(listPeople, { token, query: "cursor=garbage" });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe("invalid_cursor");
    expect(cursor.body.error.details.cursor).toBeTruthy();
    const field = await callApi(listPeople, { token, query: "f=shoe_size:eq:9" });
    expect(field.status).toBe(400);
    expect(field.body.error.code).toBe("invalid_query");
    expect(field.body.error.details.f).toBeTruthy();
    const sort = await callApi(listPeople, { token, query: "sort=-nonsense" });
    expect(sort.status).toBe(400);
    expect(sort.body.error.details.sort).toBeTruthy();
    const limit = await callApi(listPeople, { token, query: "limit=500" });
    expect(limit.status).toBe(400);
    expect(limit.body.error.details.limit).toBeTruthy();
    const unknown = await callApi(listPeople, { token, query: "page=2" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.page).toBeTruthy();
  });

  it("needs the people:read scope", async () => {
    const companiesOnly = (await createTestKey(t, owner, ["companies:read"])).token;
    const r = await callApi(listPeople, { token: companiesOnly });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain("people:read");
  });
});
