import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { decodeCsvBytes, parseCsv } from "@/lib/csv";
import { commitImport, createImport, getImport, undoImport } from "@/modules/crm/import/service";
import { myTasksDue, newPeopleCounts, openDealsByStage, periodOf, recentTimeline } from "./queries";

const t = useTestDatabase();

let owner: TestUser;
let teammate: TestUser;
let outsider: TestUser;

// Wednesday 11 March 2026, 15:00 UTC.
const NOW = new Date("2026-03-11T15:00:00Z");
const as = <T>(user: TestUser, fn: Parameters<typeof t.db.asUser<T>>[1]) => t.db.asUser(user.claims, fn);

async function personAt(orgId: string, name: string, createdAt: Date, archived = false) {
  await t.admin`
    insert into people (org_id, first_name, created_at, archived_at)
    values (${orgId}, ${name}, ${createdAt}, ${archived ? createdAt : null})`;
}

async function stages(orgId: string) {
  return t.admin<{ id: string; name: string; pipeline_id: string }[]>`
    select s.id, s.name, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
    where s.org_id = ${orgId} and p.name = 'Sales' order by s.position`;
}

async function dealIn(orgId: string, stage: { id: string; pipeline_id: string }, minor: number, currency = "USD", archived = false) {
  await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency, archived_at)
    values (${orgId}, ${"Deal " + minor}, ${stage.pipeline_id}, ${stage.id}, ${minor}, ${currency}, ${archived ? new Date() : null})`;
}

async function taskFor(orgId: string, assignee: string, title: string, dueAt: Date, opts: { allDay?: boolean; done?: boolean } = {}) {
  await t.admin`
    insert into tasks (org_id, title, due_at, all_day, status, assignee_id)
    values (${orgId}, ${title}, ${dueAt}, ${opts.allDay ?? false}, ${opts.done ? "done" : "todo"}, ${assignee})`;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Dash", fullName: "Dana Owner" });
  teammate = await createMember(t, owner.orgId, "member");
  outsider = await createUser(t, { orgName: "Other" });
});

describe("periodOf", () => {
  it("starts weeks on Monday and days at local midnight, across a daylight-saving change", async () => {
    const utc = await as(owner, (tx) => periodOf(tx, NOW, "UTC"));
    expect(utc).toEqual({
      todayStart: new Date("2026-03-11T00:00:00Z"),
      tomorrowStart: new Date("2026-03-12T00:00:00Z"),
      weekStart: new Date("2026-03-09T00:00:00Z"),
      lastWeekStart: new Date("2026-03-02T00:00:00Z"),
    });
    // Sunday 8 March, 22:00 in Los Angeles: clocks went forward at 02:00 that day.
    const la = await as(owner, (tx) => periodOf(tx, new Date("2026-03-09T05:00:00Z"), "America/Los_Angeles"));
    expect(la).toEqual({
      todayStart: new Date("2026-03-08T08:00:00Z"),
      tomorrowStart: new Date("2026-03-09T07:00:00Z"),
      weekStart: new Date("2026-03-02T08:00:00Z"),
      lastWeekStart: new Date("2026-02-23T08:00:00Z"),
    });
  });
});

describe("dashboard figures", () => {
  it("counts active people created this week and last week, at the boundaries", async () => {
    const org = owner.orgId;
    await personAt(org, "Monday midnight", new Date("2026-03-09T00:00:00Z"));
    await personAt(org, "Tuesday", new Date("2026-03-10T12:00:00Z"));
    await personAt(org, "Just now", new Date("2026-03-11T14:59:00Z"));
    await personAt(org, "Archived", new Date("2026-03-10T12:00:00Z"), true);
    await personAt(org, "Sunday night", new Date("2026-03-08T23:59:59.999Z"));
    await personAt(org, "Last Monday", new Date("2026-03-02T00:00:00Z"));
    await personAt(org, "Older", new Date("2026-03-01T23:59:59Z"));
    await personAt(outsider.orgId, "Elsewhere", new Date("2026-03-10T12:00:00Z"));

    const counts = await as(owner, async (tx) => newPeopleCounts(tx, await periodOf(tx, NOW, "UTC")));
    expect(counts).toEqual({ thisWeek: 3, lastWeek: 2 });
    // In Tokyo (UTC+9) weeks begin nine hours earlier: Sunday night (UTC) is this week's, and
    // 1 March 23:59 UTC is already Monday 2 March there.
    const tokyo = await as(owner, async (tx) => newPeopleCounts(tx, await periodOf(tx, NOW, "Asia/Tokyo")));
    expect(tokyo).toEqual({ thisWeek: 4, lastWeek: 2 });
  });

  it("totals open deals per stage of the default pipeline, per currency", async () => {
    const org = owner.orgId;
    const [qualified, contact, proposal, , won] = await stages(org);
    await dealIn(org, qualified, 10_000);
    await dealIn(org, qualified, 5_050);
    await dealIn(org, proposal, 500);
    await dealIn(org, proposal, 1_000, "EUR");
    await dealIn(org, won, 99_999);
    await dealIn(org, contact, 7_777, "USD", true);
    const [other] = await t.admin`insert into pipelines (org_id, name, position) values (${org}, 'Hiring', 1) returning id`;
    const [otherStage] = await t.admin<{ id: string; pipeline_id: string }[]>`
      insert into pipeline_stages (org_id, pipeline_id, name, position) values (${org}, ${other.id}, 'Screen', 0)
      returning id, pipeline_id`;
    await dealIn(org, otherStage, 123);
    const [theirs] = await stages(outsider.orgId);
    await dealIn(outsider.orgId, theirs, 1);

    const result = await as(owner, (tx) => openDealsByStage(tx));
    expect(result.pipeline?.name).toBe("Sales");
    expect(result.stages).toEqual([
      { id: qualified.id, name: "Qualified", count: 2, values: [{ currency: "USD", minor: "15050" }] },
      { id: contact.id, name: "Contact made", count: 0, values: [] },
      {
        id: proposal.id,
        name: "Proposal sent",
        count: 2,
        values: [
          { currency: "EUR", minor: "1000" },
          { currency: "USD", minor: "500" },
        ],
      },
      { id: expect.any(String), name: "Negotiation", count: 0, values: [] },
    ]);
  });

  it("lists the member's own unfinished tasks that are overdue or due today", async () => {
    const org = owner.orgId;
    await taskFor(org, owner.id, "Yesterday", new Date("2026-03-10T16:00:00Z"));
    await taskFor(org, owner.id, "Last week", new Date("2026-03-03T09:00:00Z"));
    await taskFor(org, owner.id, "All day today", new Date("2026-03-11T00:00:00Z"), { allDay: true });
    await taskFor(org, owner.id, "This afternoon", new Date("2026-03-11T17:00:00Z"));
    await taskFor(org, owner.id, "Tomorrow", new Date("2026-03-12T00:00:00Z"));
    await taskFor(org, owner.id, "Done already", new Date("2026-03-09T10:00:00Z"), { done: true });
    await taskFor(org, teammate.id, "Someone else's", new Date("2026-03-10T10:00:00Z"));

    const tasks = await as(owner, async (tx) => myTasksDue(tx, owner.id, await periodOf(tx, NOW, "UTC")));
    expect(tasks.overdue.map((x) => x.title)).toEqual(["Last week", "Yesterday"]);
    expect(tasks.today.map((x) => x.title)).toEqual(["All day today", "This afternoon"]);
    expect([tasks.overdueCount, tasks.todayCount]).toEqual([2, 2]);

    const theirs = await as(teammate, async (tx) => myTasksDue(tx, teammate.id, await periodOf(tx, NOW, "UTC")));
    expect(theirs.overdue.map((x) => x.title)).toEqual(["Someone else's"]);
  });

  it("shows the org's latest timeline events with the actor and a link to the record", async () => {
    const personId = await as(teammate, async (tx) => {
      const p = await tx
        .insertInto("people")
        .values({ org_id: owner.orgId, first_name: "Ada", last_name: "Lovelace" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx.updateTable("people").set({ title: "Countess", phone: "+14155550199" }).where("id", "=", p.id).execute();
      await tx
        .insertInto("tasks")
        .values({ org_id: owner.orgId, title: "Send the notes", person_id: p.id, assignee_id: teammate.id })
        .execute();
      return p.id;
    });
    await as(outsider, (tx) =>
      tx.insertInto("companies").values({ org_id: outsider.orgId, name: "Not yours" }).execute(),
    );

    const items = await as(owner, (tx) => recentTimeline(tx, 3));
    expect(items.map((i) => i.summary)).toEqual(["added the task “Send the notes”", "updated phone, title", "created a person"]);
    for (const item of items) {
      expect(item.record).toEqual({ type: "person", id: personId, name: "Ada Lovelace", href: `/people/${personId}` });
      expect(item.actorType).toBe("user");
    }
    const all = await as(owner, (tx) => recentTimeline(tx, 50));
    expect(all.some((i) => i.record?.name === "Not yours")).toBe(false);
  });

  it("shows an import and its undo as one item each, not a line per record, and keeps the timeline around them", async () => {
    const user = await createUser(t, { orgName: "Importing", fullName: "Ivy Importer" });
    const actor = { userId: user.id, orgId: user.orgId, role: "owner" as const };
    await as(user, (tx) => tx.insertInto("people").values({ org_id: user.orgId, first_name: "Before" }).execute());
    // 30 people, 3 of them at companies the import adds, and one person already in the org (updated).
    await as(user, (tx) => tx.insertInto("people").values({ org_id: user.orgId, first_name: "Known", email: "known@x.example" }).execute());
    const lines = ["Name,Email,Company", "Known Again,known@x.example,"];
    for (let i = 0; i < 30; i++) lines.push(`Person ${i},p${i}@x.example,${i < 3 ? `Firm ${i}` : ""}`);
    const decoded = decodeCsvBytes(new TextEncoder().encode(lines.join("\n")));
    if (!decoded.ok) throw new Error(decoded.message);
    const parsed = parseCsv(decoded.value);
    if (!parsed.ok) throw new Error("csv");
    const { id } = await as(user, (tx) =>
      createImport(tx, actor, { objectType: "person", fileName: "leads.csv", fileSize: 1, headers: parsed.headers, rows: parsed.rows, rowNumbers: parsed.rowNumbers }),
    );
    const mapping = (await as(user, (tx) => getImport(tx, id)))!.mapping;
    await as(user, (tx) => commitImport(tx, actor, id, { mapping, duplicateMode: "update" }));
    await as(user, (tx) => tx.insertInto("people").values({ org_id: user.orgId, first_name: "After" }).execute());

    let items = await as(user, (tx) => recentTimeline(tx, 10));
    expect(items.map((i) => `${i.actor} ${i.summary}`)).toEqual([
      "Ivy Importer created a person",
      "Ivy Importer imported 30 people, updated 1, added 3 companies",
      "Ivy Importer created a person",
      "Ivy Importer created a person",
    ]);
    // A record shows by its current name: the import renamed "Known".
    expect(items.map((i) => i.record?.name ?? i.link?.label)).toEqual(["After", "leads.csv", "Known Again", "Before"]);
    expect(items[1].link).toEqual({ href: `/import/${id}`, label: "leads.csv" });

    await as(user, (tx) => undoImport(tx, actor, id));
    items = await as(user, (tx) => recentTimeline(tx, 3));
    expect(items.map((i) => i.summary)).toEqual(["undid an import of people", "created a person", "imported 30 people, updated 1, added 3 companies"]);

    // Another org never sees them.
    expect((await as(owner, (tx) => recentTimeline(tx, 50))).some((i) => i.link)).toBe(false);
  });

  it("is empty, not failing, for a brand-new org", async () => {
    const fresh = await createUser(t, { orgName: "Fresh" });
    const figures = await as(fresh, async (tx) => {
      const period = await periodOf(tx, NOW, "UTC");
      return {
        people: await newPeopleCounts(tx, period),
        deals: await openDealsByStage(tx),
        tasks: await myTasksDue(tx, fresh.id, period),
        timeline: await recentTimeline(tx),
      };
    });
    expect(figures.people).toEqual({ thisWeek: 0, lastWeek: 0 });
    expect(figures.deals.stages.map((s) => s.count)).toEqual([0, 0, 0, 0]);
    expect(figures.tasks).toEqual({ overdue: [], overdueCount: 0, today: [], todayCount: 0 });
    expect(figures.timeline).toEqual([]);
  });
});
