// People on real Postgres as real members: normalisation, the duplicate
// email message, per-field validation (zod and the database's custom field
// trigger), role rules, bulk operations, and the domain events and timeline
// rows the database writes beside each change.

import { beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { createCompany } from "@/modules/crm/companies/service";
import { DEFAULT_SORT, type ListState } from "@/modules/crm/lists/state";
import { type Actor, asJsonb } from "@/modules/crm/records/input";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getPerson, listPeople } from "./queries";
import {
  archivePeople,
  assignPeople,
  createPerson,
  deletePeople,
  restorePeople,
  tagPeople,
  updatePerson,
  updatePersonField,
} from "./service";

const t = useTestDatabase();

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let other: TestUser;
const roles = new Map<string, Actor["role"]>();

function actor(u: TestUser): Actor {
  return { userId: u.id, orgId: u.orgId, role: roles.get(u.id) ?? "owner" };
}

function as<T>(u: TestUser, fn: (tx: Tx, a: Actor) => Promise<T>) {
  return t.db.asUser(u.claims, (tx) => fn(tx, actor(u)));
}

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
  owner = await createUser(t, { orgName: "People Co", fullName: "Olga Owner" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Co" });
  roles.set(owner.id, "owner").set(manager.id, "manager").set(member.id, "member").set(other.id, "owner");
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'person', 'budget', 'Budget', 'number', '[]'),
           (${owner.orgId}, 'person', 'tier', 'Tier', 'select', '[{"value":"gold","label":"Gold"},{"value":"silver","label":"Silver"}]')`;
});

describe("create", () => {
  it("normalises email, phones, state, LinkedIn and tags, defaults the owner to the creator", async () => {
    const { id } = await as(member, (tx, a) =>
      createPerson(tx, a, {
        first_name: "  Ada ",
        last_name: "Lovelace",
        email: "Ada.Lovelace@Example.COM",
        additional_emails: "ada@work.example.com, ADA@work.example.com",
        phone: "(415) 555-0100",
        additional_phones: ["+44 20 7946 0958"],
        state: "california",
        linkedin_url: "linkedin.com/in/Ada-Lovelace/",
        website: "example.com",
        tags: "vip, VIP , hot",
        custom: { budget: "1,250", tier: "Gold" },
      }),
    );
    const [row] = await t.admin`select * from people where id = ${id}`;
    expect(row).toMatchObject({
      first_name: "Ada",
      full_name: "Ada Lovelace",
      email: "ada.lovelace@example.com",
      additional_emails: ["ada@work.example.com"],
      phone: "+14155550100",
      additional_phones: ["+442079460958"],
      state: "CA",
      linkedin_url: "https://www.linkedin.com/in/ada-lovelace",
      website: "https://example.com",
      tags: ["vip", "hot"],
      owner_id: member.id,
      org_id: owner.orgId,
      custom: { budget: 1250, tier: "gold" },
    });
  });

  it("keeps a state outside the US as typed", async () => {
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Lise", state: "Ontario", country: "Canada" }));
    const [row] = await t.admin`select state from people where id = ${id}`;
    expect(row.state).toBe("Ontario");
  });

  it("names each field at fault", async () => {
    const e = await refusal(
      as(owner, (tx, a) =>
        createPerson(tx, a, { first_name: "X", email: "not-an-email", phone: "12", state: "Narnia", website: "javascript:alert(1)" }),
      ),
    );
    expect(Object.keys(e.fieldErrors).sort()).toEqual(["email", "phone", "state", "website"]);
    expect(e.fieldErrors.state).toMatch(/US state/);
    const none = await refusal(as(owner, (tx, a) => createPerson(tx, a, { title: "Nobody" })));
    expect(none.fieldErrors.first_name).toBe("Enter a name or an email address");
  });

  it("refuses NUL in any text field, custom ones too, naming the field instead of failing the write", async () => {
    const [before] = await t.admin`select count(*)::int as count from people`;
    const e = await refusal(
      as(owner, (tx, a) =>
        createPerson(tx, a, { first_name: "Ada\u0000", title: "a\u0000b", tags: ["ok", "x\u0000"], custom: { budget: "1\u0000" } }),
      ),
    );
    expect(e.fieldErrors).toEqual({
      first_name: "First name contains a character that is not allowed (NUL)",
      title: "Title contains a character that is not allowed (NUL)",
      "tags.1": "A tag contains a character that is not allowed (NUL)",
      "custom.budget": "Custom field contains a character that is not allowed (NUL)",
    });
    const [after] = await t.admin`select count(*)::int as count from people`;
    expect(after.count).toBe(before.count);
  });

  it("refuses a last-contacted day that does not exist rather than rolling it into the next month", async () => {
    for (const day of ["2026-02-31", "2026-02-29", "2026-02-30T10:00:00Z", "2026-04-31T08:00"]) {
      const e = await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "Late", last_contacted_at: day })));
      expect([day, e.fieldErrors.last_contacted_at]).toEqual([day, "Enter a date, e.g. 2026-03-01"]);
    }
  });

  it("validates custom fields by type, and the database refuses what slips past", async () => {
    const e = await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "C", custom: { budget: "lots", nope: 1 } })));
    expect(e.fieldErrors["custom.budget"]).toMatch(/Budget must be a number/);
    expect(e.fieldErrors["custom.nope"]).toMatch(/no custom field "nope"/);
    const select = await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "C", custom: { tier: "bronze" } })));
    expect(select.fieldErrors["custom.tier"]).toMatch(/not an option/);
    // Straight to the table: the trigger names the field in its hint.
    const db = await t.db
      .asUser(owner.claims, (tx) =>
        tx.insertInto("people").values({ org_id: owner.orgId, first_name: "Raw", custom: asJsonb({ budget: "x" }) }).execute(),
      )
      .catch((err) => err);
    expect(db).toMatchObject({ code: "23514", hint: "custom.budget" });
  });

  it("refuses a second active person with the same email, naming the first", async () => {
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Grace", last_name: "Hopper", email: "grace@example.com" }));
    const e = await refusal(as(member, (tx, a) => createPerson(tx, a, { first_name: "G", email: "GRACE@example.com" })));
    expect(e.status).toBe(409);
    expect(e.fieldErrors.email).toBe("Email is already used by Grace Hopper");
    expect(e).toMatchObject({ existing: { id, name: "Grace Hopper" } });
    // Once archived, the address is free again; restoring the first then clashes.
    await as(owner, (tx, a) => archivePeople(tx, a, [id]));
    const { id: second } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "New Grace", email: "grace@example.com" }));
    const clash = await refusal(as(owner, (tx, a) => restorePeople(tx, a, [id])));
    expect(clash.message).toMatch(/Grace Hopper can't be restored: grace@example.com is already used by New Grace/);
    await as(owner, (tx, a) => deletePeople(tx, a, [second]));
    expect(await as(owner, (tx, a) => restorePeople(tx, a, [id]))).toBe(1);
  });

  it("refuses an owner or company from another org as not found", async () => {
    const { id: foreignCompany } = await as(other, (tx, a) => createCompany(tx, a, { name: "Elsewhere Inc" }));
    const e = await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "Z", company_id: foreignCompany })));
    expect(e.fieldErrors.company_id).toMatch(/Choose a company/);
    const o = await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "Z", owner_id: other.id })));
    expect(o.fieldErrors.owner_id).toMatch(/member of your organization/);
  });
});

describe("events and timeline", () => {
  it("writes person.created, person.updated with changes, person.archived and .restored, person.deleted", async () => {
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Evie", email: "evie@example.com" }));
    await as(owner, (tx, a) => updatePerson(tx, a, id, { title: "CTO", custom: { budget: 10 } }));
    await as(owner, (tx, a) => archivePeople(tx, a, [id]));
    await as(owner, (tx, a) => restorePeople(tx, a, [id]));
    await as(owner, (tx, a) => deletePeople(tx, a, [id]));
    const events = await t.admin`select type, changes, actor_id, actor_type from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => e.type)).toEqual([
      "person.created",
      "person.updated",
      "person.archived",
      "person.restored",
      "person.deleted",
    ]);
    expect(events[1].changes).toEqual({ title: [null, "CTO"], "custom.budget": [null, 10] });
    expect(events[0]).toMatchObject({ actor_id: owner.id, actor_type: "user" });
  });

  it("shows created, field edits and archive on the person's timeline", async () => {
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Tim" }));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "title", "Engineer"));
    await as(owner, (tx, a) => archivePeople(tx, a, [id]));
    const rows = await t.admin`select kind, data, actor_id from timeline_events where person_id = ${id} order by id`;
    expect(rows.map((r) => r.kind)).toEqual(["created", "updated", "archived"]);
    expect(rows[1].data).toEqual({ changes: { title: [null, "Engineer"] } });
  });

  it("leaves nothing behind when a write is refused", async () => {
    const before = await t.admin`select count(*)::int as n from domain_events`;
    await refusal(as(owner, (tx, a) => createPerson(tx, a, { first_name: "Bad", custom: { budget: "x" } })));
    const after = await t.admin`select count(*)::int as n from domain_events`;
    expect(after[0].n).toBe(before[0].n);
  });
});

