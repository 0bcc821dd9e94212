// Stages restricted to teams: the database decides on every path (the deal
// service, the REST API, SQL as the member), a member passes by their role
// OR one of their active teams, and the refusal names the stage.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { moveDeal as moveDealOp } from "@/modules/api/resources/deals";
import { updateStage as updateStageOp } from "@/modules/api/resources/pipelines";
import { moveDeal } from "@/modules/crm/deals";
import { canUseStage, listPipelines, type Stage, updateStage } from "@/modules/crm/pipelines";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { myTeamIds } from "./queries";
import { addTeamMember, archiveTeam, createTeam, removeTeamMember } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let manager: TestUser;
let insider: TestUser;
let outsider: TestUser;
let stranger: TestUser;
let team: string;
let stages: Record<string, Stage>;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return failureOf(e);
    throw e;
  }
}

const sqlMove = (u: TestUser, deal: string, stage: string) =>
  as(u, (tx) => sql`update deals set stage_id = ${stage} where id = ${deal}`.execute(tx));

async function restrict(name: string, roles: ("manager" | "member")[], teamIds: string[]) {
  const s = stages[name];
  const r = await act(owner, (tx) =>
    updateStage(tx, { id: s.id, name: s.name, probability: s.probability, outcome: "open", restrictedRoles: roles, restrictedTeamIds: teamIds }),
  );
  expect(r).toEqual({ ok: true });
}

