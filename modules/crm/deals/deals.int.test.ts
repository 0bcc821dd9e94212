import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listPipelines } from "@/modules/crm/pipelines/queries";
import { boardVersion, getStageHistory, listDeals, loadBoard, searchLinkable } from "./queries";
import { dealSchema } from "./schema";
import { archiveDeals, assignDeals, createDeal, deleteDeals, moveDeal, setDealStatus, tagDeals, updateDeal, updateDealField } from "./service";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields/queries";
import { parseListState } from "@/modules/crm/lists/state";

const t = useTestDatabase();

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let stages: Record<string, string>;
let pipelineId: string;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

/** A service call's outcome as the deal form sees it: its data, or the refusal a server action answers with. */
async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return failureOf(e);
    throw e;
  }
}

function input(over: Record<string, unknown> = {}) {
  return dealSchema("USD").parse({ name: "Acme renewal", pipelineId, stageId: stages.Qualified, value: "12,500.00", ...over });
}

async function newDeal(u: TestUser, over: Record<string, unknown> = {}) {
  const r = await act(u, (tx) => createDeal(tx, { orgId: u.orgId, userId: u.id }, input(over)));
  if (!r.ok) throw new Error(r.error);
  return r.data.id;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Deals Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  const [p] = await as(owner, (tx) => listPipelines(tx));
  pipelineId = p.id;
  stages = Object.fromEntries(p.stages.map((s) => [s.name, s.id]));
});

describe("deal values and defaults", () => {
  it("parses typed money into minor units and defaults the currency to the org's", async () => {
    await t.admin`update orgs set default_currency = 'EUR' where id = ${owner.orgId}`;
    const id = await act(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, { ...input(), currency: null as unknown as string }),
    );
    if (!id.ok) throw new Error(id.error);
    const [row] = await t.admin`select value_minor::text, currency, owner_id, status from deals where id = ${id.data.id}`;
    expect(row).toMatchObject({ value_minor: "1250000", currency: "EUR", owner_id: owner.id, status: "open" });
    await t.admin`update orgs set default_currency = 'USD' where id = ${owner.orgId}`;

    const jpy = dealSchema("USD").parse({ name: "Yen", pipelineId, stageId: stages.Qualified, value: "1,235", currency: "jpy" });
    expect(jpy).toMatchObject({ valueMinor: 1235, currency: "JPY" });
  });

  it("refuses a bad amount or currency on the field", () => {
    const bad = (over: Record<string, unknown>) =>
      dealSchema("USD").safeParse({ name: "X", pipelineId, stageId: stages.Qualified, ...over });
    const decimals = bad({ value: "12.345" });
    expect(decimals.success).toBe(false);
    expect(decimals.error?.issues[0]).toMatchObject({ path: ["value"], message: "USD amounts have at most 2 decimal places" });
    expect(bad({ value: "-5" }).error?.issues[0].path).toEqual(["value"]);
    expect(bad({ value: "abc" }).error?.issues[0].path).toEqual(["value"]);
    expect(bad({ currency: "XYZW" }).error?.issues[0].path).toEqual(["currency"]);
    expect(bad({ name: " " }).error?.issues[0].path).toEqual(["name"]);
  });

  it("refuses another org's company, person, owner and stage with a field error", async () => {
    const other = await createUser(t, { orgName: "Other Co" });
    const [company] = await t.admin`insert into companies (org_id, name) values (${other.orgId}, 'Theirs') returning id`;
    const [person] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Theo') returning id`;
    const [otherPipeline] = await as(other, (tx) => listPipelines(tx));
    const create = (over: Record<string, unknown>) =>
      act(owner, (tx) => createDeal(tx, { orgId: owner.orgId, userId: owner.id }, input(over)));

    expect(await create({ companyId: company.id })).toMatchObject({ ok: false, fieldErrors: { companyId: "That company was not found" } });
    expect(await create({ personId: person.id })).toMatchObject({ ok: false, fieldErrors: { personId: "That person was not found" } });
    expect(await create({ ownerId: other.id })).toMatchObject({ ok: false, fieldErrors: { ownerId: expect.stringMatching(/not found/) } });
    expect(await create({ stageId: otherPipeline.stages[0].id })).toMatchObject({ ok: false, fieldErrors: { stageId: expect.any(String) } });
  });
});