describe("roles", () => {
  it("lets managers archive and restore, not members; hard delete is for owners and admins", async () => {
    const { id } = await as(member, (tx, a) => createPerson(tx, a, { first_name: "Rolf" }));
    const archive = await refusal(as(member, (tx, a) => archivePeople(tx, a, [id])));
    expect(archive.status).toBe(403);
    // The database says no too, naming the field.
    const raw = await t.db
      .asUser(member.claims, (tx) => tx.updateTable("people").set({ archived_at: new Date() }).where("id", "=", id).execute())
      .catch((e) => e);
    expect(raw).toMatchObject({ code: "42501", hint: "archived_at" });
    expect(await as(manager, (tx, a) => archivePeople(tx, a, [id]))).toBe(1);
    expect(await as(manager, (tx, a) => restorePeople(tx, a, [id]))).toBe(1);
    expect((await refusal(as(manager, (tx, a) => deletePeople(tx, a, [id])))).status).toBe(403);
    expect(await as(owner, (tx, a) => deletePeople(tx, a, [id]))).toBe(1);
  });

  it("lets a member reassign their own person but not someone else's", async () => {
    const { id: mine } = await as(member, (tx, a) => createPerson(tx, a, { first_name: "Mine" }));
    await as(member, (tx, a) => updatePersonField(tx, a, mine, "owner", manager.id));
    const { id: theirs } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Theirs" }));
    const e = await refusal(as(member, (tx, a) => updatePersonField(tx, a, theirs, "owner", member.id)));
    expect(e.fieldErrors.owner).toMatch(/Only managers, admins and owners can reassign/);
  });
});

