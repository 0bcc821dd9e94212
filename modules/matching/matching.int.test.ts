// Matching a deal of one pipeline with a deal of its partner pipeline (a
// case with intended parents): the flow, the refusals, the moves when
// matched, what it writes beside (history, timelines, events,
// notifications), who may, and suggestions explained by the org's criteria.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { applySeed } from "@/lib/db/migrate";
import { isDomainError } from "@/lib/errors";
import { addTeamMember, createTeam } from "@/modules/teams";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listDealMatches, matchSuggestions } from "./queries";
import { advanceMatch, declineMatch, proposeMatch } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let carmen: TestUser;
let ivy: TestUser;
let stranger: TestUser;
let stages: Record<string, string>;
let pipelines: { cases: string; parents: string };

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return { ...failureOf(e), code: e.code };
    throw e;
  }
}

async function pipeline(orgId: string, name: string, names: string[]) {
  const [p] = await t.admin`insert into pipelines (org_id, name, position) values (${orgId}, ${name}, 5) returning id`;
  const ids: Record<string, string> = {};
  for (const [i, n] of names.entries()) {
    const [s] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name, position) values (${orgId}, ${p.id}, ${n}, ${i}) returning id`;
    ids[n] = s.id;
  }
  return { id: p.id as string, stages: ids };
}

async function person(orgId: string, name: string, state: string | null, custom: Record<string, unknown> = {}) {
  const [first, ...rest] = name.split(" ");
  const [p] = await t.admin`insert into people (org_id, first_name, last_name, state, custom) values (${orgId}, ${first}, ${rest.join(" ")}, ${state}, ${t.admin.json(custom as never)}) returning id`;
  return p.id as string;
}

async function deal(orgId: string, name: string, pipelineId: string, stageId: string, opts: { personId?: string; valueMinor?: number; custom?: Record<string, unknown>; ownerId?: string } = {}) {
  const [d] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor, person_id, custom, owner_id)
    values (${orgId}, ${name}, ${pipelineId}, ${stageId}, 'USD', ${opts.valueMinor ?? 0}, ${opts.personId ?? null},
            ${t.admin.json((opts.custom ?? {}) as never)}, ${opts.ownerId ?? null})
    returning id`;
  return d.id as string;
}

