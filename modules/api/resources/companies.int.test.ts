// The companies endpoints through their real route handlers on real Postgres
// under RLS: each endpoint's happy path and refusals, other orgs' ids, scopes,
// role rules, idempotency, and the events and audit rows an API write leaves.

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import {
  archiveCompany,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  restoreCompany,
  updateCompany,
} from "./companies";
import { createPerson } from "./people";

const t = useTestDatabase();

let owner: TestUser;
let token: string;
let readOnly: string;
let memberToken: string;
let otherToken: string;
let otherCompanyId: string;

async function seed(values: Record<string, unknown>) {
  const r = await callApi(createCompany, { token, body: values });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string } & Record<string, unknown>;
}

async function companyCount() {
  const [{ n }] = await t.admin`select count(*)::int as n from companies where org_id = ${owner.orgId}`;
  return n as number;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Companies API Co" });
  const other = await createUser(t, { orgName: "Rival Ltd" });
  token = (await createTestKey(t, owner, ["companies:read", "companies:write", "people:write"])).token;
  readOnly = (await createTestKey(t, owner, ["companies:read"])).token;
  const member = await createMember(t, owner.orgId, "admin");
  memberToken = (await createTestKey(t, member, ["companies:read", "companies:write"])).token;
  await t.admin`update org_members set role = 'member' where user_id = ${member.id}`;
  otherToken = (await createTestKey(t, other, ["companies:write"])).token;
  otherCompanyId = (await callApi(createCompany, { token: otherToken, body: { name: "Rival Secret" } })).body.id;
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'company', 'arr', 'ARR', 'number', '[]')`;
});

describe("companies", () => {
  it("creates with normalised values as the key's member, leaving API-key events and audit", async () => {
    const r = await callApi(createCompany, {
      token,
      body: {
        name: " Acme Corp ",
        domain: "https://www.Acme.com/about",
        employee_count: "1,200",
        state: "california",
        country: "US",
        tags: "b2b, enterprise",
        custom: { arr: 50000 },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      object: "company",
      name: "Acme Corp",
      domain: "acme.com",
      employee_count: 1200,
      state: "CA",
      tags: ["b2b", "enterprise"],
      owner_id: owner.id,
      custom: { arr: 50000 },
      address_line1: null,
    });
    const [event] = await t.admin`select type, actor_type from domain_events where object_id = ${r.body.id}`;
    expect(event).toEqual({ type: "company.created", actor_type: "api_key" });
    const [audit] = await t.admin`select actor_type from audit_log where record_id = ${r.body.id}`;
    expect(audit.actor_type).toBe("api_key");
  });

  it("refuses invalid and unknown fields with 422 details, writing nothing", async () => {
    const before = await companyCount();
    const noName = await callApi(createCompany, { token, body: { domain: "x.com" } });
    expect(noName.status).toBe(422);
    expect(noName.body.error.details.name).toEqual(["Enter the company's name"]);
    const bad = await callApi(createCompany, { token, body: { name: "B", employee_count: "many", state: "Narnia", country: "US" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details).sort()).toEqual(["employee_count", "state"]);
    const custom = await callApi(createCompany, { token, body: { name: "B", custom: { arr: "lots" } } });
    expect(custom.status).toBe(422);
    expect(custom.body.error.details["custom.arr"]).toBeTruthy();
    const unknown = await callApi(createCompany, { token, body: { name: "B", revenue: 1 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ revenue: ["Unknown field `revenue`"] });
    const media = await callApi(createCompany, { token, body: "name=B", headers: { "content-type": "text/plain" } });
    expect(media.status).toBe(415);
    expect(await companyCount()).toBe(before);
  });

  it("creates once for a repeated Idempotency-Key", async () => {
    const key = randomUUID();
    const a = await callApi(createCompany, { token, body: { name: "Once Inc" }, headers: { "idempotency-key": key } });
    const b = await callApi(createCompany, { token, body: { name: "Once Inc" }, headers: { "idempotency-key": key } });
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const [{ n }] = await t.admin`select count(*)::int as n from companies where name = 'Once Inc'`;
    expect(n).toBe(1);
  });

  it("gets and updates only the fields sent; a name cannot be cleared", async () => {
    const c = await seed({ name: "Patchable", industry: "Retail", city: "Austin" });
    expect((await callApi(getCompany, { token: readOnly, params: { id: c.id } })).body).toEqual(c);
    const r = await callApi(updateCompany, { token, params: { id: c.id }, body: { industry: "Software", custom: { arr: 7 } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "Patchable", industry: "Software", city: "Austin", custom: { arr: 7 } });
    const [event] = await t.admin`select actor_type, changes from domain_events where object_id = ${c.id} and type = 'company.updated'`;
    expect(event.actor_type).toBe("api_key");
    expect(event.changes.industry).toEqual(["Retail", "Software"]);
    const cleared = await callApi(updateCompany, { token, params: { id: c.id }, body: { name: null } });
    expect(cleared.status).toBe(422);
    expect(cleared.body.error.details.name).toBeTruthy();
    expect((await callApi(getCompany, { token, params: { id: c.id } })).body.name).toBe("Patchable");
  });

  it("archives and restores (managers and up), deletes (admins and owners)", async () => {
    const c = await seed({ name: "Lifecycle" });
    expect((await callApi(archiveCompany, { token: memberToken, params: { id: c.id } })).status).toBe(403);
    expect((await callApi(deleteCompany, { token: memberToken, params: { id: c.id } })).status).toBe(403);
    const a = await callApi(archiveCompany, { token, params: { id: c.id } });
    expect(a.status).toBe(200);
    expect(a.body.archived_at).not.toBeNull();
    const r = await callApi(restoreCompany, { token, params: { id: c.id } });
    expect(r.body.archived_at).toBeNull();
    // Its people stay, without the company.
    const p = await callApi(createPerson, { token, body: { first_name: "Staff", company_id: c.id } });
    expect(p.status).toBe(201);
    expect((await callApi(deleteCompany, { token, params: { id: c.id } })).status).toBe(204);
    expect((await callApi(getCompany, { token, params: { id: c.id } })).status).toBe(404);
    const [person] = await t.admin`select company_id from people where id = ${p.body.id}`;
    expect(person.company_id).toBeNull();
    const events = await t.admin`select type from domain_events where object_id = ${c.id} and actor_type = 'api_key' order by id`;
    expect(events.map((e) => e.type)).toEqual(["company.created", "company.archived", "company.restored", "company.deleted"]);
  });

  it("answers 404 for another org's company on every endpoint and changes nothing", async () => {
    const id = otherCompanyId;
    const replies = [
      await callApi(getCompany, { token, params: { id } }),
      await callApi(updateCompany, { token, params: { id }, body: { name: "Taken over" } }),
      await callApi(archiveCompany, { token, params: { id } }),
      await callApi(restoreCompany, { token, params: { id } }),
      await callApi(deleteCompany, { token, params: { id } }),
      await callApi(getCompany, { token, params: { id: "1234" } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(replies.every((r) => r.body.error.code === "not_found")).toBe(true);
    const [row] = await t.admin`select name, archived_at from companies where id = ${id}`;
    expect(row).toEqual({ name: "Rival Secret", archived_at: null });
    // Nor can a person be linked to it.
    const link = await callApi(createPerson, { token, body: { first_name: "Spy", company_id: id } });
    expect(link.status).toBe(422);
    expect(link.body.error.details.company_id).toBeTruthy();
  });

  it("lists with filters, sort and cursors; refuses bad cursors and missing scopes", async () => {
    await t.admin`delete from companies where org_id = ${owner.orgId}`;
    const names = ["Delta", "Alpha", "Echo", "Charlie", "Bravo"];
    for (const [i, name] of names.entries()) await seed({ name, employee_count: (i + 1) * 10 });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const q: [string, string][] = [["sort", "name"], ["limit", "2"], ["f", "employee_count:gte:20"]];
      if (cursor) q.push(["cursor", cursor]);
      const r: { status: number; body: { data: { name: string }[]; next_cursor: string | null } } = await callApi(listCompanies, { token: readOnly, query: q });
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c) => c.name));
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["Alpha", "Bravo", "Charlie", "Echo"]);

    // Name filters (narrowed through the word index) find parts of words, in any case.
    const named = async (f: string) =>
      ((await callApi(listCompanies, { token: readOnly, query: [["f", f], ["sort", "name"]] })).body.data as { name: string }[]).map((c) => c.name);
    expect(await named("name:contains:HARL")).toEqual(["Charlie"]);
    expect(await named("name:contains:zebulon")).toEqual([]);
    expect(await named("name:eq:bravo")).toEqual(["Bravo"]);

    const bad = await callApi(listCompanies, { token, query: "cursor=AAAA" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
    const noScope = (await createTestKey(t, owner, ["people:read"])).token;
    expect((await callApi(listCompanies, { token: noScope })).status).toBe(403);
    expect((await callApi(createCompany, { token: readOnly, body: { name: "No" } })).status).toBe(403);
  });
});
