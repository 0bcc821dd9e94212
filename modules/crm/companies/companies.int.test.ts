// Companies on real Postgres as real members: normalisation, validation per
// field (zod and the custom field trigger), role rules, bulk operations,
// domain events and timeline rows, the list engine, and cross-org refusals.

import { beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { DEFAULT_SORT, type ListState } from "@/modules/crm/lists/state";
import { createPerson } from "@/modules/crm/people/service";
import { type Actor } from "@/modules/crm/records/input";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { companyPeople, getCompany, listCompanies, searchCompanies } from "./queries";
import {
  archiveCompanies,
  assignCompanies,
  createCompany,
  deleteCompanies,
  restoreCompanies,
  tagCompanies,
  updateCompany,
  updateCompanyField,
} from "./service";

const t = useTestDatabase();

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let other: TestUser;
const roles = new Map<string, Actor["role"]>();

const as = <T,>(u: TestUser, fn: (tx: Tx, a: Actor) => Promise<T>) =>
  t.db.asUser(u.claims, (tx) => fn(tx, { userId: u.id, orgId: u.orgId, role: roles.get(u.id)! }));

/** The refusal `p` ends in, with the messages per field a form would show. */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { ...failureOf(e), status: e.status, message: e.message, fieldErrors: failureOf(e).fieldErrors ?? {} };
    throw e;
  }
  throw new Error("expected a refusal");
}

const state = (s: Partial<ListState> = {}): ListState => ({ filters: [], sort: DEFAULT_SORT, ...s });

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Companies Co", fullName: "Cora Owner" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Co" });
  roles.set(owner.id, "owner").set(manager.id, "manager").set(member.id, "member").set(other.id, "owner");
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'company', 'segment', 'Segment', 'select', '[{"value":"smb","label":"SMB"},{"value":"ent","label":"Enterprise"}]'),
           (${owner.orgId}, 'company', 'renewal', 'Renewal', 'date', '[]')`;
});

describe("create and update", () => {
  it("normalises domain, website, email, phone, state and employee count; owner defaults to the creator", async () => {
    const { id } = await as(member, (tx, a) =>
      createCompany(tx, a, {
        name: "  Initech ",
        domain: "https://www.Initech.example.com/about",
        website: "initech.example.com",
        email: "Sales@Initech.example.com",
        phone: "(212) 555-0199",
        state: "new york",
        employee_count: "1,200",
        tags: "prospect, Prospect",
        custom: { segment: "Enterprise", renewal: "2027-01-31" },
      }),
    );
    const [row] = await t.admin`select * from companies where id = ${id}`;
    expect(row).toMatchObject({
      name: "Initech",
      domain: "initech.example.com",
      website: "https://initech.example.com",
      email: "sales@initech.example.com",
      phone: "+12125550199",
      state: "NY",
      employee_count: 1200,
      tags: ["prospect"],
      owner_id: member.id,
      custom: { segment: "ent", renewal: "2027-01-31" },
    });
  });

  it("names each field at fault, the database's custom field check included", async () => {
    const e = await refusal(
      as(owner, (tx, a) => createCompany(tx, a, { domain: "nope", employee_count: "many", state: "Atlantis", custom: { renewal: "soon" } })),
    );
    expect(Object.keys(e.fieldErrors).sort()).toEqual(["custom.renewal", "domain", "employee_count", "name", "state"]);
    const raw = await t.db
      .asUser(owner.claims, (tx) =>
        tx
          .insertInto("companies")
          .values({ org_id: owner.orgId, name: "Raw", custom: { segment: "huge" } as never })
          .execute(),
      )
      .catch((err) => err);
    expect(raw).toMatchObject({ code: "23514", hint: "custom.segment" });
    const { id } = await as(owner, (tx, a) => createCompany(tx, a, { name: "Keep" }));
    const cleared = await refusal(as(owner, (tx, a) => updateCompany(tx, a, id, { name: "" })));
    expect(cleared.fieldErrors.name).toBe("Enter the company's name");
  });

  it("updates only what was sent and merges custom values", async () => {
    const { id } = await as(owner, (tx, a) => createCompany(tx, a, { name: "Merge", industry: "Retail", custom: { segment: "smb" } }));
    await as(owner, (tx, a) => updateCompany(tx, a, id, { custom: { renewal: "2027-02-01" } }));
    await as(owner, (tx, a) => updateCompanyField(tx, a, id, "employee_count", "40"));
    const c = await as(owner, (tx) => getCompany(tx, id));
    expect(c).toMatchObject({ industry: "Retail", employee_count: 40, custom: { segment: "smb", renewal: "2027-02-01" } });
    const events = await t.admin`select type, changes from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["company.created", "company.updated", "company.updated"]);
    expect(events[1].changes).toEqual({ "custom.renewal": [null, "2027-02-01"] });
    expect(events[2].changes).toEqual({ employee_count: [null, 40] });
    const timeline = await t.admin`select kind from timeline_events where company_id = ${id} order by id`;
    expect(timeline.map((r) => r.kind)).toEqual(["created", "updated", "updated"]);
  });

  it("edits the address rows in place, as the company's page does", async () => {
    const { id } = await as(owner, (tx, a) => createCompany(tx, a, { name: "Street Co", country: "US" }));
    await as(owner, (tx, a) => updateCompanyField(tx, a, id, "address_line1", "1 Market St"));
    await as(owner, (tx, a) => updateCompanyField(tx, a, id, "address_line2", "Suite 200"));
    await as(owner, (tx, a) => updateCompanyField(tx, a, id, "postal_code", "94105"));
    expect(await as(owner, (tx) => getCompany(tx, id))).toMatchObject({ address_line1: "1 Market St", address_line2: "Suite 200", postal_code: "94105" });
    const e = await refusal(as(owner, (tx, a) => updateCompanyField(tx, a, id, "state", "Narnia")));
    expect(Object.keys(e.fieldErrors)).toEqual(["state"]);
  });
});