describe("inline edit", () => {
  it("saves one field by its list key and reports errors under that key", async () => {
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Ina", country: "Canada", state: "Quebec" }));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "phone", "415.555.0100"));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "state", "Ontario"));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "custom.tier", "silver"));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "tags", "a, b"));
    // The person's page edits the address rows in place too.
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "address_line1", "1 Rue Sainte-Catherine"));
    await as(owner, (tx, a) => updatePersonField(tx, a, id, "postal_code", "H2X 1K4"));
    const [row] = await t.admin`select phone, state, custom, tags, address_line1, postal_code from people where id = ${id}`;
    expect(row).toMatchObject({
      phone: "+14155550100",
      state: "Ontario",
      custom: { tier: "silver" },
      tags: ["a", "b"],
      address_line1: "1 Rue Sainte-Catherine",
      postal_code: "H2X 1K4",
    });
    const e = await refusal(as(owner, (tx, a) => updatePersonField(tx, a, id, "email", "nope")));
    expect(Object.keys(e.fieldErrors)).toEqual(["email"]);
    const nameless = await refusal(as(owner, (tx, a) => updatePersonField(tx, a, id, "first_name", "")));
    expect(nameless.fieldErrors.first_name).toBe("Enter a name or an email address");
    const cleared = await as(owner, (tx, a) => updatePersonField(tx, a, id, "custom.tier", null).then(() => getPerson(tx, id)));
    expect(cleared?.custom).toEqual({});
  });

  it("can't reach another org's person", async () => {
    const { id } = await as(other, (tx, a) => createPerson(tx, a, { first_name: "Hidden" }));
    expect((await refusal(as(owner, (tx, a) => updatePerson(tx, a, id, { title: "x" })))).status).toBe(404);
    expect((await refusal(as(owner, (tx, a) => archivePeople(tx, a, [id])))).status).toBe(404);
    expect(await as(owner, (tx) => getPerson(tx, id))).toBeNull();
  });
});