const stageOf = async (id: string) => (await t.admin`select s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.id = ${id}`)[0].name;
const statusOf = async (id: string) => (await t.admin`select status from matches where id = ${id}`)[0].status;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Bloom Test Agency", fullName: "Olive Owner" });
  carmen = await createMember(t, owner.orgId, "manager");
  ivy = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
  await t.admin`update profiles set full_name = 'Carmen Cases' where user_id = ${carmen.id}`;
  const team = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Case management" }))).id;
  await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: team, userId: carmen.id }));
  const cases = await pipeline(owner.orgId, "Cases", ["Approved", "Pending match", "Matched"]);
  const parents = await pipeline(owner.orgId, "Intended parents", ["New", "Qualified", "Matched", "Declined"]);
  pipelines = { cases: cases.id, parents: parents.id };
  stages = {
    ...Object.fromEntries(Object.entries(cases.stages).map(([k, v]) => [`case ${k}`, v])),
    ...Object.fromEntries(Object.entries(parents.stages).map(([k, v]) => [`parents ${k}`, v])),
  };
  for (const s of ["case Pending match", "case Matched"]) {
    await t.admin`update pipeline_stages set restricted_team_ids = ${[team]} where id = ${stages[s]}`;
  }
  const [setting] = await t.admin`
    insert into match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label,
                                left_matched_stage_id, right_matched_stage_id, left_candidate_stage_ids, right_candidate_stage_ids)
    values (${owner.orgId}, ${cases.id}, ${parents.id}, 'Surrogate', 'Parents', ${stages["case Matched"]},
            ${stages["parents Matched"]}, ${[stages["case Pending match"]]}, ${[stages["parents Qualified"]]})
    returning id`;
  await t.admin`
    insert into match_criteria (org_id, setting_id, position, label, left_field, left_term, operator, right_field, right_term, "values")
    values (${owner.orgId}, ${setting.id}, 1, 'State law', 'person.state', 'Lives in', 'in_list', null, 'surrogacy-friendly state', '{CA,TX,WA,NV}'),
           (${owner.orgId}, ${setting.id}, 2, 'Accepted states', 'person.state', 'Lives in', 'in', 'custom.accepted_states', 'parents accept', '{}'),
           (${owner.orgId}, ${setting.id}, 3, 'Budget', 'custom.expected_compensation', 'expected', 'lte', 'deal.value', 'Budget', '{}')`;
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'deal', 'expected_compensation', 'Expected compensation', 'number', '[]'),
           (${owner.orgId}, 'deal', 'accepted_states', 'Accepted states', 'multi_select',
            ${t.admin.json(["CA", "TX", "WA", "NV", "NY"].map((v) => ({ value: v, label: v })))})`;
});

async function pair(tag: string) {
  const c = await deal(owner.orgId, `Case ${tag}`, pipelines.cases, stages["case Pending match"], {
    personId: await person(owner.orgId, `Sam ${tag}`, "TX"),
    ownerId: ivy.id,
  });
  const p = await deal(owner.orgId, `Parents ${tag}`, pipelines.parents, stages["parents Qualified"], { ownerId: owner.id });
  return { c, p };
}

describe("the match flow", () => {
  it("goes proposed → surrogate reviewing → parents reviewing → match meeting → matched, moving both deals to their matched stage", async () => {
    const { c, p } = await pair("Flow");
    const { id } = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }));
    expect(await statusOf(id)).toBe("proposed");
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await as(carmen, (tx) => advanceMatch(tx, { id }))).status);
    expect(seen).toEqual(["left_review", "right_review", "meeting", "matched"]);
    expect(await stageOf(c)).toBe("Matched");
    expect(await stageOf(p)).toBe("Matched");

    const [moved] = await t.admin`select reason, changed_by from deal_stage_history where deal_id = ${c} order by id desc limit 1`;
    expect(moved).toMatchObject({ reason: `Matched: Case Flow with Parents Flow`, changed_by: carmen.id });

    const [m] = await as(carmen, (tx) => listDealMatches(tx, p));
    expect(m).toMatchObject({ status: "matched", statusLabel: "Matched", side: "right", other: { id: c, name: "Case Flow", personName: "Sam Flow" } });
    expect(m.history.map((h) => [h.from, h.toLabel, h.by])).toEqual([
      [null, "Proposed", "Carmen Cases"],
      ["proposed", "Surrogate reviewing", "Carmen Cases"],
      ["left_review", "Parents reviewing", "Carmen Cases"],
      ["right_review", "Match meeting", "Carmen Cases"],
      ["meeting", "Matched", "Carmen Cases"],
    ]);
    expect(await act(carmen, (tx) => advanceMatch(tx, { id }))).toMatchObject({ ok: false, code: "conflict", error: "This match is already matched." });

    // Both timelines tell it with the other side's name; the events and the owners' notifications follow.
    const timeline = await t.admin`select deal_id, kind, data ->> 'other_name' as other from timeline_events where data ->> 'match_id' = ${id} order by id`;
    expect(timeline.filter((e) => e.deal_id === c).map((e) => [e.kind, e.other])).toEqual([
      ["match_proposed", "Parents Flow"],
      ["match_advanced", "Parents Flow"],
      ["match_advanced", "Parents Flow"],
      ["match_advanced", "Parents Flow"],
      ["match_matched", "Parents Flow"],
    ]);
    expect(timeline.filter((e) => e.deal_id === p).map((e) => e.other)).toEqual(Array(5).fill("Case Flow"));
    const events = await t.admin`select type, data ->> 'status' as status, actor_id from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ["match.proposed", "proposed"],
      ["match.status_changed", "left_review"],
      ["match.status_changed", "right_review"],
      ["match.status_changed", "meeting"],
      ["match.matched", "matched"],
    ]);
    expect(events.every((e) => e.actor_id === carmen.id)).toBe(true);
    const notes = await t.admin`select user_id, title, link from notifications where dedupe_key like ${`match:${id}:%`} order by id`;
    expect(notes.map((n) => [n.user_id, n.title, n.link])).toEqual([
      [ivy.id, "Match proposed: Case Flow with Parents Flow", `/deals/${c}`],
      [owner.id, "Match proposed: Case Flow with Parents Flow", `/deals/${p}`],
      [ivy.id, "Matched: Case Flow with Parents Flow", `/deals/${c}`],
      [owner.id, "Matched: Case Flow with Parents Flow", `/deals/${p}`],
    ]);
  });

  it("takes the pair in either order, and refuses a second open match of it and any match of a matched deal with 409", async () => {
    const { c, p } = await pair("Twice");
    const { id } = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: p, counterpartId: c }));
    expect((await t.admin`select left_deal_id, right_deal_id from matches where id = ${id}`)[0]).toEqual({ left_deal_id: c, right_deal_id: p });
    expect(await act(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }))).toMatchObject({
      ok: false,
      code: "conflict",
      error: 'A match of "Case Twice" with "Parents Twice" is already open',
    });
    // Declined, the pair may be proposed again.
    await as(carmen, (tx) => declineMatch(tx, { id, side: "right", reason: "Parents want a surrogate nearer home" }));
    const again = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }));
    for (let i = 0; i < 4; i++) await as(carmen, (tx) => advanceMatch(tx, { id: again.id }));
    const other = await deal(owner.orgId, "Parents Later", pipelines.parents, stages["parents Qualified"]);
    expect(await act(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: other }))).toMatchObject({
      ok: false,
      code: "conflict",
      error: '"Case Twice" is already matched with "Parents Twice"',
    });
    // Deals of pipelines that are not paired are refused by name.
    const [sales] = await t.admin`select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id where p.org_id = ${owner.orgId} and p.name <> 'Cases' and p.name <> 'Intended parents' limit 1`;
    const salesDeal = await deal(owner.orgId, "Sales deal", sales.pipeline_id, sales.id);
    expect(await act(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: salesDeal, counterpartId: other }))).toMatchObject({
      ok: false,
      error: '"Sales deal" and "Parents Later" are not on pipelines that match with each other',
      fieldErrors: { counterpartId: expect.any(String) },
    });
  });

  it("declines only with a reason and the side that declined, from any open status, and never twice", async () => {
    const { c, p } = await pair("Decline");
    const { id } = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }));
    await as(carmen, (tx) => advanceMatch(tx, { id }));
    expect(await act(carmen, (tx) => declineMatch(tx, { id, side: "left", reason: "   " }))).toMatchObject({
      ok: false,
      fieldErrors: { reason: "Say why the match is declined" },
    });
    expect(await act(carmen, (tx) => declineMatch(tx, { id, reason: "No" }))).toMatchObject({ ok: false, fieldErrors: { side: "Say which side declined" } });
    // The database holds to it too, whatever the path.
    await expect(as(carmen, (tx) => sql`update matches set status = 'declined' where id = ${id}`.execute(tx))).rejects.toMatchObject({
      message: "Say why the match is declined",
    });
    expect(await statusOf(id)).toBe("left_review");
    await as(carmen, (tx) => declineMatch(tx, { id, side: "left", reason: "Surrogate wants to wait a year" }));
    const [m] = await as(carmen, (tx) => listDealMatches(tx, c));
    expect(m).toMatchObject({ status: "declined", declinedBy: "left", declineReason: "Surrogate wants to wait a year" });
    expect(m.history.at(-1)).toMatchObject({ from: "left_review", to: "declined", reason: "Surrogate wants to wait a year" });
    expect(await act(carmen, (tx) => declineMatch(tx, { id, side: "right", reason: "Again" }))).toMatchObject({ ok: false, code: "conflict", error: "This match is already declined." });
    const [note] = await t.admin`select body from notifications where dedupe_key = ${`match:${id}:declined`} and user_id = ${ivy.id}`;
    expect(note.body).toBe("Surrogate declined: Surrogate wants to wait a year");
    // Skipping a step is refused by the database, naming the step that comes next.
    const skipParents = await deal(owner.orgId, "Parents Skip", pipelines.parents, stages["parents Qualified"]);
    const { id: skip } = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: skipParents }));
    await expect(as(carmen, (tx) => sql`update matches set status = 'matched' where id = ${skip}`.execute(tx))).rejects.toMatchObject({
      message: 'A match that is "Proposed" goes to "Surrogate reviewing" next',
    });
  });

  it("declines the other open matches of both deals when one is made, saying which", async () => {
    const { c, p } = await pair("Rival");
    const rivalParents = await deal(owner.orgId, "Parents Rival B", pipelines.parents, stages["parents Qualified"]);
    const rivalCase = await deal(owner.orgId, "Case Rival B", pipelines.cases, stages["case Pending match"]);
    const made = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }));
    const other1 = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: rivalParents }));
    const other2 = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: rivalCase, counterpartId: p }));
    for (let i = 0; i < 4; i++) await as(carmen, (tx) => advanceMatch(tx, { id: made.id }));
    const rows = await t.admin`select id, status, declined_by, decline_reason from matches where id in ${t.admin([other1.id, other2.id])}`;
    expect(rows.map((r) => [r.status, r.declined_by, r.decline_reason])).toEqual([
      ["declined", null, "Matched: Case Rival with Parents Rival"],
      ["declined", null, "Matched: Case Rival with Parents Rival"],
    ]);
    expect(await stageOf(rivalParents)).toBe("Qualified");
  });
});