describe("roles, bulk and other orgs", () => {
  it("archive and restore for managers and up, delete for owners and admins", async () => {
    const { id } = await as(member, (tx, a) => createCompany(tx, a, { name: "Roles Inc" }));
    expect((await refusal(as(member, (tx, a) => archiveCompanies(tx, a, [id])))).status).toBe(403);
    expect(await as(manager, (tx, a) => archiveCompanies(tx, a, [id]))).toBe(1);
    expect(await as(manager, (tx, a) => restoreCompanies(tx, a, [id]))).toBe(1);
    expect((await refusal(as(manager, (tx, a) => deleteCompanies(tx, a, [id])))).status).toBe(403);
    const { id: person } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Staff", company_id: id }));
    expect(await as(owner, (tx, a) => deleteCompanies(tx, a, [id]))).toBe(1);
    const [p] = await t.admin`select company_id from people where id = ${person}`;
    expect(p.company_id).toBeNull();
    const types = await t.admin`select type from domain_events where object_id = ${id} order by id`;
    expect(types.map((r) => r.type)).toEqual(["company.created", "company.archived", "company.restored", "company.deleted"]);
  });

  it("assigns and tags a selection; refuses ids of another org as a whole", async () => {
    const ids = [
      (await as(owner, (tx, a) => createCompany(tx, a, { name: "Bulk One" }))).id,
      (await as(owner, (tx, a) => createCompany(tx, a, { name: "Bulk Two", tags: ["hot"] }))).id,
    ];
    const { id: foreign } = await as(other, (tx, a) => createCompany(tx, a, { name: "Foreign" }));
    expect((await refusal(as(owner, (tx, a) => tagCompanies(tx, a, [...ids, foreign], "hot")))).status).toBe(404);
    expect(await as(owner, (tx, a) => tagCompanies(tx, a, ids, "HOT"))).toBe(1);
    expect(await as(manager, (tx, a) => assignCompanies(tx, a, ids, member.id))).toBe(2);
    const rows = await t.admin`select owner_id, tags from companies where id = any(${ids}) order by name`;
    expect(rows).toEqual([
      { owner_id: member.id, tags: ["HOT"] },
      { owner_id: member.id, tags: ["hot"] },
    ]);
    const [f] = await t.admin`select tags from companies where id = ${foreign}`;
    expect(f.tags).toEqual([]);
    expect(await as(owner, (tx) => getCompany(tx, foreign))).toBeNull();
    const e = await refusal(as(owner, (tx, a) => createCompany(tx, a, { name: "X", owner_id: other.id })));
    expect(e.fieldErrors.owner_id).toMatch(/member of your organization/);
  });
});

describe("queries", () => {
  it("lists with search, custom filters, sort by name and people counts; finds companies for the picker", async () => {
    const { id: globex } = await as(owner, (tx, a) =>
      createCompany(tx, a, { name: "Globex Query", custom: { segment: "ent" }, city: "Springfield" }),
    );
    await as(owner, (tx, a) => createCompany(tx, a, { name: "Aardvark Query", custom: { segment: "smb" } }));
    await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Hank", company_id: globex }));
    const all = await as(owner, (tx) => listCompanies(tx, state({ q: "Query", sort: { field: "name", dir: "asc" } })));
    expect(all.rows.map((r) => r.name)).toEqual(["Aardvark Query", "Globex Query"]);
    expect(all.rows[1]).toMatchObject({ people_count: 1, "custom.segment": "ent", city: "Springfield" });
    const ent = await as(owner, (tx) =>
      listCompanies(tx, state({ q: "Query", filters: [{ field: "custom.segment", op: "eq", value: "ent" }] })),
    );
    expect(ent.rows.map((r) => r.id)).toEqual([globex]);
    expect((await as(owner, (tx) => companyPeople(tx, globex))).map((p) => p.full_name)).toEqual(["Hank"]);
    expect((await as(owner, (tx) => searchCompanies(tx, "globex"))).map((c) => c.id)).toEqual([globex]);
    expect(await as(other, (tx) => searchCompanies(tx, "globex"))).toEqual([]);
  });
});
