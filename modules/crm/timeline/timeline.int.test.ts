import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createNote } from "@/modules/crm/notes/service";
import { logCall } from "@/modules/calls";
import { countTimeline, listTimeline, type TimelineItem } from "./queries";
import { TIMELINE_ACTIVITIES } from "./schema";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Timeline Co", fullName: "Olive Owner" });
  member = await createMember(t, owner.orgId, "member");
  await t.admin`update profiles set full_name = 'Max Member' where user_id = ${member.id}`;
  stranger = await createUser(t, { orgName: "Elsewhere" });
});

async function newPerson(user: TestUser, fields: { first_name: string; email?: string; company_id?: string }) {
  return t.db.asUser(user.claims, (tx) =>
    tx.insertInto("people").values({ org_id: user.orgId, ...fields }).returning("id").executeTakeFirstOrThrow(),
  );
}

async function all(user: TestUser, subject: { type: "person" | "company" | "deal"; id: string }, limit: number) {
  const seen: TimelineItem[] = [];
  let before: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await t.db.asUser(user.claims, (tx) => listTimeline(tx, subject, { before, limit }));
    seen.push(...page.items);
    if (!page.nextCursor) break;
    before = page.nextCursor;
  }
  return seen;
}

describe("listTimeline", () => {
  it("lists newest first and pages without duplicates or gaps, even with equal timestamps", async () => {
    const person = await newPerson(owner, { first_name: "Paging" });
    // One transaction: now() is the same for every row, so only the id orders them.
    await t.db.asUser(owner.claims, async (tx) => {
      for (let i = 0; i < 7; i++) await createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: person.id }, html: `<p>note ${i}</p>` });
    });
    for (let i = 0; i < 5; i++) {
      await t.db.asUser(owner.claims, (tx) =>
        createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: person.id }, html: `<p>later ${i}</p>` }),
      );
    }
    const expected = await t.admin`
      select id::text from timeline_events where person_id = ${person.id} order by occurred_at desc, id desc`;
    for (const size of [1, 2, 3, 5, 13, 50]) {
      const items = await all(owner, { type: "person", id: person.id }, size);
      expect(items.map((i) => i.id)).toEqual(expected.map((r) => r.id));
    }
    const first = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "person", id: person.id }, { limit: 2 }));
    expect(first.items[0].note?.html).toBe("<p>later 4</p>");
    expect(first.items[0].actor).toMatchObject({ id: owner.id, name: "Olive Owner", type: "user" });
    expect(first.items.at(-1)?.kind).toBe("note");
    const oldest = (await all(owner, { type: "person", id: person.id }, 50)).at(-1)!;
    expect(oldest.kind).toBe("created");
  });

  it("describes field edits with labels, names behind ids and custom field labels", async () => {
    const [company] = await t.db.asUser(owner.claims, (tx) =>
      Promise.all([tx.insertInto("companies").values({ org_id: owner.orgId, name: "Acme" }).returning("id").executeTakeFirstOrThrow()]),
    );
    await t.db.asUser(owner.claims, (tx) =>
      tx
        .insertInto("custom_field_definitions")
        .values({ org_id: owner.orgId, object_type: "person", key: "budget", label: "Budget", field_type: "number" })
        .execute(),
    );
    const person = await newPerson(owner, { first_name: "Edit", email: "a@example.test" });
    await t.db.asUser(member.claims, (tx) =>
      tx
        .updateTable("people")
        .set({ email: "b@example.test", company_id: company.id, owner_id: member.id, tags: ["vip", "hot"], custom: { budget: 1200 } as never })
        .where("id", "=", person.id)
        .execute(),
    );
    const { items } = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "person", id: person.id }));
    const updated = items.find((i) => i.kind === "updated")!;
    expect(updated.actor.name).toBe("Max Member");
    expect(updated.changes).toEqual([
      { field: "custom.budget", label: "Budget", from: null, to: "1200" },
      { field: "company_id", label: "Company", from: null, to: "Acme" },
      { field: "email", label: "Email", from: "a@example.test", to: "b@example.test" },
      { field: "owner_id", label: "Owner", from: null, to: "Max Member" },
      { field: "tags", label: "Tags", from: null, to: "vip, hot" },
    ]);
  });

  it("shows a changed instant in the reader's zone, and in UTC, saying so, to a reader without one", async () => {
    const person = await newPerson(owner, { first_name: "Clocky" });
    await t.admin`update people set last_contacted_at = '2026-03-03T20:30:00Z' where id = ${person.id}`;
    const change = async (timeZone?: string) => {
      const { items } = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "person", id: person.id }, { timeZone }));
      return items.find((i) => i.kind === "updated")?.changes?.find((c) => c.field === "last_contacted_at")?.to;
    };
    expect(await change("Pacific/Auckland")).toMatch(/^Mar 4, 2026, 9:30\sAM$/);
    expect(await change()).toMatch(/^Mar 3, 2026, 8:30\sPM UTC$/);
  });

  it("formats deal values as money and shows deal items on the deal's person and company", async () => {
    const [company] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Initech') returning id`;
    const person = await newPerson(owner, { first_name: "Peter", company_id: company.id });
    const [stage] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} order by position limit 1`;
    const deal = await t.db.asUser(owner.claims, (tx) =>
      tx
        .insertInto("deals")
        .values({ org_id: owner.orgId, name: "Upgrade", pipeline_id: stage.pipeline_id, stage_id: stage.id, person_id: person.id, company_id: company.id, value_minor: 100000, currency: "USD" })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    await t.db.asUser(owner.claims, (tx) => tx.updateTable("deals").set({ value_minor: 250050 }).where("id", "=", deal.id).execute());
    await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "deal", id: deal.id }, html: "<p>Call went well</p>" }),
    );
    const onDeal = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "deal", id: deal.id }));
    expect(onDeal.items.find((i) => i.kind === "updated")?.changes).toEqual([
      { field: "value_minor", label: "Value", from: "$1,000.00", to: "$2,500.50" },
    ]);
    expect(onDeal.items.find((i) => i.kind === "note")?.via).toBeUndefined();
    for (const subject of [{ type: "person" as const, id: person.id }, { type: "company" as const, id: company.id }]) {
      const { items } = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, subject));
      const note = items.find((i) => i.kind === "note");
      expect(note?.note?.html).toBe("<p>Call went well</p>");
      expect(note?.via).toEqual({ type: "deal", id: deal.id, name: "Upgrade" });
    }
  });

  it("shows nothing of another org's record, and refuses a tampered cursor", async () => {
    const person = await newPerson(owner, { first_name: "Private" });
    await t.db.asUser(owner.claims, (tx) =>
      createNote(tx, { orgId: owner.orgId }, { subject: { type: "person", id: person.id }, html: "<p>secret</p>" }),
    );
    const seen = await t.db.asUser(stranger.claims, (tx) => listTimeline(tx, { type: "person", id: person.id }));
    expect(seen).toEqual({ items: [], nextCursor: null });
    await expect(
      t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "person", id: person.id }, { before: "bm90LWEtY3Vyc29y" })),
    ).rejects.toThrow(/invalid/);
    const count = await t.db.asUser(owner.claims, async (tx) =>
      Number((await sql<{ n: string }>`select count(*) as n from timeline_events where person_id = ${person.id}`.execute(tx)).rows[0].n),
    );
    expect(count).toBe(2);
  });
});

describe("filtering by activity", () => {
  it("keeps one kind per filter in the database, counts each, and pages within it", async () => {
    const [company] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Filter Co') returning id`;
    const person = await newPerson(owner, { first_name: "Filtered", company_id: company.id });
    const subject = { type: "person" as const, id: person.id };
    await t.admin`insert into phones (org_id, number) values (${owner.orgId}, '+15125550177')`;
    await t.db.asUser(owner.claims, async (tx) => {
      await createNote(tx, { orgId: owner.orgId }, { subject, html: "<p>a note</p>" });
      const task = await tx
        .insertInto("tasks")
        .values({ org_id: owner.orgId, title: "Call back", person_id: person.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx.updateTable("tasks").set({ status: "done" }).where("id", "=", task.id).execute();
      await tx.updateTable("people").set({ title: "Buyer" }).where("id", "=", person.id).execute();
      await logCall(tx, owner.id, owner.orgId, { record: subject, direction: "inbound", outcome: "connected", minutes: 3 });
    });
    for (const body of ["one", "two", "three"]) {
      await t.admin`
        insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id)
        values (${owner.orgId}, 'inbound', '+15125550177', '+15125550178', ${body}, 'received', ${person.id})`;
    }
    await t.admin`
      insert into emails (org_id, direction, provider, from_address, to_addresses, subject, status, received_at, person_id)
      values (${owner.orgId}, 'inbound', 'gmail', 'filtered@x.test', '{me@x.test}', 'Re: hi', 'received', now(), ${person.id})`;

    const counts = await t.db.asUser(owner.claims, (tx) => countTimeline(tx, subject));
    expect(counts).toEqual({ all: 10, notes: 1, emails: 1, texts: 3, calls: 1, tasks: 2, changes: 2 });
    const kindsOf = async (activity: (typeof TIMELINE_ACTIVITIES)[number], limit = 50) => {
      const page = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, subject, { activity, limit }));
      return page;
    };
    const expected = {
      notes: ["note"],
      emails: ["email"],
      texts: ["sms_received", "sms_received", "sms_received"],
      calls: ["call_logged"],
      tasks: ["task_completed", "task"],
      changes: ["updated", "created"],
    };
    for (const a of TIMELINE_ACTIVITIES) {
      const page = await kindsOf(a);
      expect(page.items.map((i) => i.kind), a).toEqual(expected[a]);
      expect(page.items.every((i) => i.activity === a)).toBe(true);
    }
    const texts: string[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, subject, { activity: "texts", limit: 1, before }));
      texts.push(...page.items.map((i) => i.sms!.body));
      if (!page.nextCursor) break;
      before = page.nextCursor;
    }
    expect(texts).toEqual(["three", "two", "one"]);

    // The person's items that also show on the company keep their activity there.
    const onCompany = await t.db.asUser(owner.claims, (tx) => countTimeline(tx, { type: "company", id: company.id }));
    expect(onCompany).toMatchObject({ texts: 3, emails: 1, calls: 1 });
    expect(await t.db.asUser(stranger.claims, (tx) => countTimeline(tx, subject))).toMatchObject({ all: 0 });
  });

  it("reads a filtered page from the record's activity index, without sorting its timeline", async () => {
    const person = await newPerson(owner, { first_name: "Planned" });
    const plan = await t.db.asUser(owner.claims, async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const { rows } = await sql<{ "QUERY PLAN": string }>`
        explain select id from timeline_events e
        where e.person_id = ${person.id} and e.activity = 'emails'
        order by e.occurred_at desc, e.id desc limit 21`.execute(tx);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("timeline_person_activity_idx");
    expect(plan).not.toMatch(/\bSort\b/);
  });
});
