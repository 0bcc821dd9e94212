import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "@/lib/action-result";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listCustomFieldDefs } from "./queries";
import { compactCustom, customValuesFromFormData, customValuesSchema } from "./schema";
import { outcome } from "@/tests/support/outcome";
import * as service from "./service";
import type { SessionActor } from "@/lib/auth/actor";
import type { CustomFieldDef } from "./types";

// Each settings call as the settings page's action answers it.
const createCustomField = (...a: Parameters<typeof service.createCustomField>) => outcome(service.createCustomField(...a));
const updateCustomField = (...a: Parameters<typeof service.updateCustomField>) => outcome(service.updateCustomField(...a));
const reorderCustomFields = (...a: Parameters<typeof service.reorderCustomFields>) => outcome(service.reorderCustomFields(...a));
const setCustomFieldArchived = (...a: Parameters<typeof service.setCustomFieldArchived>) => outcome(service.setCustomFieldArchived(...a));
const deleteCustomField = (...a: Parameters<typeof service.deleteCustomField>) => outcome(service.deleteCustomField(...a));

const t = useTestDatabase();

let owner: TestUser;
let member: TestUser;
let admin: SessionActor;
let defs: CustomFieldDef[];

const actor = (u: TestUser, role: SessionActor["role"]): SessionActor => ({ claims: u.claims, orgId: u.orgId, role });

const FIELDS = [
  { label: "Nickname", key: "nickname", type: "text" },
  { label: "Budget", key: "budget", type: "number" },
  { label: "Renewal", key: "renewal", type: "date" },
  { label: "Tier", key: "tier", type: "select", options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }] },
  { label: "Interests", key: "interests", type: "multi_select", options: [{ value: "a", label: "Apples" }, { value: "b", label: "Bananas" }] },
  { label: "VIP", key: "vip", type: "checkbox" },
  { label: "Blog", key: "blog", type: "url" },
  { label: "Billing email", key: "billing_email", type: "email" },
  { label: "Mobile", key: "mobile", type: "phone" },
] as const;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Fields Co" });
  member = await createMember(t, owner.orgId, "member");
  admin = actor(owner, "owner");
  for (const f of FIELDS) {
    const r = await createCustomField(t.db, admin, { objectType: "person", ...f });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  defs = await t.db.asUser(owner.claims, (tx) => listCustomFieldDefs(tx, "person"));
});

const schema = (mode: "create" | "update" = "create") => z.object({ custom: customValuesSchema(defs, { mode }) });
const errorsOf = (input: unknown, mode: "create" | "update" = "create") => {
  const r = schema(mode).safeParse({ custom: input });
  return r.success ? {} : fieldErrorsOf(r.error.issues);
};

async function insertPerson(u: TestUser, custom: unknown) {
  return t.db.asUser(u.claims, (tx) =>
    tx
      .insertInto("people")
      .values({ org_id: u.orgId, first_name: "Test", custom: sql<string>`${JSON.stringify(custom)}::text::jsonb` })
      .returning(["id", "custom"])
      .executeTakeFirstOrThrow(),
  );
}

async function dbError(u: TestUser, custom: unknown) {
  return insertPerson(u, custom).then(
    () => null,
    (e: { code?: string; hint?: string; message?: string }) => ({ code: e.code, hint: e.hint, message: e.message }),
  );
}

