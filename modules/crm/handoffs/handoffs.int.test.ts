// Handoff stages and locked stages, decided by the database on every path:
// the app's services, the REST API and SQL as the member agree.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { applySeed } from "@/lib/db/migrate";
import { isDomainError } from "@/lib/errors";
import { acceptDealHandoff, denyDealHandoff, submitDealHandoff } from "@/modules/api/resources/deal-handoffs";
import { moveDeal as moveDealOp, updateDeal as updateDealOp } from "@/modules/api/resources/deals";
import { createApiKey } from "@/modules/api/keys/service";
import { moveDeal, updateDeal } from "@/modules/crm/deals";
import { addTeamMember, createTeam } from "@/modules/teams";
import { callApi } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { countHandoffsToDecide, getDealHandoffState, listHandoffQueue, listHandoffSettings } from "./queries";
import { acceptHandoff, denyHandoff, setPipelineHandoffs, submitHandoff } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let intake: TestUser;
let caseManager: TestUser;
let bystander: TestUser;
let pipelineId: string;
const stage: Record<string, string> = {};

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

/** A service call as the member, with a refusal as its code and the action's failure. */
async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T> | (ActionResult<T> & { code: string })> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return { ...failureOf(e), code: e.code };
    throw e;
  }
}

async function keyOf(u: TestUser) {
  return (await t.db.asService((tx) => createApiKey(tx, { orgId: u.orgId, userId: u.id }, { name: "Handoff key", scopes: ["deals:read", "deals:write"] }))).token;
}

async function newCase(name: string, at = "Approved") {
  const [d] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency, owner_id)
    values (${owner.orgId}, ${name}, ${pipelineId}, ${stage[at]}, 'USD', ${intake.id}) returning id`;
  return d.id as string;
}

const dealRow = async (id: string) =>
  (await t.admin`select s.name as stage, d.owner_id, d.name from deals d join pipeline_stages s on s.id = d.stage_id where d.id = ${id}`)[0];
const handoffsOf = (id: string) =>
  t.admin`select decision, reason, submitted_by, decided_by from deal_handoffs where deal_id = ${id} order by submitted_at, id`;
const notificationsOf = (u: TestUser, type: string) =>
  t.admin`select title, body, link from notifications where user_id = ${u.id} and type = ${type} order by id`;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Bloom Test Agency" });
  intake = await createMember(t, owner.orgId, "member");
  caseManager = await createMember(t, owner.orgId, "manager");
  bystander = await createMember(t, owner.orgId, "manager");
  await t.admin`update profiles set full_name = 'Ivy Intake' where user_id = ${intake.id}`;
  await t.admin`update profiles set full_name = 'Carmen Cases' where user_id = ${caseManager.id}`;
  const intakeTeam = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Intake" }))).id;
  const cmTeam = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Case management" }))).id;
  await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: intakeTeam, userId: intake.id }));
  await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: cmTeam, userId: caseManager.id }));

  const [p] = await t.admin`insert into pipelines (org_id, name, position) values (${owner.orgId}, 'Cases', 5) returning id`;
  pipelineId = p.id;
  const names = ["Approved", "Under review", "Pending handoff", "Pending match", "Matched"];
  for (const [i, name] of names.entries()) {
    const [s] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name, position) values (${owner.orgId}, ${pipelineId}, ${name}, ${i}) returning id`;
    stage[name] = s.id;
  }
  await t.admin`update pipeline_stages set restricted_team_ids = ${[intakeTeam]}::uuid[] where id in (${stage.Approved}, ${stage["Under review"]}, ${stage["Pending handoff"]})`;
  await t.admin`update pipeline_stages set restricted_team_ids = ${[cmTeam]}::uuid[], locked = true where id in (${stage["Pending match"]}, ${stage.Matched})`;
  // Through RLS as the owner, as Settings → Pipelines writes it.
  await as(owner, (tx) =>
    sql`update pipeline_stages set handoff_accept_stage_id = ${stage["Pending match"]}, handoff_deny_stage_id = ${stage["Under review"]}
        where id = ${stage["Pending handoff"]}`.execute(tx),
  );
});