describe("custom fields", () => {
  it("validates deal custom fields in the schema and again in the database", async () => {
    await t.admin`
      insert into custom_field_definitions (org_id, object_type, key, label, field_type)
      values (${owner.orgId}, 'deal', 'budget', 'Budget', 'number')`;
    const defs = await as(owner, (tx) => listCustomFieldDefs(tx, "deal"));
    const bad = dealSchema("USD", defs).safeParse({ name: "C", pipelineId, stageId: stages.Qualified, custom: { budget: "lots" } });
    expect(bad.error?.issues[0].path).toEqual(["custom", "budget"]);

    const good = dealSchema("USD", defs).parse({ name: "C", pipelineId, stageId: stages.Qualified, custom: { budget: "1200" } });
    const created = await act(owner, (tx) => createDeal(tx, { orgId: owner.orgId, userId: owner.id }, good));
    if (!created.ok) throw new Error(created.error);
    const [row] = await t.admin`select custom from deals where id = ${created.data.id}`;
    expect(row.custom).toEqual({ budget: 1200 });

    // A write that skips the schema is still refused, naming the field.
    const raw = await act(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, { ...good, custom: { budget: "lots" } }),
    );
    expect(raw).toMatchObject({ ok: false, fieldErrors: { "custom.budget": "Budget is not a valid number" } });
  });
});

describe("moving deals", () => {
  it("orders cards by fractional position and renumbers a crowded column", async () => {
    const a = await newDeal(owner, { name: "A", stageId: stages["Contact made"] });
    const b = await newDeal(owner, { name: "B", stageId: stages["Contact made"] });
    const c = await newDeal(owner, { name: "C", stageId: stages.Qualified });
    const column = async () =>
      (await t.admin`select name from deals where stage_id = ${stages["Contact made"]} order by position, id`).map((r) => r.name);
    expect(await column()).toEqual(["A", "B"]);

    // C between A and B, then many more between A and C until the gap is exhausted.
    expect(await act(owner, (tx) => moveDeal(tx, { id: c, stageId: stages["Contact made"], beforeId: a, afterId: b }))).toMatchObject({ ok: true });
    expect(await column()).toEqual(["A", "C", "B"]);
    let after = c;
    for (let i = 0; i < 60; i++) {
      const d = await newDeal(owner, { name: `N${i}`, stageId: stages.Qualified });
      const r = await act(owner, (tx) => moveDeal(tx, { id: d, stageId: stages["Contact made"], beforeId: a, afterId: after }));
      expect(r.ok).toBe(true);
      after = d;
    }
    const names = await column();
    expect(names.slice(0, 2)).toEqual(["A", "N59"]);
    expect(names.slice(-2)).toEqual(["C", "B"]);
    expect(names).toHaveLength(63);
    const [{ distinct }] = await t.admin`select count(distinct position)::int as distinct from deals where stage_id = ${stages["Contact made"]}`;
    expect(distinct).toBe(63);

    // To the top of a column: no card before it.
    expect(await act(owner, (tx) => moveDeal(tx, { id: b, stageId: stages["Contact made"], beforeId: null, afterId: a }))).toMatchObject({ ok: true });
    expect((await column())[0]).toBe("B");
  });

  it("records history with the reason, and deal.moved / deal.won events", async () => {
    const id = await newDeal(member);
    const r = await act(member, (tx) =>
      moveDeal(tx, { id, stageId: stages["Proposal sent"], beforeId: null, afterId: null, reason: "Sent the quote" }),
    );
    expect(r.ok).toBe(true);
    const history = await as(member, (tx) => getStageHistory(tx, id));
    expect(history[0]).toMatchObject({ fromStage: "Qualified", toStage: "Proposal sent", reason: "Sent the quote", toStatus: "open" });
    expect(history[1]).toMatchObject({ fromStage: null, toStage: "Qualified" });
    expect(history[0].by).toBeTruthy();

    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "won" }))).toMatchObject({ ok: true });
    const [deal] = await t.admin`select status, stage_id, closed_at from deals where id = ${id}`;
    expect(deal).toMatchObject({ status: "won", stage_id: stages.Won });
    expect(deal.closed_at).toBeInstanceOf(Date);

    const events = await t.admin`select type, changes from domain_events where object_id = ${id} order by id`;
    const types = events.map((e) => e.type);
    expect(types).toEqual(["deal.created", "deal.moved", "deal.moved", "deal.won"]);
    expect(events[1].changes).toMatchObject({ reason: "Sent the quote", stage_id: [stages.Qualified, stages["Proposal sent"]] });
    const [timeline] = await t.admin`
      select data from timeline_events where deal_id = ${id} and kind = 'stage_changed' order by id limit 1`;
    expect(timeline.data).toMatchObject({ from_stage: "Qualified", to_stage: "Proposal sent", reason: "Sent the quote" });

    // Reopen returns it to the stage it came from; lost keeps the reason.
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "open" }))).toMatchObject({ ok: true });
    const [reopened] = await t.admin`select status, stage_id, closed_at from deals where id = ${id}`;
    expect(reopened).toMatchObject({ status: "open", stage_id: stages["Proposal sent"], closed_at: null });
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "lost", reason: "Went with a competitor" }))).toMatchObject({ ok: true });
    const [lost] = await t.admin`select status, lost_reason, stage_id from deals where id = ${id}`;
    expect(lost).toMatchObject({ status: "lost", lost_reason: "Went with a competitor", stage_id: stages.Lost });
    const [h] = await t.admin`select reason, to_status from deal_stage_history where deal_id = ${id} order by id desc limit 1`;
    expect(h).toMatchObject({ reason: "Went with a competitor", to_status: "lost" });
  });
});

