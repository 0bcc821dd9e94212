import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createCustomField } from "@/modules/crm/custom-fields/service";
import { outcome } from "@/tests/support/outcome";
import type { SessionActor } from "@/lib/auth/actor";
import { getMergePreview, mergeRecords as merge } from "./merge";
import { findDuplicatePairs, findDuplicatesOf } from "./queries";

const t = useTestDatabase();

// A merge as the merge dialog's action answers it.
const mergeRecords = (...a: Parameters<typeof merge>) => outcome(merge(...a));

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
const actor = (u: TestUser, role: SessionActor["role"]): SessionActor => ({ claims: u.claims, orgId: u.orgId, role });
const json = (v: unknown) => sql<string>`${JSON.stringify(v)}::text::jsonb`;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Merge Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  await createCustomField(t.db, actor(owner, "owner"), { objectType: "person", label: "Budget", key: "budget", type: "number" });
});

type PersonInput = Record<string, unknown> & { custom?: Record<string, unknown> };

async function person(u: TestUser, values: PersonInput) {
  const { custom, ...rest } = values;
  const row = await t.db.asUser(u.claims, (tx) =>
    tx
      .insertInto("people")
      .values({ org_id: u.orgId, ...rest, ...(custom ? { custom: json(custom) } : {}) } as never)
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function company(u: TestUser, values: Record<string, unknown>) {
  const row = await t.db.asUser(u.claims, (tx) =>
    tx.insertInto("companies").values({ org_id: u.orgId, ...values } as never).returning("id").executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function note(u: TestUser, ref: Record<string, string>, text: string) {
  await t.db.asUser(u.claims, (tx) =>
    tx.insertInto("notes").values({ org_id: u.orgId, body_html: `<p>${text}</p>`, body_text: text, ...ref }).execute(),
  );
}

async function stageOf(u: TestUser) {
  return t.db.asUser(u.claims, (tx) =>
    tx.selectFrom("pipeline_stages").select(["id", "pipeline_id"]).orderBy("position").executeTakeFirstOrThrow(),
  );
}

describe("finding duplicates", () => {
  it("pairs people by email (including additional ones), phone, and similar names at the same company or email domain", async () => {
    const acme = await company(owner, { name: "Acme" });
    const a = await person(owner, { first_name: "Dana", last_name: "Scully", email: "dana@fbi.example" });
    const b = await person(owner, { first_name: "D.", last_name: "Scully", additional_emails: ["dana@fbi.example"] });
    const c = await person(owner, { first_name: "Fox", last_name: "Mulder", phone: "+14155550111" });
    const d = await person(owner, { first_name: "Fox", last_name: "Muldr", phone: "+14155550111" });
    const e = await person(owner, { first_name: "Walter", last_name: "Skinner", company_id: acme });
    const f = await person(owner, { first_name: "Walter", last_name: "Skiner", company_id: acme });
    const g = await person(owner, { first_name: "Monica", last_name: "Reyes", email: "monica@xfiles.example" });
    const h = await person(owner, { first_name: "Monica", last_name: "Reyess", email: "m.reyes@xfiles.example" });
    // Similar names alone are not enough.
    await person(owner, { first_name: "John", last_name: "Doggett" });
    await person(owner, { first_name: "John", last_name: "Doggett" });

    const pairs = await t.db.asUser(manager.claims, (tx) => findDuplicatePairs(tx, "person"));
    const key = (x: string, y: string) => [x, y].sort().join();
    const found = new Map(pairs.map((p) => [key(p.a.id, p.b.id), p]));
    expect(found.get(key(a, b))?.reasons).toEqual(["Same email dana@fbi.example"]);
    expect(found.get(key(c, d))?.reasons[0]).toBe("Same phone +14155550111");
    expect(found.get(key(e, f))?.reasons[0]).toMatch(/^Similar name \(\d+%\) at the same company$/);
    expect(found.get(key(g, h))?.reasons[0]).toMatch(/same email domain xfiles\.example/);
    expect(pairs).toHaveLength(4);
    expect(pairs[0].score).toBeGreaterThanOrEqual(pairs[3].score);

    const ofA = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", a));
    expect(ofA.map((m) => m.record.id)).toEqual([b]);
    expect(ofA[0].score).toBe(95);
    const ofE = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", e));
    expect(ofE.map((m) => m.record.id)).toEqual([f]);
    expect(ofE[0].record.detail).toBe("Acme");
    const ofD = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", d));
    expect(ofD.map((m) => [m.record.id, m.reasons[0]])).toEqual([[c, "Same phone +14155550111"]]);
    const ofH = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", h));
    expect(ofH.map((m) => m.record.id)).toEqual([g]);
    expect(ofH[0].reasons[0]).toMatch(/same email domain xfiles\.example/);
  });

  it("pairs companies by domain and similar name, never across orgs", async () => {
    const x = await company(owner, { name: "Globex Corporation", domain: "globex.example" });
    const y = await company(owner, { name: "Globex Corp", domain: "globex.example" });
    const z = await company(owner, { name: "Initech Inc" });
    const w = await company(owner, { name: "Initech Inc." });
    const other = await createUser(t, { orgName: "Other" });
    await company(other, { name: "Globex Corporation", domain: "globex.example" });

    const pairs = await t.db.asUser(owner.claims, (tx) => findDuplicatePairs(tx, "company"));
    const ids = pairs.map((p) => [p.a.id, p.b.id].sort().join());
    expect(ids).toContain([x, y].sort().join());
    expect(ids).toContain([z, w].sort().join());
    const xy = pairs.find((p) => [p.a.id, p.b.id].includes(x))!;
    expect(xy.reasons[0]).toBe("Same domain globex.example");
    const ofW = await t.db.asUser(owner.claims, (tx) => findDuplicatesOf(tx, "company", w));
    expect(ofW.map((m) => m.record.id)).toEqual([z]);
    expect(ofW[0].reasons[0]).toMatch(/^Similar name \(\d+%\)$/);
    expect(await t.db.asUser(other.claims, (tx) => findDuplicatePairs(tx, "company"))).toEqual([]);
  });
});

describe("merging people", () => {
  it("moves notes, tasks, deals and timeline to the survivor, fills its blanks, and deletes the merged record", async () => {
    const stage = await stageOf(owner);
    const survivor = await person(owner, {
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@engine.example",
      tags: ["vip"],
      custom: { budget: 10 },
    });
    const merged = await person(owner, {
      first_name: "Augusta Ada",
      last_name: "King",
      email: "countess@engine.example",
      phone: "+442079460000",
      title: "Countess",
      tags: ["VIP", "math"],
      additional_emails: ["ada.king@engine.example"],
    });
    await note(owner, { person_id: survivor }, "Survivor note");
    await note(owner, { person_id: merged }, "Merged note");
    await t.db.asUser(owner.claims, (tx) =>
      tx.insertInto("tasks").values({ org_id: owner.orgId, title: "Call Ada", person_id: merged }).execute(),
    );
    await t.db.asUser(owner.claims, (tx) =>
      tx
        .insertInto("deals")
        .values({ org_id: owner.orgId, name: "Engine", pipeline_id: stage.pipeline_id, stage_id: stage.id, currency: "USD", person_id: merged })
        .execute(),
    );

    const preview = await t.db.asUser(manager.claims, (tx) => getMergePreview(tx, "person", survivor, merged));
    expect(preview?.b.counts).toEqual({ notes: 1, tasks: 1, deals: 1 });
    expect(preview?.fields.find((f) => f.key === "email")).toMatchObject({ conflict: true, a: "ada@engine.example" });
    expect(preview?.fields.find((f) => f.key === "title")).toMatchObject({ conflict: false, a: "", b: "Countess" });

    const r = await mergeRecords(t.db, actor(manager, "manager"), {
      type: "person",
      survivorId: survivor,
      mergedId: merged,
      fields: { email: "merged" },
    });
    expect(r).toEqual({ ok: true, data: { survivorId: survivor } });

    const [p] = await t.admin`select * from people where id = ${survivor}`;
    expect(p).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace",
      email: "countess@engine.example",
      phone: "+442079460000",
      title: "Countess",
      tags: ["vip", "math"],
      custom: { budget: 10 },
    });
    expect([...p.additional_emails].sort()).toEqual(["ada.king@engine.example", "ada@engine.example"]);
    expect((await t.admin`select 1 from people where id = ${merged}`).length).toBe(0);

    const notes = await t.admin`select body_text from notes where person_id = ${survivor} order by body_text`;
    expect(notes.map((n) => n.body_text)).toEqual(["Merged note", "Survivor note"]);
    expect((await t.admin`select person_id from tasks where title = 'Call Ada'`)[0].person_id).toBe(survivor);
    expect((await t.admin`select person_id from deals where name = 'Engine'`)[0].person_id).toBe(survivor);

    const timeline = await t.admin`select kind, subject_id, actor_id, data from timeline_events where person_id = ${survivor}`;
    const kinds = timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["created", "note", "task", "merged", "updated"]));
    expect(timeline.filter((e) => e.kind === "note")).toHaveLength(2);
    expect(timeline.filter((e) => e.kind === "created").map((e) => e.subject_id)).toEqual([survivor]);
    // Moved notes are not edited notes.
    const moved = await t.admin`select created_at, updated_at from notes where body_text = 'Merged note'`;
    expect(moved[0].updated_at).toEqual(moved[0].created_at);
    const item = timeline.find((e) => e.kind === "merged")!;
    expect(item).toMatchObject({ subject_id: survivor, actor_id: manager.id, data: { merged_id: merged, merged_name: "Augusta Ada King" } });
    expect((await t.admin`select count(*)::int as n from timeline_events where person_id = ${merged}`)[0].n).toBe(0);

    const events = await t.admin`select type, object_id, actor_id, changes from domain_events where type in ('person.merged', 'person.deleted') and (object_id = ${survivor} or object_id = ${merged})`;
    expect(events.find((e) => e.type === "person.merged")).toMatchObject({
      object_id: survivor,
      actor_id: manager.id,
      changes: { merged_id: merged },
    });
    expect(events.find((e) => e.type === "person.deleted")?.object_id).toBe(merged);
  });

  it("keeps the survivor's values unless told otherwise, per field including custom ones", async () => {
    const s = await person(owner, { first_name: "Grace", last_name: "Hopper", custom: { budget: 1 } });
    const m = await person(owner, { first_name: "Grace", last_name: "Murray", custom: { budget: 2 } });
    const r = await mergeRecords(t.db, actor(owner, "owner"), {
      type: "person",
      survivorId: s,
      mergedId: m,
      fields: { "custom.budget": "merged" },
    });
    expect(r.ok).toBe(true);
    const [p] = await t.admin`select last_name, custom from people where id = ${s}`;
    expect(p).toEqual({ last_name: "Hopper", custom: { budget: 2 } });
  });

  it("refuses members, in the app and in the database", async () => {
    const s = await person(owner, { first_name: "Alan", last_name: "Turing" });
    const m = await person(owner, { first_name: "Alan", last_name: "Turin" });
    const r = await mergeRecords(t.db, actor(member, "member"), { type: "person", survivorId: s, mergedId: m });
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    await expect(
      t.db.asUser(member.claims, (tx) => sql`select public.merge_people(${s}::uuid, ${m}::uuid, '{}')`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
    expect((await t.admin`select count(*)::int as n from people where id in (${s}, ${m})`)[0].n).toBe(2);
  });

  it("cannot merge another org's record, nor into one", async () => {
    const other = await createUser(t, { orgName: "Elsewhere" });
    const theirs = await person(other, { first_name: "Eve", email: "eve@elsewhere.example" });
    const mine = await person(owner, { first_name: "Eve" });
    const into = await mergeRecords(t.db, actor(owner, "owner"), { type: "person", survivorId: mine, mergedId: theirs });
    expect(into).toMatchObject({ ok: false, code: "not_found", error: "The record to merge was not found" });
    const from = await mergeRecords(t.db, actor(owner, "owner"), { type: "person", survivorId: theirs, mergedId: mine });
    expect(from).toMatchObject({ ok: false, error: "The record to keep was not found" });
    const [eve] = await t.admin`select first_name, email from people where id = ${theirs}`;
    expect(eve).toEqual({ first_name: "Eve", email: "eve@elsewhere.example" });
    expect(await t.db.asUser(owner.claims, (tx) => getMergePreview(tx, "person", mine, theirs))).toBeNull();
  });

  it("refuses merging a record with itself and unknown field choices", async () => {
    const s = await person(owner, { first_name: "Solo" });
    expect(await mergeRecords(t.db, actor(owner, "owner"), { type: "person", survivorId: s, mergedId: s })).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: "Choose two different records to merge.",
    });
    await expect(
      t.db.asUser(owner.claims, (tx) =>
        sql`select public.merge_people(${s}::uuid, ${s}::uuid, '{"email": "both"}')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: "22023" });
  });
});

describe("merging companies", () => {
  it("moves people, notes and deals to the surviving company", async () => {
    const stage = await stageOf(owner);
    const s = await company(owner, { name: "Umbrella", domain: "umbrella.example" });
    const m = await company(owner, { name: "Umbrella Corp", industry: "Pharma", tags: ["bio"] });
    const employee = await person(owner, { first_name: "Albert", last_name: "Wesker", company_id: m });
    await note(owner, { company_id: m }, "Company note");
    await t.db.asUser(owner.claims, (tx) =>
      tx
        .insertInto("deals")
        .values({ org_id: owner.orgId, name: "Umbrella deal", pipeline_id: stage.pipeline_id, stage_id: stage.id, currency: "USD", company_id: m })
        .execute(),
    );
    const r = await mergeRecords(t.db, actor(manager, "manager"), { type: "company", survivorId: s, mergedId: m });
    expect(r.ok).toBe(true);
    const [c] = await t.admin`select name, industry, tags from companies where id = ${s}`;
    expect(c).toEqual({ name: "Umbrella", industry: "Pharma", tags: ["bio"] });
    expect((await t.admin`select company_id from people where id = ${employee}`)[0].company_id).toBe(s);
    expect((await t.admin`select company_id from notes where body_text = 'Company note'`)[0].company_id).toBe(s);
    expect((await t.admin`select company_id from deals where name = 'Umbrella deal'`)[0].company_id).toBe(s);
    expect((await t.admin`select 1 from companies where id = ${m}`).length).toBe(0);
    expect((await t.admin`select count(*)::int as n from domain_events where type = 'company.merged' and object_id = ${s}`)[0].n).toBe(1);
    expect((await t.admin`select count(*)::int as n from timeline_events where kind = 'merged' and company_id = ${s}`)[0].n).toBe(1);
  });
});