describe("submitting for handoff", () => {
  it("puts the deal in the receiving side's queue, tells them and records it on the timeline and in the outbox", async () => {
    const id = await newCase("Submit probe");
    expect(await act(intake, (tx) => submitHandoff(tx, { id }))).toEqual({ ok: true, data: { stageId: stage["Pending handoff"] } });
    expect((await dealRow(id)).stage).toBe("Pending handoff");
    expect(await handoffsOf(id)).toEqual([{ decision: null, reason: null, submitted_by: intake.id, decided_by: null }]);

    const queue = await as(caseManager, (tx) => listHandoffQueue(tx, { pipelineId }));
    expect(queue.find((q) => q.dealId === id)).toMatchObject({ dealName: "Submit probe", submittedByName: "Ivy Intake", fromStageName: "Approved", canDecide: true });
    expect((await as(intake, (tx) => listHandoffQueue(tx))).find((q) => q.dealId === id)?.canDecide).toBe(false);
    expect(await as(caseManager, countHandoffsToDecide)).toBeGreaterThanOrEqual(1);
    expect(await as(intake, countHandoffsToDecide)).toBe(0);

    expect(await notificationsOf(caseManager, "handoff_submitted")).toContainEqual({
      title: "Submit probe is waiting in the handoff queue",
      body: 'Submitted by Ivy Intake from "Pending handoff"',
      link: `/deals/${id}`,
    });
    // Not the other manager, who is on neither side.
    expect(await notificationsOf(bystander, "handoff_submitted")).toEqual([]);
    const [ev] = await t.admin`select actor_id from domain_events where object_id = ${id} and type = 'deal.handoff_submitted'`;
    expect(ev.actor_id).toBe(intake.id);
    const [item] = await t.admin`select data from timeline_events where deal_id = ${id} and kind = 'handoff_submitted'`;
    expect(item.data).toMatchObject({ stage: "Pending handoff" });

    // Waiting already: a second submission is a conflict.
    expect(await act(intake, (tx) => submitHandoff(tx, { id }))).toMatchObject({ ok: false, code: "conflict" });
  });

  it("answers 409 when the deal's pipeline has no handoff stage", async () => {
    const [s] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} and pipeline_id <> ${pipelineId} order by position limit 1`;
    const [d] = await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${owner.orgId}, 'Sales deal', ${s.pipeline_id}, ${s.id}, 'USD') returning id`;
    expect(await act(owner, (tx) => submitHandoff(tx, { id: d.id }))).toMatchObject({ ok: false, code: "conflict" });
  });
});