describe("the details form and won or lost deals", () => {
  const timelineOf = (id: string) =>
    t.admin`select kind, data from timeline_events where deal_id = ${id} and kind <> 'created' order by id`;

  it("saves fields of a deal won since the form opened without moving or reopening it", async () => {
    const id = await newDeal(member, { stageId: stages["Proposal sent"] });
    // The form opened at Proposal sent; the deal is then marked won elsewhere.
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "won" }))).toMatchObject({ ok: true });
    const stale = input({ stageId: stages["Proposal sent"], shownStageId: stages["Proposal sent"], tags: "hot" });
    expect(await act(member, (tx) => updateDeal(tx, id, stale))).toMatchObject({ ok: true });
    const [row] = await t.admin`select status, stage_id, tags from deals where id = ${id}`;
    expect(row).toMatchObject({ status: "won", stage_id: stages.Won, tags: ["hot"] });
    expect((await timelineOf(id)).map((e) => [e.kind, e.data.to ?? null])).toEqual([
      ["status_changed", "won"],
      ["updated", null],
    ]);

    // A stage the user did change is still a move, and leaving the won stage reopens the deal.
    const moved = input({ stageId: stages.Negotiation, shownStageId: stages.Won, tags: "hot" });
    expect(await act(member, (tx) => updateDeal(tx, id, moved))).toMatchObject({ ok: true });
    const [reopened] = await t.admin`select status, stage_id from deals where id = ${id}`;
    expect(reopened).toMatchObject({ status: "open", stage_id: stages.Negotiation });
  });

  it("writes one timeline item for marking a deal won or lost, naming the stages", async () => {
    const id = await newDeal(member);
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "won" }))).toMatchObject({ ok: true });
    expect(await timelineOf(id)).toEqual([
      { kind: "status_changed", data: expect.objectContaining({ from: "open", to: "won", from_stage: "Qualified", to_stage: "Won" }) },
    ]);
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "lost", reason: "No budget" }))).toMatchObject({ ok: true });
    const items = await timelineOf(id);
    expect(items).toHaveLength(2);
    expect(items[1]).toEqual({
      kind: "status_changed",
      data: expect.objectContaining({ from: "won", to: "lost", from_stage: "Won", to_stage: "Lost", reason: "No budget" }),
    });
    // A move that keeps the status open is still a stage change.
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "open" }))).toMatchObject({ ok: true });
    expect(await act(member, (tx) => moveDeal(tx, { id, stageId: stages["Proposal sent"], beforeId: null, afterId: null }))).toMatchObject({ ok: true });
    expect((await timelineOf(id)).map((e) => e.kind)).toEqual(["status_changed", "status_changed", "status_changed", "stage_changed"]);
  });
});

