import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { outcome } from "@/tests/support/outcome";
import * as dismissals from "./dismissals";
import type { SessionActor } from "@/lib/auth/actor";
import { mergeRecords as merge } from "./merge";
import { findDuplicatePairs, findDuplicatesOf } from "./queries";

const t = useTestDatabase();

// Each decision as the duplicates page's action answers it.
const dismissDuplicate = (...a: Parameters<typeof dismissals.dismissDuplicate>) => outcome(dismissals.dismissDuplicate(...a));
const restoreDuplicate = (...a: Parameters<typeof dismissals.restoreDuplicate>) => outcome(dismissals.restoreDuplicate(...a));
const mergeRecords = (...a: Parameters<typeof merge>) => outcome(merge(...a));

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let other: TestUser;
const actor = (u: TestUser, role: SessionActor["role"]): SessionActor => ({ claims: u.claims, orgId: u.orgId, role });
const pairKey = (x: string, y: string) => [x, y].sort().join();

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Dismiss Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Co" });
});

async function person(u: TestUser, values: Record<string, unknown>) {
  const row = await t.db.asUser(u.claims, (tx) =>
    tx.insertInto("people").values({ org_id: u.orgId, ...values } as never).returning("id").executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function company(u: TestUser, values: Record<string, unknown>) {
  const row = await t.db.asUser(u.claims, (tx) =>
    tx.insertInto("companies").values({ org_id: u.orgId, ...values } as never).returning("id").executeTakeFirstOrThrow(),
  );
  return row.id;
}

const peoplePairs = async (u: TestUser) =>
  (await t.db.asUser(u.claims, (tx) => findDuplicatePairs(tx, "person"))).map((p) => pairKey(p.a.id, p.b.id));

describe("Not a duplicate", () => {
  it("hides a dismissed pair of people from the review and the record panels, for the whole org, until undone", async () => {
    const a = await person(owner, { first_name: "Jordan", last_name: "Lee", phone: "+14155550123" });
    const b = await person(owner, { first_name: "Jordan", last_name: "Leigh", phone: "+14155550123" });
    const c = await person(owner, { first_name: "Jordan", last_name: "L.", email: "j@lee.example", additional_phones: ["+14155550123"] });
    expect(await peoplePairs(owner)).toEqual(expect.arrayContaining([pairKey(a, b), pairKey(a, c), pairKey(b, c)]));

    // Either order of the pair is the same pair.
    expect(await dismissDuplicate(t.db, actor(manager, "manager"), { type: "person", a: b, b: a })).toEqual({ ok: true });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "person", a, b })).toEqual({ ok: true });

    const seenByMember = await peoplePairs(member);
    expect(seenByMember).not.toContain(pairKey(a, b));
    expect(seenByMember).toEqual(expect.arrayContaining([pairKey(a, c), pairKey(b, c)]));
    const ofA = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", a));
    expect(ofA.map((m) => m.record.id)).toEqual([c]);
    const ofB = await t.db.asUser(member.claims, (tx) => findDuplicatesOf(tx, "person", b));
    expect(ofB.map((m) => m.record.id)).toEqual([c]);

    const rows = await t.admin`select org_id, person_a_id, person_b_id, dismissed_by from duplicate_dismissals`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ org_id: owner.orgId, dismissed_by: manager.id });
    expect([rows[0].person_a_id, rows[0].person_b_id]).toEqual([a, b].sort());
    const [audit] = await t.admin`select actor_id, action from audit_log where table_name = 'duplicate_dismissals'`;
    expect(audit).toMatchObject({ actor_id: manager.id, action: "insert" });

    expect(await restoreDuplicate(t.db, actor(manager, "manager"), { type: "person", a, b })).toEqual({ ok: true });
    expect(await peoplePairs(member)).toContain(pairKey(a, b));
  });

  it("hides a dismissed pair of companies", async () => {
    const x = await company(owner, { name: "Umbrella Corporation", domain: "umbrella.example" });
    const y = await company(owner, { name: "Umbrella Corp", domain: "umbrella.example" });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "company", a: x, b: y })).toEqual({ ok: true });
    const pairs = await t.db.asUser(owner.claims, (tx) => findDuplicatePairs(tx, "company"));
    expect(pairs.map((p) => pairKey(p.a.id, p.b.id))).not.toContain(pairKey(x, y));
    expect(await t.db.asUser(owner.claims, (tx) => findDuplicatesOf(tx, "company", x))).toEqual([]);
  });

  it("is for managers and up, in the app and in the database", async () => {
    const a = await person(owner, { first_name: "Casey", last_name: "Quinn", email: "casey@quinn.example" });
    const b = await person(owner, { first_name: "Casey", last_name: "Q.", additional_emails: ["casey@quinn.example"] });
    const refused = await dismissDuplicate(t.db, actor(member, "member"), { type: "person", a, b });
    expect(refused).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/managers, admins and owners/) });
    // A member claiming a higher role still meets the policy.
    const forged = await dismissDuplicate(t.db, actor(member, "manager"), { type: "person", a, b });
    expect(forged).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/managers, admins and owners/) });
    expect(await peoplePairs(owner)).toContain(pairKey(a, b));
  });

  it("rejects the same record twice, other orgs' records and unknown ids without writing", async () => {
    const a = await person(owner, { first_name: "Robin", last_name: "Park" });
    const theirs = await person(other, { first_name: "Robin", last_name: "Parker" });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "person", a, b: a })).toMatchObject({
      ok: false,
      fieldErrors: { b: "Choose two different records." },
    });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "person", a, b: theirs })).toMatchObject({
      ok: false,
      error: "One of these records no longer exists. Reload the page.",
    });
    // A person's id is not a company's.
    const c = await company(owner, { name: "Robin Park Ltd" });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "company", a: c, b: a })).toMatchObject({ ok: false });
    expect(await dismissDuplicate(t.db, actor(owner, "owner"), { type: "person", a, b: "nope" })).toMatchObject({
      ok: false,
      fieldErrors: { b: expect.any(String) },
    });
    const [{ n }] = await t.admin`select count(*)::int as n from duplicate_dismissals where person_b_id = ${theirs} or person_a_id = ${theirs}`;
    expect(n).toBe(0);
  });

  it("goes away with the merged record", async () => {
    const a = await person(owner, { first_name: "Sam", last_name: "Rivera", email: "sam@rivera.example" });
    const b = await person(owner, { first_name: "Sam", last_name: "R.", additional_emails: ["sam@rivera.example"] });
    expect((await dismissDuplicate(t.db, actor(owner, "owner"), { type: "person", a, b })).ok).toBe(true);
    const merged = await mergeRecords(t.db, actor(owner, "owner"), { type: "person", survivorId: a, mergedId: b, fields: {} });
    expect(merged.ok).toBe(true);
    const [{ n }] = await t.admin`select count(*)::int as n from duplicate_dismissals where person_a_id in (${a}, ${b}) or person_b_id in (${a}, ${b})`;
    expect(n).toBe(0);
  });
});