describe("deciding a handoff", () => {
  it("refuses accept and deny by someone not on the receiving side, in the service and in SQL", async () => {
    const id = await newCase("Refusal probe");
    await as(intake, (tx) => submitHandoff(tx, { id }));
    const refusal = 'Only the Case management team can accept or deny handoffs in the "Pending handoff" stage';
    expect(await act(intake, (tx) => acceptHandoff(tx, id))).toMatchObject({ ok: false, code: "forbidden", error: refusal });
    expect(await act(bystander, (tx) => denyHandoff(tx, { id, reason: "Not ours" }))).toMatchObject({ ok: false, code: "forbidden", error: refusal });
    await expect(as(intake, (tx) => sql`update deals set stage_id = ${stage["Pending match"]} where id = ${id}`.execute(tx))).rejects.toMatchObject({
      code: "42501",
      message: refusal,
    });
    expect((await dealRow(id)).stage).toBe("Pending handoff");
    expect(await handoffsOf(id)).toEqual([{ decision: null, reason: null, submitted_by: intake.id, decided_by: null }]);
  });

  it("requires a reason to deny, then sends the deal back to its submitter, who may submit it again", async () => {
    const id = await newCase("Deny probe");
    await as(intake, (tx) => submitHandoff(tx, { id }));
    // The database refuses a denial without its reason on any path.
    await expect(as(caseManager, (tx) => sql`update deals set stage_id = ${stage["Under review"]} where id = ${id}`.execute(tx))).rejects.toMatchObject({
      hint: "reason",
      message: "Say why the handoff is denied",
    });
    const key = await keyOf(caseManager);
    const blank = await callApi(denyDealHandoff, { token: key, params: { id }, body: { reason: "  " } });
    expect(blank.status).toBe(422);
    expect(blank.body.error.details).toEqual({ reason: ["Say why the handoff is denied"] });
    expect((await callApi(denyDealHandoff, { token: key, params: { id }, body: {} })).body.error.details).toHaveProperty("reason");

    const denied = await callApi(denyDealHandoff, { token: key, params: { id }, body: { reason: "Missing medical records" } });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ stage_id: stage["Under review"], owner_id: intake.id });
    expect(await handoffsOf(id)).toEqual([{ decision: "denied", reason: "Missing medical records", submitted_by: intake.id, decided_by: caseManager.id }]);
    expect(await notificationsOf(intake, "handoff_decided")).toContainEqual({
      title: "Deny probe: handoff denied by Carmen Cases",
      body: "Reason: Missing medical records",
      link: `/deals/${id}`,
    });
    const [ev] = await t.admin`select changes from domain_events where object_id = ${id} and type = 'deal.handoff_denied'`;
    expect(ev.changes).toMatchObject({ reason: "Missing medical records" });
    const [item] = await t.admin`select data from timeline_events where deal_id = ${id} and kind = 'handoff_denied'`;
    expect(item.data).toMatchObject({ reason: "Missing medical records" });

    // Resubmitted: the history keeps both.
    expect((await callApi(submitDealHandoff, { token: await keyOf(intake), params: { id }, body: {} })).status).toBe(200);
    expect((await handoffsOf(id)).map((h) => h.decision)).toEqual(["denied", null]);
    expect(await as(intake, (tx) => getDealHandoffState(tx, id))).toMatchObject({
      waiting: { submittedByName: "Ivy Intake", acceptStageName: "Pending match", denyStageName: "Under review" },
      canDecide: false,
      lastDecision: { decision: "denied", reason: "Missing medical records", decidedByName: "Carmen Cases" },
    });
  });

  it("accepts: the deal moves to the accept stage, the accepter owns it and the submitter is told", async () => {
    const id = await newCase("Accept probe");
    await as(intake, (tx) => submitHandoff(tx, { id }));
    expect(await act(caseManager, (tx) => acceptHandoff(tx, id))).toEqual({ ok: true, data: { stageId: stage["Pending match"] } });
    expect(await dealRow(id)).toMatchObject({ stage: "Pending match", owner_id: caseManager.id });
    expect(await handoffsOf(id)).toEqual([{ decision: "accepted", reason: null, submitted_by: intake.id, decided_by: caseManager.id }]);
    expect(await notificationsOf(intake, "handoff_decided")).toContainEqual(expect.objectContaining({ title: "Accept probe: handoff accepted by Carmen Cases" }));
    expect(await t.admin`select 1 from domain_events where object_id = ${id} and type = 'deal.handoff_accepted'`).toHaveLength(1);
    // Decided: a second accept finds nothing waiting.
    expect(await act(caseManager, (tx) => acceptHandoff(tx, id))).toMatchObject({ ok: false, code: "conflict" });
    expect((await as(caseManager, (tx) => listHandoffQueue(tx))).some((q) => q.dealId === id)).toBe(false);
  });
});

