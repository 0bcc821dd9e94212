// Important dates on real Postgres: writing them as a member (sorted, on the
// deal's timeline, refused on the field when bad), who may write them (the
// deal's own update rules decide, RLS keeps other orgs out), and the
// dashboard's upcoming dates.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { sql } from "@/lib/db";
import { applySeed } from "@/lib/db/migrate";
import { DomainError, parseInput } from "@/lib/errors";
import { recentTimeline } from "@/modules/crm/dashboard/queries";
import { createDeal } from "@/modules/crm/deals";
import { addTeamMember, createTeam } from "@/modules/teams";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listDateKinds, listDealDates, upcomingDates } from "./queries";
import { dealDateSchema } from "./schema";
import { addDealDate, deleteDealDate, updateDealDate } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;

const actor = (u: TestUser): Pick<Actor, "orgId" | "userId"> => ({ orgId: u.orgId, userId: u.id });
const input = (fields: Record<string, unknown>) => parseInput(dealDateSchema, { kind: "Renewal", date: "2031-04-10", ...fields });

async function newDeal(by: TestUser, name: string, ownerId: string = by.id) {
  const [stage] = await t.admin`
    select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
     where p.org_id = ${by.orgId} order by p.position, s.position limit 1`;
  const { id } = await t.db.asUser(by.claims, (tx) =>
    createDeal(tx, actor(by), { name, pipelineId: stage.pipeline_id, stageId: stage.id, valueMinor: 0, currency: "USD", ownerId, tags: [], custom: {} } as never),
  );
  return id;
}

const add = (by: TestUser, dealId: string, fields: Record<string, unknown> = {}) =>
  t.db.asUser(by.claims, (tx) => addDealDate(tx, actor(by), dealId, input(fields)));

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
};

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Dates Co", fullName: "Olive Owner" });
  member = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
});