describe("a field edited in place", () => {
  it("writes that field only: a won deal stays won in its stage, and the timeline shows the edit alone", async () => {
    await t.admin`
      insert into custom_field_definitions (org_id, object_type, key, label, field_type)
      values (${owner.orgId}, 'deal', 'seats', 'Seats', 'number')`;
    const id = await newDeal(member, { stageId: stages["Proposal sent"] });
    expect(await act(member, (tx) => setDealStatus(tx, { id, status: "won" }))).toMatchObject({ ok: true });
    for (const [key, value] of [
      ["name", "Acme renewal, signed"],
      ["value", "13,000.50"],
      ["expected_close_date", "2026-12-31"],
      ["tags", "hot, renewal"],
      ["custom.seats", "40"],
      ["owner", manager.id],
    ] as const) {
      expect(await act(member, (tx) => updateDealField(tx, id, key, value))).toMatchObject({ ok: true });
    }
    const [row] = await t.admin`
      select name, value_minor::text, expected_close_date::text, tags, custom, owner_id, status, stage_id from deals where id = ${id}`;
    expect(row).toMatchObject({
      name: "Acme renewal, signed",
      value_minor: "1300050",
      expected_close_date: "2026-12-31",
      tags: ["hot", "renewal"],
      custom: { seats: 40 },
      owner_id: manager.id,
      status: "won",
      stage_id: stages.Won,
    });
    const kinds = await t.admin`select kind from timeline_events where deal_id = ${id} and kind <> 'created' order by id`;
    expect(kinds.map((k) => k.kind)).toEqual(["status_changed", "updated", "updated", "updated", "updated", "updated", "updated"]);

    expect(await act(member, (tx) => updateDealField(tx, id, "custom.seats", null))).toMatchObject({ ok: true });
    const [cleared] = await t.admin`select custom from deals where id = ${id}`;
    expect(cleared.custom).toEqual({});
  });

  it("refuses a bad value on its field, and a field that is not edited in place", async () => {
    const id = await newDeal(owner);
    expect(await act(owner, (tx) => updateDealField(tx, id, "value", "12.345"))).toMatchObject({
      ok: false,
      fieldErrors: { value: "USD amounts have at most 2 decimal places" },
    });
    expect(await act(owner, (tx) => updateDealField(tx, id, "name", " "))).toMatchObject({ ok: false, fieldErrors: { name: "Enter a name" } });
    expect(await act(owner, (tx) => updateDealField(tx, id, "custom.seats", "many"))).toMatchObject({
      ok: false,
      fieldErrors: { "custom.seats": expect.stringMatching(/^Seats must be a number/) },
    });
    expect(await act(owner, (tx) => updateDealField(tx, id, "custom.nope", "x"))).toMatchObject({
      ok: false,
      fieldErrors: { "custom.nope": 'There is no custom field "nope"' },
    });
    expect(await act(owner, (tx) => updateDealField(tx, id, "stage", stages.Won))).toMatchObject({ ok: false, fieldErrors: { stage: "Not editable here" } });
    expect(await act(owner, (tx) => updateDealField(tx, id, "owner", "someone"))).toMatchObject({ ok: false, fieldErrors: { owner: "Choose a member" } });
    const [row] = await t.admin`select name, value_minor::text, status, custom from deals where id = ${id}`;
    expect(row).toMatchObject({ name: "Acme renewal", value_minor: "1250000", status: "open", custom: {} });
    // Another org's deal is out of reach.
    const stranger = await createUser(t, { orgName: "Elsewhere" });
    expect(await act(stranger, (tx) => updateDealField(tx, id, "name", "Mine"))).toMatchObject({ ok: false, error: "That deal no longer exists." });
  });
});