describe("custom field definitions", () => {
  it("lists active fields in the order they were added", () => {
    expect(defs.map((d) => d.key)).toEqual(FIELDS.map((f) => f.key));
    expect(defs.find((d) => d.key === "tier")?.options).toEqual([
      { value: "gold", label: "Gold" },
      { value: "silver", label: "Silver" },
    ]);
  });

  it("are managed by owners and admins only, in the app and in the database", async () => {
    const r = await createCustomField(t.db, actor(member, "member"), { objectType: "person", label: "X", key: "x", type: "text" });
    expect(r).toMatchObject({ ok: false, code: "forbidden", error: "Only owners and admins can change custom fields." });
    await expect(
      t.db.asUser(member.claims, (tx) =>
        tx
          .insertInto("custom_field_definitions")
          .values({ org_id: member.orgId, object_type: "person", key: "sneaky", label: "Sneaky", field_type: "text" })
          .execute(),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    const upd = await t.db.asUser(member.claims, (tx) =>
      tx.updateTable("custom_field_definitions").set({ label: "Hacked" }).where("key", "=", "nickname").executeTakeFirst(),
    );
    expect(upd.numUpdatedRows).toBe(0n);
    // Members still read them, to fill in forms.
    expect(await t.db.asUser(member.claims, (tx) => listCustomFieldDefs(tx, "person"))).toHaveLength(FIELDS.length);
  });

  it("refuse a taken key, naming the field that has it, and a select without options", async () => {
    const dup = await createCustomField(t.db, admin, { objectType: "person", label: "Budget 2", key: "budget", type: "number" });
    expect(dup).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { key: expect.stringContaining('"Budget"') } });
    const bad = await createCustomField(t.db, admin, { objectType: "person", label: "Empty", key: "empty", type: "select", options: [] });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { options: "Add at least one option" } });
    const badKey = await createCustomField(t.db, admin, { objectType: "person", label: "Bad", key: "9 lives", type: "text" });
    expect(badKey).toMatchObject({ ok: false, fieldErrors: { key: expect.any(String) } });
    const gone = "00000000-0000-4000-8000-000000000000";
    expect(await updateCustomField(t.db, admin, { id: gone, label: "Ghost", options: [], required: false })).toMatchObject({
      ok: false,
      code: "not_found",
      error: "This custom field no longer exists.",
    });
    expect(await setCustomFieldArchived(t.db, admin, { id: gone }, true)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("reorder", async () => {
    const r = await createCustomField(t.db, admin, { objectType: "company", label: "One", key: "one", type: "text" });
    const r2 = await createCustomField(t.db, admin, { objectType: "company", label: "Two", key: "two", type: "text" });
    if (!r.ok || !r2.ok) throw new Error("setup");
    expect(await reorderCustomFields(t.db, admin, { objectType: "company", ids: [r2.data.id, r.data.id] })).toEqual({ ok: true, data: undefined });
    const order = await t.db.asUser(owner.claims, (tx) => listCustomFieldDefs(tx, "company"));
    expect(order.map((d) => d.key)).toEqual(["two", "one"]);
  });
});

describe("custom values: the zod schema", () => {
  it("normalises every type from form strings", () => {
    const r = schema().parse({
      custom: {
        nickname: "  Ace ",
        budget: "1,234.5",
        renewal: "2026-02-28",
        tier: "Gold",
        interests: "apples, b",
        vip: "on",
        blog: "example.com/blog",
        billing_email: "Billing@Example.COM",
        mobile: "(415) 555-0100",
      },
    });
    expect(r.custom).toEqual({
      nickname: "Ace",
      budget: 1234.5,
      renewal: "2026-02-28",
      tier: "gold",
      interests: ["a", "b"],
      vip: true,
      blog: "https://example.com/blog",
      billing_email: "billing@example.com",
      mobile: "+14155550100",
    });
  });

  it("accepts API values", () => {
    const r = schema().parse({ custom: { budget: 12, vip: false, interests: ["b"], renewal: "2026-01-01" } });
    expect(r.custom).toEqual({ budget: 12, vip: false, interests: ["b"], renewal: "2026-01-01" });
  });

  it("rejects invalid values of every type with the field's label at custom.<key>", () => {
    const errors = errorsOf({
      budget: "a lot",
      renewal: "2026-02-30",
      tier: "platinum",
      interests: ["a", "cherries"],
      vip: "maybe",
      blog: "javascript:alert(1)",
      billing_email: "not-an-email",
      mobile: "12",
      nickname: "x".repeat(10001),
    });
    expect(errors["custom.budget"]).toMatch(/^Budget must be a number/);
    expect(errors["custom.renewal"]).toMatch(/^Renewal must be a date/);
    expect(errors["custom.tier"]).toMatch(/^Tier: "platinum" is not an option/);
    expect(errors["custom.interests"]).toMatch(/^Interests: "cherries" is not an option/);
    expect(errors["custom.vip"]).toMatch(/^VIP/);
    expect(errors["custom.blog"]).toMatch(/^Blog: /);
    expect(errors["custom.billing_email"]).toMatch(/^Billing email: /);
    expect(errors["custom.mobile"]).toMatch(/^Mobile: /);
    expect(errors["custom.nickname"]).toMatch(/^Nickname can be at most/);
    expect(errorsOf({ nope: "x" })["custom.nope"]).toMatch(/no custom field "nope"/);
  });

  it("turns blanks into removals and enforces required fields", async () => {
    expect(schema().parse({ custom: { nickname: "  ", interests: [], budget: "" } }).custom).toEqual({
      nickname: null,
      interests: null,
      budget: null,
    });
    expect(compactCustom({ a: null, b: 1 })).toEqual({ b: 1 });

    const req = await createCustomField(t.db, admin, { objectType: "deal", label: "Source", key: "source", type: "text", required: true });
    if (!req.ok) throw new Error("setup");
    const dealDefs = [req.data];
    const s = (mode: "create" | "update") => z.object({ custom: customValuesSchema(dealDefs, { mode }) });
    expect(fieldErrorsOf(s("create").safeParse({ custom: {} }).error!.issues)).toEqual({ "custom.source": "Source is required" });
    expect(s("update").safeParse({ custom: {} }).success).toBe(true);
    expect(fieldErrorsOf(s("update").safeParse({ custom: { source: " " } }).error!.issues)).toEqual({
      "custom.source": "Source is required",
    });
  });

  it("reads plain form posts", () => {
    const fd = new FormData();
    fd.append("custom.budget", "10");
    fd.append("custom.interests", "a");
    fd.append("custom.interests", "b");
    fd.append("custom.vip.present", "1");
    expect(customValuesFromFormData(fd, defs)).toEqual({ budget: "10", interests: ["a", "b"], vip: false });
  });
});

describe("custom values: the database trigger", () => {
  it("stores what the schema outputs", async () => {
    const parsed = schema().parse({ custom: { budget: "5", tier: "silver", interests: "a", vip: "true", mobile: "+44 20 7946 0958" } });
    const row = await insertPerson(member, compactCustom(parsed.custom));
    expect(row.custom).toEqual({ budget: 5, tier: "silver", interests: ["a"], vip: true, mobile: "+442079460958" });
  });

  it("refuses a wrong value of every type written directly by a member, naming the field in the hint", async () => {
    const cases: [string, unknown][] = [
      ["nickname", 5],
      ["budget", "12"],
      ["renewal", "2026-13-01"],
      ["tier", "platinum"],
      ["interests", ["cherries"]],
      ["vip", "yes"],
      ["blog", "ftp://x.example"],
      ["billing_email", "Upper@Example.com"],
      ["mobile", "415 555 0100"],
      ["unknown_key", "x"],
    ];
    for (const [key, value] of cases) {
      const e = await dbError(member, { [key]: value });
      expect(e, key).toMatchObject({ code: "23514", hint: `custom.${key}` });
    }
  });
});

describe("changing fields", () => {
  it("refuses to remove an option still in use, saying how many records use it", async () => {
    const tier = defs.find((d) => d.key === "tier")!;
    await insertPerson(member, { tier: "gold" });
    await insertPerson(member, { tier: "gold" });
    const r = await updateCustomField(t.db, admin, { id: tier.id, label: "Tier", options: [{ value: "silver" }], required: false });
    expect(r).toMatchObject({ ok: false, fieldErrors: { options: expect.stringMatching(/"gold" is used by 2 records/) } });
    const renamed = await updateCustomField(t.db, admin, {
      id: tier.id,
      label: "Level",
      options: [{ value: "gold", label: "Golden" }, { value: "silver", label: "Silver" }, { value: "bronze" }],
      required: false,
    });
    expect(renamed).toMatchObject({ ok: true, data: { label: "Level", options: expect.arrayContaining([{ value: "bronze", label: "bronze" }]) } });
  });

  it("archiving hides the field but keeps values, and records stay editable", async () => {
    const blogDef = defs.find((d) => d.key === "blog")!;
    const p = await insertPerson(member, { blog: "https://a.example", budget: 1 });
    expect((await setCustomFieldArchived(t.db, admin, { id: blogDef.id }, true)).ok).toBe(true);
    const active = await t.db.asUser(member.claims, (tx) => listCustomFieldDefs(tx, "person"));
    expect(active.map((d) => d.key)).not.toContain("blog");
    // Another custom value changes; the archived one is kept as it was.
    await t.db.asUser(member.claims, (tx) =>
      tx
        .updateTable("people")
        .set({ custom: sql`custom || '{"budget": 2}'` })
        .where("id", "=", p.id)
        .execute(),
    );
    const [row] = await t.admin`select custom from people where id = ${p.id}`;
    expect(row.custom).toEqual({ blog: "https://a.example", budget: 2 });
    // New values for an archived field are refused.
    expect(await dbError(member, { blog: "https://b.example" })).toMatchObject({ hint: "custom.blog" });
    expect((await setCustomFieldArchived(t.db, admin, { id: blogDef.id }, false)).ok).toBe(true);
  });

  it("deleting a field removes its values from every record in the same transaction", async () => {
    const r = await createCustomField(t.db, admin, { objectType: "person", label: "Temp", key: "temp", type: "text" });
    if (!r.ok) throw new Error("setup");
    const a = await insertPerson(member, { temp: "one", budget: 3 });
    const b = await insertPerson(member, { temp: "two" });
    const res = await deleteCustomField(t.db, admin, { id: r.data.id });
    expect(res).toEqual({ ok: true, data: { cleared: 2 } });
    const rows = await t.admin`select id, custom from people where id in (${a.id}, ${b.id}) order by first_name, id`;
    const byId = Object.fromEntries(rows.map((x) => [x.id, x.custom]));
    expect(byId[a.id]).toEqual({ budget: 3 });
    expect(byId[b.id]).toEqual({});
    // The change is on each record's timeline like any other edit.
    const [tl] = await t.admin`select data from timeline_events where person_id = ${a.id} and kind = 'updated'`;
    expect(tl.data.changes["custom.temp"]).toEqual(["one", null]);
  });

  it("a member cannot delete a field (nor its values through it)", async () => {
    const nick = defs.find((d) => d.key === "nickname")!;
    await insertPerson(member, { nickname: "Kept" });
    expect(await deleteCustomField(t.db, actor(member, "member"), { id: nick.id })).toMatchObject({ ok: false, code: "forbidden" });
    const res = await t.db.asUser(member.claims, (tx) =>
      tx.deleteFrom("custom_field_definitions").where("id", "=", nick.id).executeTakeFirst(),
    );
    expect(res.numDeletedRows).toBe(0n);
    const [n] = await t.admin`select count(*)::int as n from people where custom ? 'nickname'`;
    expect(n.n).toBe(1);
  });

  it("another org's fields are invisible and do not validate this org's records", async () => {
    const other = await createUser(t, { orgName: "Other Co" });
    expect(await t.db.asUser(other.claims, (tx) => listCustomFieldDefs(tx, "person"))).toEqual([]);
    expect(await dbError(other, { budget: 1 })).toMatchObject({ hint: "custom.budget" });
  });
});