async function newDeal(stage = "Qualified") {
  const s = stages[stage];
  const [d] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency)
    values (${owner.orgId}, 'Handoff probe', ${s.pipelineId}, ${s.id}, 'USD') returning id`;
  return d.id as string;
}

const stageOf = async (deal: string) => (await t.admin`select s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.id = ${deal}`)[0].name;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Handoff Co" });
  manager = await createMember(t, owner.orgId, "manager");
  insider = await createMember(t, owner.orgId, "member");
  outsider = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
  team = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Case management" }))).id;
  await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: team, userId: insider.id }));
  const [p] = await as(owner, (tx) => listPipelines(tx));
  stages = Object.fromEntries(p.stages.map((s) => [s.name, s]));
  await restrict("Negotiation", [], [team]);
});

describe("stages restricted to a team", () => {
  it("lets a team member move deals into and out of the stage and refuses anyone else, naming the stage", async () => {
    const deal = await newDeal();
    const into = 'Only the Case management team can move deals into the "Negotiation" stage';
    await expect(sqlMove(outsider, deal, stages.Negotiation.id)).rejects.toMatchObject({ code: "42501", hint: "stage_restricted", message: into });
    await expect(sqlMove(manager, deal, stages.Negotiation.id)).rejects.toMatchObject({ message: into });
    expect(await act(outsider, (tx) => moveDeal(tx, { id: deal, stageId: stages.Negotiation.id }))).toMatchObject({
      ok: false,
      error: into,
      fieldErrors: { stageId: into },
    });
    expect(await stageOf(deal)).toBe("Qualified");

    await sqlMove(insider, deal, stages.Negotiation.id);
    expect(await stageOf(deal)).toBe("Negotiation");
    await expect(sqlMove(outsider, deal, stages.Qualified.id)).rejects.toMatchObject({
      message: 'Only the Case management team can move deals out of the "Negotiation" stage',
    });
    // Owners and admins always may.
    await sqlMove(owner, deal, stages.Qualified.id);
    expect(await stageOf(deal)).toBe("Qualified");
  });

  it("lets a member through by role or by team, and says both", async () => {
    await restrict("Proposal sent", ["manager"], [team]);
    const deal = await newDeal();
    await expect(sqlMove(outsider, deal, stages["Proposal sent"].id)).rejects.toMatchObject({
      message: 'Only managers and the Case management team can move deals into the "Proposal sent" stage',
    });
    await sqlMove(manager, deal, stages["Proposal sent"].id);
    await sqlMove(insider, deal, stages.Qualified.id);
    await sqlMove(insider, deal, stages["Proposal sent"].id);
    expect(await stageOf(deal)).toBe("Proposal sent");
    // A stage restricted to roles only keeps its message.
    await restrict("Contact made", ["manager"], []);
    await expect(sqlMove(insider, deal, stages["Contact made"].id)).rejects.toMatchObject({
      message: 'Your role cannot move deals into the "Contact made" stage',
    });

    // The app's check agrees with the database's.
    const [p] = await as(owner, (tx) => listPipelines(tx));
    const proposal = p.stages.find((s) => s.name === "Proposal sent")!;
    expect(proposal.restrictedTeamIds).toEqual([team]);
    expect(canUseStage("member", await as(insider, myTeamIds), proposal)).toBe(true);
    expect(canUseStage("member", await as(outsider, myTeamIds), proposal)).toBe(false);
    expect(canUseStage("manager", [], proposal)).toBe(true);
  });

  it("stops letting a member through once they leave the team", async () => {
    const deal = await newDeal();
    const other = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Temporary" }))).id;
    await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: other, userId: outsider.id }));
    await restrict("Negotiation", [], [team, other]);
    await sqlMove(outsider, deal, stages.Negotiation.id);
    await sqlMove(outsider, deal, stages.Qualified.id);
    await as(owner, (tx) => removeTeamMember(tx, { teamId: other, userId: outsider.id }));
    await expect(sqlMove(outsider, deal, stages.Negotiation.id)).rejects.toMatchObject({
      message: 'Only the Case management team and the Temporary team can move deals into the "Negotiation" stage',
    });
    await restrict("Negotiation", [], [team]);
  });

  it("refuses to archive or delete a team a stage names, and to name another org's or an archived team", async () => {
    expect(await act(owner, (tx) => archiveTeam(tx, { id: team }, true))).toMatchObject({
      ok: false,
      error: 'The "Proposal sent" (Sales) stage is restricted to this team: remove the team from it in Settings → Pipelines first',
    });
    await expect(as(owner, (tx) => sql`delete from teams where id = ${team}`.execute(tx))).rejects.toMatchObject({ hint: "team_in_use" });

    const theirs = (await as(stranger, (tx) => createTeam(tx, stranger.orgId, { name: "Theirs" }))).id;
    const s = stages.Won;
    const refused = await act(owner, (tx) =>
      updateStage(tx, { id: s.id, name: s.name, probability: 100, outcome: "won", restrictedRoles: [], restrictedTeamIds: [theirs] }),
    );
    expect(refused).toMatchObject({ ok: false, error: 'The "Won" stage can only be restricted to active teams of this workspace' });
    const retired = (await as(owner, (tx) => createTeam(tx, owner.orgId, { name: "Retired" }))).id;
    await as(owner, (tx) => archiveTeam(tx, { id: retired }, true));
    expect(
      await act(owner, (tx) => updateStage(tx, { id: s.id, name: s.name, probability: 100, outcome: "won", restrictedRoles: [], restrictedTeamIds: [retired] })),
    ).toMatchObject({ ok: false });
    const [row] = await t.admin`select restricted_team_ids from pipeline_stages where id = ${s.id}`;
    expect(row.restricted_team_ids).toEqual([]);
    // Deleting the org takes its teams and stages with it.
    const gone = await createUser(t, { orgName: "Short lived" });
    const goneTeam = (await as(gone, (tx) => createTeam(tx, gone.orgId, { name: "Gone" }))).id;
    await t.admin`update pipeline_stages set restricted_team_ids = array[${goneTeam}::uuid] where org_id = ${gone.orgId}`;
    await t.admin`delete from orgs where id = ${gone.orgId}`;
    expect((await t.admin`select 1 from teams where id = ${goneTeam}`).length).toBe(0);
  });

  it("holds through the REST API: a key's member is refused by team, and a stage's teams are read and written", async () => {
    const admin = await createMember(t, owner.orgId, "admin");
    const adminKey = (await createTestKey(t, admin, ["pipelines:read", "pipelines:write"])).token;
    const read = await callApi(updateStageOp, { token: adminKey, params: { id: stages.Negotiation.id }, body: { probability: 80 } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ probability: 80, restricted_roles: [], restricted_team_ids: [team] });
    const bad = await callApi(updateStageOp, { token: adminKey, params: { id: stages.Negotiation.id }, body: { restricted_team_ids: ["nope"] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toEqual(["restricted_team_ids.0"]);

    // A key made by an admin who is then a member in no team, and one in the team.
    const keyOf = async (inTeam: boolean) => {
      const u = await createMember(t, owner.orgId, "admin");
      const k = await createTestKey(t, u, ["deals:read", "deals:write"]);
      await t.admin`update org_members set role = 'member' where user_id = ${u.id}`;
      if (inTeam) await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: team, userId: u.id }));
      return k.token;
    };
    const deal = await newDeal();
    const refused = await callApi(moveDealOp, { token: await keyOf(false), params: { id: deal }, body: { stage_id: stages.Negotiation.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Only the Case management team can move deals into the "Negotiation" stage');
    const allowed = await callApi(moveDealOp, { token: await keyOf(true), params: { id: deal }, body: { stage_id: stages.Negotiation.id } });
    expect(allowed.status).toBe(200);
    expect(await stageOf(deal)).toBe("Negotiation");
  });
});