describe("role-restricted stages", () => {
  beforeAll(async () => {
    await t.admin`update pipeline_stages set restricted_roles = '{manager}' where id = ${stages.Negotiation}`;
  });

  it("refuses a member moving into or out of a restricted stage, via the service and via SQL", async () => {
    const id = await newDeal(member);
    const r = await act(member, (tx) => moveDeal(tx, { id, stageId: stages.Negotiation }));
    expect(r).toMatchObject({ ok: false, error: 'Your role cannot move deals into the "Negotiation" stage' });
    expect(r.ok === false && r.fieldErrors?.stageId).toBeTruthy();

    await expect(
      as(member, (tx) => sql`update deals set stage_id = ${stages.Negotiation} where id = ${id}`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501", hint: "stage_restricted" });
    const [still] = await t.admin`select stage_id from deals where id = ${id}`;
    expect(still.stage_id).toBe(stages.Qualified);

    // A manager may move it in; the member then cannot move it out.
    expect(await act(manager, (tx) => moveDeal(tx, { id, stageId: stages.Negotiation }))).toMatchObject({ ok: true });
    await expect(
      as(member, (tx) => sql`update deals set stage_id = ${stages.Qualified} where id = ${id}`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501", message: 'Your role cannot move deals out of the "Negotiation" stage' });
    // Admins and owners always may.
    const admin = await createMember(t, owner.orgId, "admin");
    expect(await act(admin, (tx) => moveDeal(tx, { id, stageId: stages.Qualified }))).toMatchObject({ ok: true });
    expect(await act(owner, (tx) => moveDeal(tx, { id, stageId: stages.Negotiation }))).toMatchObject({ ok: true });
  });

  it("refuses a member creating a deal straight into a restricted stage", async () => {
    const r = await act(member, (tx) =>
      createDeal(tx, { orgId: member.orgId, userId: member.id }, input({ stageId: stages.Negotiation })),
    );
    expect(r).toMatchObject({ ok: false, fieldErrors: { stageId: expect.stringMatching(/Negotiation/) } });
  });
});

describe("bulk actions", () => {
  it("assigns, tags, archives, restores and deletes within the roles' rights", async () => {
    const ids = [await newDeal(owner, { name: "Bulk 1" }), await newDeal(owner, { name: "Bulk 2" })];
    expect(await act(manager, (tx) => assignDeals(tx, ids, manager.id))).toMatchObject({ ok: true, data: { count: 2 } });
    expect(await act(member, (tx) => tagDeals(tx, ids, "hot"))).toMatchObject({ ok: true });
    expect(await act(member, (tx) => tagDeals(tx, ids, "HOT"))).toMatchObject({ ok: true });
    const tags = await t.admin`select tags from deals where id = any(${ids}::uuid[])`;
    expect(tags.map((r) => r.tags)).toEqual([["hot"], ["hot"]]);

    expect(await act(member, (tx) => archiveDeals(tx, ids, true))).toMatchObject({ ok: false, fieldErrors: { archived_at: expect.any(String) } });
    expect(await act(manager, (tx) => archiveDeals(tx, ids, true))).toMatchObject({ ok: true, data: { count: 2 } });
    expect(await act(manager, (tx) => archiveDeals(tx, ids, false))).toMatchObject({ ok: true, data: { count: 2 } });
    expect(await act(manager, (tx) => deleteDeals(tx, ids))).toMatchObject({ ok: false });
    expect(await act(owner, (tx) => deleteDeals(tx, ids))).toMatchObject({ ok: true, data: { count: 2 } });
    const [{ n }] = await t.admin`select count(*)::int as n from domain_events where object_id = any(${ids}::uuid[]) and type = 'deal.deleted'`;
    expect(n).toBe(2);
  });
});

describe("board and list", () => {
  it("loads capped columns with exact totals per currency, filters, and a version that changes on moves", async () => {
    const fresh = await createUser(t, { orgName: "Board Co" });
    const [p] = await as(fresh, (tx) => listPipelines(tx));
    const first = p.stages[0].id;
    const mk = (name: string, value: string, currency = "USD", tags: string[] = []) =>
      act(fresh, (tx) =>
        createDeal(tx, { orgId: fresh.orgId, userId: fresh.id }, dealSchema("USD").parse({ name, pipelineId: p.id, stageId: first, value, currency, tags })),
      );
    for (let i = 0; i < 5; i++) await mk(`USD ${i}`, "100.00");
    await mk("Euro", "50.00", "EUR", ["vip"]);

    const board = await as(fresh, (tx) => loadBoard(tx, p.id, {}, { userId: fresh.id, perColumn: 3 }));
    expect(board.cards).toHaveLength(3);
    expect(board.totals[first].count).toBe(6);
    expect(board.totals[first].values).toEqual([
      { currency: "USD", minor: "50000" },
      { currency: "EUR", minor: "5000" },
    ]);
    const vip = await as(fresh, (tx) => loadBoard(tx, p.id, { tag: "vip" }, { userId: fresh.id }));
    expect(vip.cards.map((c) => c.name)).toEqual(["Euro"]);
    const search = await as(fresh, (tx) => loadBoard(tx, p.id, { q: "usd 3" }, { userId: fresh.id }));
    expect(search.cards.map((c) => c.name)).toEqual(["USD 3"]);

    const v1 = await as(fresh, (tx) => boardVersion(tx, p.id));
    await act(fresh, (tx) => moveDeal(tx, { id: board.cards[0].id, stageId: p.stages[1].id }));
    const v2 = await as(fresh, (tx) => boardVersion(tx, p.id));
    expect(v2).not.toBe(v1);

    // Nothing of another org's board is visible.
    const outsider = await as(owner, (tx) => loadBoard(tx, p.id, {}, { userId: owner.id }));
    expect(outsider.cards).toEqual([]);

    // A filter on a custom field the org does not have is refused by name, not ignored.
    const unknown = parseListState({ f: "custom.missing:eq:1" });
    expect(unknown.ok).toBe(true);
    await expect(as(fresh, (tx) => listDeals(tx, unknown.state))).rejects.toThrow('Unknown field "custom.missing" in filter');
    const list = await as(fresh, (tx) =>
      listDeals(tx, parseListState({ sort: "-value", f: "currency:eq:EUR" }).state, { withTotal: true }),
    );
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ name: "Euro", value: "5000", currency: "EUR", status: "open", stage: first });
  });
});

describe("the deal form's pickers", () => {
  it("lists people of the chosen company only, and everyone's without one, never another org's", async () => {
    const [acme] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme Pickers') returning id`;
    const [bolt] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Bolt Pickers') returning id`;
    const other = await createUser(t, { orgName: "Other Pickers Co" });
    const [theirs] = await t.admin`insert into companies (org_id, name) values (${other.orgId}, 'Acme Pickers') returning id`;
    await t.admin`
      insert into people (org_id, first_name, last_name, company_id) values
        (${owner.orgId}, 'Pia', 'Picker', ${acme.id}),
        (${owner.orgId}, 'Pat', 'Picker', ${acme.id}),
        (${owner.orgId}, 'Pol', 'Picker', ${bolt.id}),
        (${owner.orgId}, 'Pam', 'Picker', null),
        (${other.orgId}, 'Pip', 'Picker', ${theirs.id})`;
    const names = (q: string, companyId?: string) =>
      as(owner, (tx) => searchLinkable(tx, "person", q, companyId)).then((r) => r.map((p) => p.name));

    expect(await names("picker", acme.id)).toEqual(["Pat Picker", "Pia Picker"]);
    expect(await names("pia", acme.id)).toEqual(["Pia Picker"]);
    expect(await names("pol", acme.id)).toEqual([]);
    expect(await names("picker")).toEqual(["Pam Picker", "Pat Picker", "Pia Picker", "Pol Picker"]);
    expect(await names("picker", theirs.id)).toEqual([]);
    expect(await as(owner, (tx) => searchLinkable(tx, "company", "acme pick"))).toEqual([{ id: acme.id, name: "Acme Pickers" }]);
  });
});