describe("a deal's important dates", () => {
  it("adds, lists soonest first, edits and removes them, each on the deal's timeline", async () => {
    const deal = await newDeal(owner, "Acme renewal");
    const later = await add(member, deal, { kind: "Contract end", date: "2031-09-30", note: "Give notice 30 days before", remindDaysBefore: 30 });
    const sooner = await add(member, deal, { kind: "Renewal", date: "2031-04-10" });
    const list = await t.db.asUser(owner.claims, (tx) => listDealDates(tx, deal));
    expect(list).toEqual([
      { id: sooner.id, kind: "Renewal", date: "2031-04-10", note: null, remindDaysBefore: null },
      { id: later.id, kind: "Contract end", date: "2031-09-30", note: "Give notice 30 days before", remindDaysBefore: 30 },
    ]);

    await t.db.asUser(member.claims, (tx) => updateDealDate(tx, sooner.id, input({ kind: "Renewal", date: "2031-05-01", remindDaysBefore: 7 })));
    await t.db.asUser(member.claims, (tx) => deleteDealDate(tx, later.id));
    expect(await t.db.asUser(owner.claims, (tx) => listDealDates(tx, deal))).toEqual([
      { id: sooner.id, kind: "Renewal", date: "2031-05-01", note: null, remindDaysBefore: 7 },
    ]);

    const timeline = await t.admin`
      select kind, actor_id, data from timeline_events where deal_id = ${deal} and kind like 'date%' order by id`;
    expect(timeline.map((e) => [e.kind, e.actor_id, e.data.kind, e.data.date])).toEqual([
      ["date_added", member.id, "Contract end", "2031-09-30"],
      ["date_added", member.id, "Renewal", "2031-04-10"],
      ["date_changed", member.id, "Renewal", "2031-05-01"],
      ["date_removed", member.id, "Contract end", "2031-09-30"],
    ]);
    expect(timeline[2].data.changes).toEqual({ date: ["2031-04-10", "2031-05-01"], remind_days_before: [null, 7] });
    // The dashboard's recent activity says it in words.
    const recent = await t.db.asUser(owner.claims, (tx) => recentTimeline(tx, 4));
    expect(recent.map((i) => i.summary)).toEqual([
      "removed the date Contract end",
      "changed the date Renewal",
      "added the date Renewal",
      "added the date Contract end",
    ]);
    // Every write is in the audit log.
    const [{ n }] = await t.admin`select count(*)::int as n from audit_log where table_name = 'deal_dates'`;
    expect(n).toBe(4);
  });

  it("refuses bad input on the field that is wrong, writing nothing", () => {
    const bad = (fields: Record<string, unknown>) => {
      const parsed = dealDateSchema.safeParse({ kind: "Renewal", date: "2031-04-10", ...fields });
      expect(parsed.success).toBe(false);
      return Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(bad({ kind: "  " })).toEqual({ kind: "Choose or type a kind" });
    expect(bad({ kind: "x".repeat(61) })).toEqual({ kind: "At most 60 characters" });
    expect(bad({ date: "" })).toEqual({ date: "Enter a date" });
    expect(bad({ date: "0026-08-20" })).toEqual({ date: "Enter a year from 1900 to 2999" });
    expect(bad({ date: "2031-02-30" })).toEqual({ date: "Enter a date as YYYY-MM-DD" });
    expect(bad({ remindDaysBefore: 400 })).toEqual({ remindDaysBefore: "Choose 0 to 365 days before, or no reminder" });
    expect(bad({ remindDaysBefore: "soon" })).toEqual({ remindDaysBefore: "Choose 0 to 365 days before, or no reminder" });
    expect(bad({ remindDaysBefore: true })).toEqual({ remindDaysBefore: "Choose when to be reminded" });
    expect(bad({ note: "n".repeat(1001) })).toEqual({ note: "At most 1,000 characters" });
    const e = (() => {
      try {
        parseInput(dealDateSchema, { kind: "", date: "tomorrow" });
      } catch (err) {
        return err as DomainError;
      }
    })();
    expect(e?.status).toBe(422);
    expect(Object.keys(e?.details ?? {}).sort()).toEqual(["date", "kind"]);
  });

  it("keeps other orgs out: their members neither see a deal's dates nor add, change or remove them", async () => {
    const deal = await newDeal(owner, "Private deal");
    const { id } = await add(owner, deal);
    expect(await t.db.asUser(stranger.claims, (tx) => listDealDates(tx, deal))).toEqual([]);
    expect((await refusal(add(stranger, deal))).code).toBe("not_found");
    expect((await refusal(t.db.asUser(stranger.claims, (tx) => updateDealDate(tx, id, input({ kind: "Hijacked" }))))).code).toBe("not_found");
    expect((await refusal(t.db.asUser(stranger.claims, (tx) => deleteDealDate(tx, id)))).code).toBe("not_found");
    // Naming the deal and its org outright is refused by the database itself.
    await expect(
      t.db.asUser(stranger.claims, (tx) =>
        sql`insert into deal_dates (org_id, deal_id, kind, date) values (${owner.orgId}, ${deal}, 'X', '2031-01-01')`.execute(tx),
      ),
    ).rejects.toThrow();
    const [row] = await t.admin`select kind from deal_dates where id = ${id}`;
    expect(row.kind).toBe("Renewal");
  });

  it("lets only those who may change the deal change its dates: the deal's own update policy decides", async () => {
    // What a locked stage does (issue 18's handoff): a restrictive update
    // policy on deals. Its dates follow without a rule of their own.
    await t.admin.unsafe(`create policy deals_test_lock on public.deals as restrictive for update to authenticated
                          using (name not like 'Locked%' or public.has_org_role(org_id, '{owner}'))`);
    try {
      const deal = await newDeal(owner, "Locked case");
      const { id } = await add(owner, deal);
      const locked = await refusal(add(member, deal));
      expect(locked.code).toBe("forbidden");
      expect(locked.message).toBe("You cannot change the dates of this deal");
      expect((await refusal(t.db.asUser(member.claims, (tx) => updateDealDate(tx, id, input({ kind: "Moved" }))))).code).toBe("forbidden");
      expect((await refusal(t.db.asUser(member.claims, (tx) => deleteDealDate(tx, id)))).code).toBe("forbidden");
      // Direct SQL as the member is refused the same way.
      await expect(t.db.asUser(member.claims, (tx) => sql`delete from deal_dates where id = ${id}`.execute(tx))).rejects.toThrow(
        "You cannot change the dates of this deal",
      );
      expect(await t.admin`select 1 from deal_dates where id = ${id}`).toHaveLength(1);
      // The member still reads them; the owner still writes them.
      expect(await t.db.asUser(member.claims, (tx) => listDealDates(tx, deal))).toHaveLength(1);
      await t.db.asUser(owner.claims, (tx) => deleteDealDate(tx, id));
    } finally {
      await t.admin.unsafe("drop policy deals_test_lock on public.deals");
    }
  });

  it("locks a case's dates with the case: in a locked stage only its side (and owners, admins) may change them", async () => {
    const caseManager = await createMember(t, owner.orgId, "member");
    const team = (await t.db.asUser(owner.claims, (tx) => createTeam(tx, owner.orgId, { name: "Case management" }))).id;
    await t.db.asUser(owner.claims, (tx) => addTeamMember(tx, owner.orgId, { teamId: team, userId: caseManager.id }));
    const deal = await newDeal(owner, "Accepted case");
    const { id } = await add(member, deal, { kind: "Embryo transfer" });
    const [d] = await t.admin`select stage_id from deals where id = ${deal}`;
    await t.admin`update pipeline_stages set locked = true, restricted_team_ids = ${[team]}::uuid[] where id = ${d.stage_id}`;
    try {
      const refused = await refusal(add(member, deal, { kind: "Due date" }));
      expect(refused.code).toBe("forbidden");
      expect(refused.message).toMatch(/^"Accepted case" is locked in the ".+" stage: only the Case management team can change its dates$/);
      expect((await refusal(t.db.asUser(member.claims, (tx) => updateDealDate(tx, id, input({ kind: "Moved" }))))).code).toBe("forbidden");
      expect((await refusal(t.db.asUser(member.claims, (tx) => deleteDealDate(tx, id)))).code).toBe("forbidden");
      await t.db.asUser(caseManager.claims, (tx) => updateDealDate(tx, id, input({ kind: "Embryo transfer", date: "2031-09-01" })));
      await add(owner, deal, { kind: "Due date" });
      expect((await t.admin`select kind from deal_dates where deal_id = ${deal} order by date`).map((r) => r.kind)).toEqual(["Due date", "Embryo transfer"]);
    } finally {
      await t.admin`update pipeline_stages set locked = false, restricted_team_ids = '{}' where id = ${d.stage_id}`;
    }
  });

  it("goes with its deal when the deal is deleted, leaving no timeline item behind", async () => {
    const deal = await newDeal(owner, "Short-lived");
    await add(owner, deal);
    await t.db.asUser(owner.claims, (tx) => sql`delete from deals where id = ${deal}`.execute(tx));
    expect(await t.admin`select 1 from deal_dates where deal_id = ${deal}`).toHaveLength(0);
    expect(await t.admin`select 1 from timeline_events where subject_id = ${deal} and kind = 'date_removed'`).toHaveLength(0);
  });

  it("offers the kinds the org's template seeded, with their usual reminders", async () => {
    const kinds = await t.db.asUser(member.claims, (tx) => listDateKinds(tx));
    expect(kinds.map((k) => k.name)).toEqual(["Renewal", "Contract end", "Decision date", "Kick-off"]);
    expect(kinds[0].remindDaysBefore).toBe(30);
    // A surrogacy agency starts with its own, from its template.
    const [agency] = await t.admin`insert into orgs (name, template) values ('Bloom test', 'surrogacy') returning id`;
    const seeded = await t.admin`select name from deal_date_kinds where org_id = ${agency.id} order by position`;
    expect(seeded.map((k) => k.name)).toEqual([
      "Medical screening",
      "Psychological screening",
      "Legal clearance",
      "Contract signed",
      "Embryo transfer",
      "Pregnancy confirmation",
      "Due date",
    ]);
    // Only owners and admins change the list.
    await expect(
      t.db.asUser(member.claims, (tx) => sql`insert into deal_date_kinds (org_id, name) values (${owner.orgId}, 'Mine')`.execute(tx)),
    ).rejects.toThrow();
  });
});

describe("upcoming dates on the dashboard", () => {
  it("lists the next 14 days from the reader's today, their own deals or the whole org's, without archived deals", async () => {
    const today = "2031-06-01";
    const mine = await newDeal(member, "Member's deal");
    const theirs = await newDeal(owner, "Owner's deal");
    const archived = await newDeal(member, "Archived deal");
    await add(member, mine, { kind: "Kick-off", date: "2031-06-04" });
    await add(member, mine, { kind: "Too far", date: "2031-06-16" });
    await add(member, mine, { kind: "Past", date: "2031-05-31" });
    await add(owner, theirs, { kind: "Renewal", date: "2031-06-01" });
    await add(member, archived, { kind: "Hidden", date: "2031-06-02" });
    await t.admin`update deals set archived_at = now() where id = ${archived}`;

    const own = await t.db.asUser(member.claims, (tx) => upcomingDates(tx, { today, ownerId: member.id }));
    expect(own.items.map((d) => [d.kind, d.date, d.deal.name])).toEqual([["Kick-off", "2031-06-04", "Member's deal"]]);
    expect(own.total).toBe(1);
    const all = await t.db.asUser(member.claims, (tx) => upcomingDates(tx, { today, ownerId: null }));
    expect(all.items.map((d) => [d.kind, d.date, d.owner])).toEqual([
      ["Renewal", "2031-06-01", "Olive Owner"],
      ["Kick-off", "2031-06-04", expect.any(String)],
    ]);
    expect(await t.db.asUser(stranger.claims, (tx) => upcomingDates(tx, { today, ownerId: null }))).toEqual({ items: [], total: 0 });
  });
});


describe("the surrogacy demo", () => {
  it("gives Bloom's cases important dates, most of them in the next two weeks, with their kinds on offer", async () => {
    await applySeed(t.adminUrl);
    const [bloom] = await t.admin`select id from orgs where name = 'Bloom Surrogacy Partners'`;
    const dates = await t.admin`
      select dd.kind, dd.date - current_date as days, d.owner_id is not distinct from dd.created_by as by_owner
        from deal_dates dd join deals d on d.id = dd.deal_id where dd.org_id = ${bloom.id} order by dd.date`;
    expect(dates).toHaveLength(8);
    expect(dates.filter((d) => d.days >= 0 && d.days <= 14)).toHaveLength(6);
    expect(dates.every((d) => d.by_owner)).toBe(true);
    const [{ n }] = await t.admin`select count(*)::int as n from deal_date_kinds where org_id = ${bloom.id}`;
    expect(n).toBe(7);
  });
});