describe("an accepted case is locked to the case-management side", () => {
  let id: string;
  const locked = '"Locked probe" is locked in the "Pending match" stage: only the Case management team can change it';
  beforeAll(async () => {
    id = await newCase("Locked probe");
    await as(intake, (tx) => submitHandoff(tx, { id }));
    await as(caseManager, (tx) => acceptHandoff(tx, id));
  });

  it("refuses an Intake member through the app's services", async () => {
    expect(await act(intake, (tx) => moveDeal(tx, { id, stageId: stage.Matched }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(
      await act(intake, (tx) =>
        updateDeal(tx, id, { name: "Renamed", pipelineId, stageId: stage["Pending match"], shownStageId: stage["Pending match"], valueMinor: 0, currency: "USD", custom: {} } as never),
      ),
    ).toMatchObject({ ok: false, code: "forbidden", error: locked });
    expect(await as(intake, (tx) => getDealHandoffState(tx, id))).toMatchObject({ lockedFor: "Pending match" });
    expect((await dealRow(id)).name).toBe("Locked probe");
  });

  it("refuses an Intake member through the REST API", async () => {
    const key = await keyOf(intake);
    const patch = await callApi(updateDealOp, { token: key, params: { id }, body: { name: "Renamed by API" } });
    expect(patch.status).toBe(403);
    expect(patch.body.error.message).toBe(locked);
    const move = await callApi(moveDealOp, { token: key, params: { id }, body: { stage_id: stage.Approved } });
    expect(move.status).toBe(403);
    expect((await dealRow(id))).toMatchObject({ name: "Locked probe", stage: "Pending match" });
  });

  it("refuses an Intake member in SQL, and lets the case-management side work", async () => {
    await expect(as(intake, (tx) => sql`update deals set value_minor = 1 where id = ${id}`.execute(tx))).rejects.toMatchObject({
      code: "42501",
      hint: "locked",
      message: locked,
    });
    await expect(as(intake, (tx) => sql`update deals set stage_id = ${stage.Matched} where id = ${id}`.execute(tx))).rejects.toMatchObject({ code: "42501" });
    await as(caseManager, (tx) => sql`update deals set value_minor = 500000 where id = ${id}`.execute(tx));
    await as(caseManager, (tx) => moveDeal(tx, { id, stageId: stage.Matched }));
    expect(await dealRow(id)).toMatchObject({ stage: "Matched" });
  });

  it("hides locked cases from the other side when the pipeline says so", async () => {
    const visible = async (u: TestUser) =>
      (await as(u, (tx) => tx.selectFrom("deals").select("id").where("id", "=", id).execute())).length;
    expect(await visible(intake)).toBe(1);
    await as(owner, (tx) => sql`update pipelines set hide_locked_from_others = true where id = ${pipelineId}`.execute(tx));
    expect(await visible(intake)).toBe(0);
    // The hidden stages are worked out once per query (an InitPlan), not per row.
    const plan = await as(intake, (tx) => sql<{ "QUERY PLAN": string }>`explain select id from deals`.execute(tx));
    const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toContain("InitPlan");
    expect(text).not.toContain("SubPlan");
    expect(await visible(caseManager)).toBe(1);
    expect(await visible(owner)).toBe(1);
    const key = await keyOf(intake);
    expect((await callApi(updateDealOp, { token: key, params: { id }, body: { name: "x" } })).status).toBe(404);
    await as(owner, (tx) => sql`update pipelines set hide_locked_from_others = false where id = ${pipelineId}`.execute(tx));
    expect(await visible(intake)).toBe(1);
  });
});

describe("the surrogacy template", () => {
  it("makes Pending handoff the handoff stage and locks case management's stages; the demo's queue waits for Carmen", async () => {
    const agency = await createUser(t, { orgName: "Template Agency", template: "surrogacy" });
    const stages = await t.admin`
      select s.name, s.locked, a.name as accept, d.name as deny
      from pipeline_stages s join pipelines p on p.id = s.pipeline_id
      left join pipeline_stages a on a.id = s.handoff_accept_stage_id left join pipeline_stages d on d.id = s.handoff_deny_stage_id
      where p.org_id = ${agency.orgId} and p.name = 'Cases' and (s.locked or s.handoff_accept_stage_id is not null) order by s.position`;
    expect(stages).toEqual([
      { name: "Pending handoff", locked: false, accept: "Pending match", deny: "Under review" },
      { name: "Pending match", locked: true, accept: null, deny: null },
      { name: "Matched", locked: true, accept: null, deny: null },
      { name: "In journey", locked: true, accept: null, deny: null },
      { name: "Delivered", locked: true, accept: null, deny: null },
      { name: "Withdrawn", locked: true, accept: null, deny: null },
    ]);
    const [hidden] = await t.admin`select bool_or(hide_locked_from_others) as any from pipelines where org_id = ${agency.orgId}`;
    expect(hidden.any).toBe(false);

    await applySeed(t.adminUrl);
    const claims = async (email: string) => {
      const [u] = await t.admin`select id from auth.users where email = ${email}`;
      return { sub: u.id, email, role: "authenticated", aud: "authenticated" };
    };
    const carmen = await claims("carmen.cases@covey.local");
    const queue = await t.db.asUser(carmen, (tx) => listHandoffQueue(tx));
    expect(new Set(queue.map((q) => q.dealName))).toEqual(new Set(["Kristen Hayes", "Monica Ramirez"]));
    expect(queue.every((q) => q.submittedByName === "Ivy Intake" && q.canDecide)).toBe(true);
    expect(await t.db.asUser(carmen, countHandoffsToDecide)).toBe(2);
    expect(await t.db.asUser(await claims("ivy.intake@covey.local"), countHandoffsToDecide)).toBe(0);
  });
});

describe("Settings → Pipelines", () => {
  it("lets owners set handoff and locked stages and the hide setting, refusing a half-set handoff on its field and anyone else", async () => {
    const [settings] = (await as(owner, listHandoffSettings)).filter((p) => p.id === pipelineId);
    expect(settings.stages.find((s) => s.name === "Pending handoff")).toMatchObject({ acceptStageId: stage["Pending match"], denyStageId: stage["Under review"] });
    const stages = settings.stages.map((s) => (s.name === "Approved" ? { ...s, locked: true } : s));
    expect(await act(owner, (tx) => setPipelineHandoffs(tx, { pipelineId, hideLocked: true, stages }))).toEqual({ ok: true, data: undefined });
    const [after] = (await as(owner, listHandoffSettings)).filter((p) => p.id === pipelineId);
    expect(after.hideLocked).toBe(true);
    expect(after.stages.find((s) => s.name === "Approved")?.locked).toBe(true);

    // A manager may not (the pipelines' update policy): nothing changes.
    expect(await act(caseManager, (tx) => setPipelineHandoffs(tx, { pipelineId, hideLocked: false, stages: settings.stages }))).toMatchObject({ ok: false, code: "not_found" });
    // One target pointing outside the pipeline: refused on that stage's field, nothing half-written.
    const [other] = await t.admin`select id from pipeline_stages where org_id = ${owner.orgId} and pipeline_id <> ${pipelineId} limit 1`;
    const bad = settings.stages.map((s) => (s.name === "Approved" ? { ...s, acceptStageId: other.id, denyStageId: stage["Under review"] } : s));
    const i = settings.stages.findIndex((s) => s.name === "Approved");
    expect(await act(owner, (tx) => setPipelineHandoffs(tx, { pipelineId, hideLocked: false, stages: bad }))).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { [`stages.${i}.acceptStageId`]: "Choose two other stages of this pipeline" },
    });
    const [still] = (await as(owner, listHandoffSettings)).filter((p) => p.id === pipelineId);
    expect(still).toEqual(after);
    await as(owner, (tx) => setPipelineHandoffs(tx, { pipelineId, hideLocked: false, stages: settings.stages }));
  });
});
