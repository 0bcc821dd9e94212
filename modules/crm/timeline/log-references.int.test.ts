// Timeline items, audit rows and events name orgs, users and records without
// foreign keys (20261201011000_record_history); deleting what they name does what the keys'
// ON DELETE actions did.
import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createNote } from "@/modules/crm/notes/service";

const t = useTestDatabase();
let owner: TestUser;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "References Co" });
});

async function newPerson(user: TestUser, first_name: string, company_id?: string) {
  return t.db.asUser(user.claims, (tx) =>
    tx.insertInto("people").values({ org_id: user.orgId, first_name, company_id }).returning("id").executeTakeFirstOrThrow(),
  );
}

describe("deleting what log rows name", () => {
  it("keeps a deleted person's items on its company's timeline without the person, and removes a deleted note's items", async () => {
    const company = await t.db.asUser(owner.claims, (tx) =>
      tx.insertInto("companies").values({ org_id: owner.orgId, name: "Kept Inc" }).returning("id").executeTakeFirstOrThrow(),
    );
    const person = await newPerson(owner, "Gone", company.id);
    const other = await newPerson(owner, "Stays");
    const note = await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: other.id }, html: "<p>bye</p>" }),
    );
    await t.admin`update people set archived_at = now() where id = ${person.id}`;
    const before = await t.admin`select id from timeline_events where person_id = ${person.id} and company_id = ${company.id}`;
    expect(before).toHaveLength(1);

    await t.admin`delete from people where id = ${person.id}`;
    await t.admin`delete from notes where id = ${note.id}`;

    expect(await t.admin`select 1 from timeline_events where person_id = ${person.id}`).toHaveLength(0);
    const kept = await t.admin`select person_id, company_id, kind from timeline_events where id = ${before[0].id}`;
    expect(kept).toEqual([{ person_id: null, company_id: company.id, kind: "archived" }]);
    expect(await t.admin`select 1 from timeline_events where note_id = ${note.id}`).toHaveLength(0);
    expect(await t.admin`select kind from timeline_events where person_id = ${other.id} order by occurred_at, kind`).toEqual([
      { kind: "created" },
      { kind: "note_deleted" },
    ]);
  });

  it("says who deleted a note, on every timeline the note was on, keeping none of its text", async () => {
    const company = await t.db.asUser(owner.claims, (tx) =>
      tx.insertInto("companies").values({ org_id: owner.orgId, name: "Noted Inc" }).returning("id").executeTakeFirstOrThrow(),
    );
    const person = await newPerson(owner, "Noted", company.id);
    const deleter = await createMember(t, owner.orgId, "admin");
    const deal = await t.db.asUser(owner.claims, async (tx) => {
      const stage = await tx.selectFrom("pipeline_stages").select(["id", "pipeline_id"]).where("org_id", "=", owner.orgId).orderBy("position").executeTakeFirstOrThrow();
      return tx
        .insertInto("deals")
        .values({ org_id: owner.orgId, name: "Noted deal", pipeline_id: stage.pipeline_id, stage_id: stage.id, currency: "USD", person_id: person.id })
        .returning("id")
        .executeTakeFirstOrThrow();
    });
    const note = await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "deal", id: deal.id }, html: "<p>words taken back</p>" }),
    );

    await t.db.asUser(deleter.claims, (tx) => tx.deleteFrom("notes").where("id", "=", note.id).execute());

    const items = await t.admin`select kind, actor_id, deal_id, person_id, company_id, note_id, data::text as data
                               from timeline_events where subject_id = ${note.id}`;
    expect(items).toEqual([
      { kind: "note_deleted", actor_id: deleter.id, deal_id: deal.id, person_id: person.id, company_id: company.id, note_id: null, data: "{}" },
    ]);
  });

  it("leaves no deleted-note item when the note goes with its record", async () => {
    const person = await newPerson(owner, "Taken with notes");
    const note = await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: person.id }, html: "<p>gone too</p>" }),
    );
    await t.admin`delete from people where id = ${person.id}`;
    expect(await t.admin`select kind from timeline_events where subject_id = ${note.id}`).toEqual([]);
  });

  it("keeps a deleted user's items without the actor", async () => {
    const leaver = await createMember(t, owner.orgId, "member");
    const person = await newPerson(leaver, "By a leaver");
    await t.admin`delete from org_members where user_id = ${leaver.id}`;
    await t.admin`delete from auth.users where id = ${leaver.id}`;
    // Removing the member also unset the person's owner: an update by the remover.
    expect(await t.admin`select actor_id, actor_type from timeline_events where person_id = ${person.id} and kind = 'created'`).toEqual([
      { actor_id: null, actor_type: "user" },
    ]);
    expect(await t.admin`select 1 from timeline_events where actor_id = ${leaver.id}`).toHaveLength(0);
  });

  it("removes a deleted org's audit rows, events and timeline items, and nothing of other orgs", async () => {
    const doomed = await createUser(t, { orgName: "Doomed" });
    const person = await newPerson(doomed, "Doomed person");
    await t.admin`update people set title = 'Last' where id = ${person.id}`;
    const count = async (orgId: string) =>
      (
        await t.admin`select (select count(*) from audit_log where org_id = ${orgId})::int as audit,
                             (select count(*) from domain_events where org_id = ${orgId})::int as events,
                             (select count(*) from timeline_events where org_id = ${orgId})::int as timeline`
      )[0];
    expect(await count(doomed.orgId)).toMatchObject({ events: 2, timeline: 2 });
    const others = await count(owner.orgId);

    await t.admin`delete from orgs where id = ${doomed.orgId}`;

    expect(await count(doomed.orgId)).toEqual({ audit: 0, events: 0, timeline: 0 });
    expect(await count(owner.orgId)).toEqual(others);
  });
});