describe("who may match", () => {
  it("is whoever may move deals into both matched stages: the case manager's team, owners and admins; others read", async () => {
    const { c, p } = await pair("Gate");
    const refusal = "Only those who may move deals into the matched stages can propose matches";
    expect(await act(ivy, (tx) => proposeMatch(tx, ivy.orgId, { dealId: c, counterpartId: p }))).toMatchObject({ ok: false, code: "forbidden", error: refusal });
    await expect(as(ivy, (tx) => sql`insert into matches (org_id, left_deal_id, right_deal_id) values (${ivy.orgId}, ${c}, ${p})`.execute(tx))).rejects.toMatchObject({
      code: "42501",
      message: refusal,
    });
    const { id } = await as(owner, (tx) => proposeMatch(tx, owner.orgId, { dealId: c, counterpartId: p }));
    expect(await act(ivy, (tx) => advanceMatch(tx, { id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await act(ivy, (tx) => declineMatch(tx, { id, side: "left", reason: "Not me" }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await statusOf(id)).toBe("proposed");
    // Ivy still reads it.
    expect((await as(ivy, (tx) => listDealMatches(tx, c))).map((m) => m.id)).toEqual([id]);
    expect((await as(ivy, (tx) => sql<{ ok: boolean }>`select public.may_match(setting_id) as ok from matches where id = ${id}`.execute(tx))).rows[0].ok).toBe(false);
    expect((await as(carmen, (tx) => sql<{ ok: boolean }>`select public.may_match(setting_id) as ok from matches where id = ${id}`.execute(tx))).rows[0].ok).toBe(true);
  });

  it("keeps every org to its own matches", async () => {
    const { c, p } = await pair("Fenced");
    const { id } = await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: p }));
    const seen = await as(stranger, (tx) => sql<{ n: number }>`select (select count(*) from matches where id = ${id})::int + (select count(*) from match_status_history where match_id = ${id})::int + (select count(*) from match_settings where org_id = ${owner.orgId})::int as n`.execute(tx));
    expect(seen.rows[0].n).toBe(0);
    expect(await act(stranger, (tx) => advanceMatch(tx, { id }))).toMatchObject({ ok: false, code: "not_found" });
    expect(await act(stranger, (tx) => proposeMatch(tx, stranger.orgId, { dealId: c, counterpartId: p }))).toMatchObject({ ok: false, fieldErrors: { dealId: "That deal was not found" } });
    await expect(as(stranger, (tx) => sql`insert into matches (org_id, left_deal_id, right_deal_id) values (${owner.orgId}, ${c}, ${p})`.execute(tx))).rejects.toMatchObject({ code: "42501" });
    expect(await statusOf(id)).toBe("proposed");
  });
});

describe("suggestions", () => {
  it("rank the partner pipeline's candidates by fit, each with reasons met, unmet or not recorded", async () => {
    const c = await deal(owner.orgId, "Case Suggest", pipelines.cases, stages["case Pending match"], {
      personId: await person(owner.orgId, "Tess Suggest", "TX"),
      custom: { expected_compensation: 55000 },
    });
    const fits = await deal(owner.orgId, "Parents Fit", pipelines.parents, stages["parents Qualified"], { valueMinor: 8_000_000, custom: { accepted_states: ["TX", "CA"] } });
    const poor = await deal(owner.orgId, "Parents Poor", pipelines.parents, stages["parents Qualified"], { valueMinor: 4_000_000, custom: { accepted_states: ["NY"] } });
    const unknown = await deal(owner.orgId, "Parents Unknown", pipelines.parents, stages["parents Qualified"]);
    const notYet = await deal(owner.orgId, "Parents New", pipelines.parents, stages["parents New"], { valueMinor: 9_000_000 });
    const list = (await as(carmen, (tx) => matchSuggestions(tx, c)))!;
    const ids = list.map((s) => s.dealId);
    expect(ids).not.toContain(notYet);
    const mine = list.filter((s) => [fits, poor, unknown].includes(s.dealId));
    expect(mine.map((s) => s.name)).toEqual(["Parents Fit", "Parents Unknown", "Parents Poor"]);
    expect(mine[0].reasons.map((r) => [r.outcome, r.text])).toEqual([
      ["met", "Lives in TX: surrogacy-friendly state"],
      ["met", "Lives in TX: parents accept TX"],
      ["met", "Budget $80,000 ≥ expected $55,000"],
    ]);
    expect(mine[1].reasons.map((r) => [r.outcome, r.text])).toEqual([
      ["met", "Lives in TX: surrogacy-friendly state"],
      ["unknown", "Accepted states: parents accept not recorded"],
      ["unknown", "Budget: Budget not recorded"],
    ]);
    expect(mine[2].reasons.map((r) => [r.outcome, r.text])).toEqual([
      ["met", "Lives in TX: surrogacy-friendly state"],
      ["unmet", "Lives in TX: parents accept only NY"],
      ["unmet", "Budget $40,000 < expected $55,000"],
    ]);
    // From the parents' side, the cases come ranked the same way; proposed and matched ones drop out.
    await as(carmen, (tx) => proposeMatch(tx, carmen.orgId, { dealId: c, counterpartId: poor }));
    expect((await as(carmen, (tx) => matchSuggestions(tx, c)))!.map((s) => s.dealId)).not.toContain(poor);
    const back = (await as(carmen, (tx) => matchSuggestions(tx, fits)))!;
    expect(back.find((s) => s.dealId === c)?.reasons.map((r) => r.outcome)).toEqual(["met", "met", "met"]);
  });
});

describe("the surrogacy template", () => {
  it("pairs Cases with Intended parents, their Matched stages, candidates' stages and criteria, and sales orgs get none", async () => {
    const [u] = await t.admin`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      values ('agency@example.test', 'x', now(), ${t.admin.json({ full_name: "Agency Owner", org_name: "Agency", org_template: "surrogacy" })}, 'authenticated', 'authenticated')
      returning id`;
    const [{ org_id: org }] = await t.admin`select org_id from org_members where user_id = ${u.id}`;
    const [s] = await t.admin`
      select lp.name as left_pipeline, rp.name as right_pipeline, s.left_label, s.right_label, ls.name as left_matched, rs.name as right_matched,
             (select array_agg(x.name) from pipeline_stages x where x.id = any (s.left_candidate_stage_ids)) as left_candidates,
             (select array_agg(x.name) from pipeline_stages x where x.id = any (s.right_candidate_stage_ids)) as right_candidates
      from match_settings s join pipelines lp on lp.id = s.left_pipeline_id join pipelines rp on rp.id = s.right_pipeline_id
      join pipeline_stages ls on ls.id = s.left_matched_stage_id join pipeline_stages rs on rs.id = s.right_matched_stage_id
      where s.org_id = ${org}`;
    expect(s).toEqual({
      left_pipeline: "Cases",
      right_pipeline: "Intended parents",
      left_label: "Surrogate",
      right_label: "Intended parents",
      left_matched: "Matched",
      right_matched: "Matched",
      left_candidates: ["Pending match"],
      right_candidates: ["Qualified"],
    });
    const criteria = await t.admin`select label, left_field, operator, right_field from match_criteria where org_id = ${org} order by position`;
    expect(criteria.map((c) => c.label)).toEqual(["State law", "Preferred states", "Budget"]);
    expect(await t.admin`select 1 from custom_field_definitions where org_id = ${org} and key = 'expected_compensation'`).toHaveLength(1);
    expect(await t.admin`select 1 from match_settings where org_id = ${owner.orgId} and left_label <> 'Surrogate'`).toHaveLength(0);
    expect(await t.admin`select 1 from match_settings where org_id = ${stranger.orgId}`).toHaveLength(0);
  });
});

describe("the surrogacy demo", () => {
  it("has two cases matched and one match with the parents, made by Carmen, and suggestions that say what is unmet", async () => {
    await applySeed(t.adminUrl);
    const rows = await t.admin`
      select c.name as surrogate, p.name as parents, m.status,
             (select array_agg(distinct h.changed_by) from match_status_history h where h.match_id = m.id) as by
      from matches m join deals c on c.id = m.left_deal_id join deals p on p.id = m.right_deal_id
      join orgs o on o.id = m.org_id where o.name = 'Bloom Surrogacy Partners' order by c.name`;
    const [carmenDemo] = await t.admin`select id from auth.users where email = 'carmen.cases@covey.local'`;
    expect(rows.map((r) => [r.surrogate, r.parents, r.status])).toEqual([
      ["Christina Butler", "Priya Kapoor", "matched"],
      ["Katherine Powell", "Elena Moreau", "matched"],
      ["Natalie Diaz", "Michael Thompson", "right_review"],
    ]);
    expect(rows.every((r) => r.by.length === 1 && r.by[0] === carmenDemo.id)).toBe(true);
    const [andrea] = await t.admin`select id from deals where name = 'Andrea Russell'`;
    const claims = { sub: carmenDemo.id, email: "carmen.cases@covey.local", role: "authenticated", aud: "authenticated" };
    const list = (await t.db.asUser(claims, (tx) => matchSuggestions(tx, andrea.id)))!;
    // Michael Thompson is in a match with Natalie Diaz, not matched yet: still a candidate.
    expect(list.map((s) => s.name)).toEqual(["James O'Connor", "Michael Thompson"]);
    expect(list[0].reasons.map((r) => [r.outcome, r.text])).toEqual([
      ["unmet", "Lives in IN: not surrogacy-friendly state"],
      ["unmet", "Lives in IN: parents prefer only TX, CA, FL"],
      ["met", "Budget $165,000 ≥ expected $50,000"],
    ]);
  });
});