describe("bulk and list", () => {
  it("assigns, tags, archives and restores a selection, all or nothing", async () => {
    const ids: string[] = [];
    for (const n of ["Bulk A", "Bulk B", "Bulk C"]) {
      ids.push((await as(owner, (tx, a) => createPerson(tx, a, { first_name: n, tags: n === "Bulk A" ? ["Lead"] : [] }))).id);
    }
    expect(await as(manager, (tx, a) => assignPeople(tx, a, ids, manager.id))).toBe(3);
    expect((await refusal(as(member, (tx, a) => assignPeople(tx, a, ids, member.id)))).status).toBe(403);
    expect(await as(member, (tx, a) => tagPeople(tx, a, ids, "lead"))).toBe(2);
    const { id: foreign } = await as(other, (tx, a) => createPerson(tx, a, { first_name: "Foreign" }));
    expect((await refusal(as(owner, (tx, a) => archivePeople(tx, a, [...ids, foreign])))).status).toBe(404);
    const rows = await t.admin`select owner_id, tags, archived_at from people where id = any(${ids}) order by first_name`;
    expect(rows.map((r) => r.tags)).toEqual([["Lead"], ["lead"], ["lead"]]);
    expect(rows.every((r) => r.owner_id === manager.id && r.archived_at === null)).toBe(true);
    expect(await as(manager, (tx, a) => archivePeople(tx, a, ids))).toBe(3);
    expect(await as(manager, (tx, a) => restorePeople(tx, a, ids))).toBe(3);
  });

  it("lists with filters on company name, owner, tags and custom fields, sorts and pages", async () => {
    const { id: acme } = await as(owner, (tx, a) => createCompany(tx, a, { name: "Acme Widgets" }));
    for (let i = 0; i < 7; i++) {
      await as(owner, (tx, a) =>
        createPerson(tx, a, {
          first_name: `Lister ${i}`,
          company_id: i % 2 ? acme : null,
          owner_id: i < 3 ? manager.id : owner.id,
          tags: i % 3 === 0 ? ["list-vip"] : [],
          custom: { budget: i * 100 },
        }),
      );
    }
    const page = (s: Partial<ListState>, pageSize = 50) =>
      as(owner, (tx) => listPeople(tx, state({ q: "Lister", ...s }), { pageSize, userId: owner.id }));

    const byCompany = await page({ filters: [{ field: "company_name", op: "contains", value: "acme" }] });
    expect(byCompany.total).toBe(3);
    expect(byCompany.rows[0].company).toEqual({ id: acme, name: "Acme Widgets", href: `/companies/${acme}` });
    expect((await page({ filters: [{ field: "company", op: "eq", value: acme }] })).total).toBe(3);
    expect((await page({ filters: [{ field: "owner", op: "eq", value: "me" }] })).total).toBe(4);
    expect((await page({ filters: [{ field: "tags", op: "in", value: ["list-vip"] }] })).total).toBe(3);
    const rich = await page({ filters: [{ field: "custom.budget", op: "gte", value: "400" }], sort: { field: "custom.budget", dir: "desc" } });
    expect(rich.rows.map((r) => r.name)).toEqual(["Lister 6", "Lister 5", "Lister 4"]);
    expect(rich.rows[0]["custom.budget"]).toBe(600);

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const p = await page({ sort: { field: "name", dir: "asc" }, after }, 3);
      seen.push(...p.rows.map((r) => r.name as string));
      after = p.nextCursor ?? undefined;
    } while (after);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Lister ${i}`));
  });

  it("shows a person with company, owner name and counts", async () => {
    const { id: company } = await as(owner, (tx, a) => createCompany(tx, a, { name: "Detail Co" }));
    const { id } = await as(owner, (tx, a) => createPerson(tx, a, { first_name: "Dee", company_id: company }));
    const p = await as(owner, (tx) => getPerson(tx, id));
    expect(p).toMatchObject({ full_name: "Dee", company_name: "Detail Co", owner_name: "Olga Owner", open_deals_count: 0 });
  });
});
