import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import {
  archivePipeline,
  createPipeline,
  createStage,
  deletePipeline,
  deleteStage,
  getPipeline,
  listPipelines,
  pipelineRecord,
  reorderStages,
  restorePipeline,
  stageRecord,
  updatePipeline,
  updateStage,
} from "./pipelines";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;
let token: string;
let readOnly: string;
let managerToken: string;
let salesId: string;
let otherPipelineId: string;
let otherStageId: string;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Pipes" });
  other = await createUser(t, { orgName: "Other pipes" });
  token = (await createTestKey(t, owner, ["pipelines:read", "pipelines:write"])).token;
  readOnly = (await createTestKey(t, owner, ["pipelines:read", "deals:write"])).token;
  const admin = await createMember(t, owner.orgId, "admin");
  managerToken = (await createTestKey(t, admin, ["pipelines:read", "pipelines:write"])).token;
  await t.admin`update org_members set role = 'manager' where user_id = ${admin.id}`;
  [{ id: salesId }] = await t.admin`select id from pipelines where org_id = ${owner.orgId}`;
  [{ id: otherPipelineId }] = await t.admin`select id from pipelines where org_id = ${other.orgId}`;
  [{ id: otherStageId }] = await t.admin`select id from pipeline_stages where org_id = ${other.orgId} limit 1`;
});

describe("pipelines", () => {
  it("lists the org's pipelines with stages in order, and gets one", async () => {
    const r = await callApi(listPipelines, { token: readOnly });
    expect(r.status).toBe(200);
    expect(r.body.next_cursor).toBeNull();
    expect(r.body.data).toHaveLength(1);
    const sales = pipelineRecord.parse(r.body.data[0]);
    expect(sales).toMatchObject({ object: "pipeline", id: salesId, name: "Sales", archived_at: null });
    expect(sales.stages.map((s) => s.name)).toEqual(["Qualified", "Contact made", "Proposal sent", "Negotiation", "Won", "Lost"]);
    expect(sales.stages[4]).toMatchObject({ object: "pipeline_stage", is_won: true, is_lost: false, probability: 100, restricted_roles: [] });

    const one = await callApi(getPipeline, { token, params: { id: salesId } });
    expect(one.body).toEqual(r.body.data[0]);
    expect((await callApi(getPipeline, { token, params: { id: otherPipelineId } })).status).toBe(404);
  });

  it("creates, renames, archives, restores and deletes a pipeline as an owner", async () => {
    const created = await callApi(createPipeline, { token, body: { name: " Partners " }, headers: { "idempotency-key": "p-1" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Partners", position: 1 });
    expect(created.body.stages.map((s: { name: string }) => s.name)).toEqual(["Qualified", "Proposal", "Won", "Lost"]);
    const again = await callApi(createPipeline, { token, body: { name: " Partners " }, headers: { "idempotency-key": "p-1" } });
    expect(again.body.id).toBe(created.body.id);
    const id = created.body.id;
    const [audit] = await t.admin`select actor_type from audit_log where record_id = ${id}::text and action = 'insert'`;
    expect(audit.actor_type).toBe("api_key");

    const renamed = await callApi(updatePipeline, { token, params: { id }, body: { name: "Channel" } });
    expect(renamed.body.name).toBe("Channel");

    const archived = await callApi(archivePipeline, { token, params: { id } });
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect((await callApi(listPipelines, { token })).body.data.map((p: { id: string }) => p.id)).toEqual([salesId]);
    expect((await callApi(listPipelines, { token, query: "archived=1" })).body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    const lastActive = await callApi(archivePipeline, { token, params: { id: salesId } });
    expect(lastActive.status).toBe(409);
    expect(lastActive.body.error.message).toMatch(/at least one active pipeline/);

    expect((await callApi(restorePipeline, { token, params: { id } })).body.archived_at).toBeNull();
    expect((await callApi(deletePipeline, { token, params: { id } })).status).toBe(204);
    expect((await callApi(getPipeline, { token, params: { id } })).status).toBe(404);
  });

  it("refuses a pipeline with deals, a bad name, unknown fields and other orgs' ids", async () => {
    const p = await callApi(createPipeline, { token, body: { name: "Busy" } });
    const stage = p.body.stages[0].id;
    await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${owner.orgId}, 'D', ${p.body.id}, ${stage}, 'USD')`;
    const busy = await callApi(deletePipeline, { token, params: { id: p.body.id } });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/still has 1 deal/);

    const blank = await callApi(updatePipeline, { token, params: { id: salesId }, body: { name: "  " } });
    expect(blank.status).toBe(422);
    expect(blank.body.error.details).toEqual({ name: ["Enter a name"] });
    const unknown = await callApi(createPipeline, { token, body: { name: "X", stages: [] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ stages: ["Unknown field `stages`"] });

    for (const op of [updatePipeline, archivePipeline, deletePipeline]) {
      const r = await callApi(op, { token, params: { id: otherPipelineId }, body: op === updatePipeline ? { name: "Mine" } : undefined });
      expect(r.status).toBe(404);
    }
    const [row] = await t.admin`select name, archived_at from pipelines where id = ${otherPipelineId}`;
    expect(row).toMatchObject({ name: "Sales", archived_at: null });
  });

  it("only owners and admins change pipelines; reading needs the read scope", async () => {
    const r = await callApi(createPipeline, { token: managerToken, body: { name: "Nope" } });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/owners and admins/);
    const rename = await callApi(updatePipeline, { token: managerToken, params: { id: salesId }, body: { name: "Nope" } });
    expect(rename.status).toBe(403);
    expect((await callApi(createPipeline, { token: readOnly, body: { name: "Nope" } })).status).toBe(403);
    const noRead = (await createTestKey(t, owner, ["deals:read"])).token;
    expect((await callApi(listPipelines, { token: noRead })).status).toBe(403);
    expect((await t.admin`select count(*)::int as n from pipelines where name = 'Nope'`)[0].n).toBe(0);
  });
});

describe("stages", () => {
  it("adds, updates, reorders and deletes stages", async () => {
    const p = (await callApi(createPipeline, { token, body: { name: "Stages" } })).body;
    const added = await callApi(createStage, {
      token,
      params: { id: p.id },
      body: { name: "Review", probability: 60, restricted_roles: ["manager"] },
    });
    expect(added.status).toBe(201);
    expect(stageRecord.parse(added.body)).toMatchObject({
      name: "Review",
      probability: 60,
      // Before the new pipeline's Won and Lost stages.
      position: 2,
      is_won: false,
      restricted_roles: ["manager"],
      pipeline_id: p.id,
    });
    const [ev] = await t.admin`select actor_type from audit_log where record_id = ${added.body.id}::text and action = 'insert'`;
    expect(ev.actor_type).toBe("api_key");

    const updated = await callApi(updateStage, { token, params: { id: added.body.id }, body: { name: "Legal review" } });
    expect(updated.body).toMatchObject({ name: "Legal review", probability: 60, restricted_roles: ["manager"] });
    const cleared = await callApi(updateStage, { token, params: { id: added.body.id }, body: { restricted_roles: [], outcome: "won" } });
    expect(cleared.body).toMatchObject({ restricted_roles: [], is_won: true, name: "Legal review" });

    const ids = [added.body.id, ...p.stages.map((s: { id: string }) => s.id)];
    const reordered = await callApi(reorderStages, { token, params: { id: p.id }, body: { ids } });
    expect(reordered.body.stages.map((s: { id: string }) => s.id)).toEqual(ids);
    const partial = await callApi(reorderStages, { token, params: { id: p.id }, body: { ids: ids.slice(1) } });
    expect(partial.status).toBe(422);
    expect(partial.body.error.details).toHaveProperty("ids");

    expect((await callApi(deleteStage, { token, params: { id: added.body.id } })).status).toBe(204);
    expect((await callApi(getPipeline, { token, params: { id: p.id } })).body.stages).toHaveLength(4);
  });

  it("moves a stage's deals before deleting it, and needs a target when it has some", async () => {
    const p = (await callApi(createPipeline, { token, body: { name: "Moving" } })).body;
    const [from, to] = p.stages;
    await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${owner.orgId}, 'In stage', ${p.id}, ${from.id}, 'USD')`;
    const refused = await callApi(deleteStage, { token, params: { id: from.id } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ move_deals_to: [expect.any(String)] });
    const bad = await callApi(deleteStage, { token, params: { id: from.id }, query: "move_deals_to=nope" });
    expect(bad.status).toBe(400);
    const moved = await callApi(deleteStage, { token, params: { id: from.id }, query: `move_deals_to=${to.id}` });
    expect(moved.status).toBe(204);
    const [deal] = await t.admin`select stage_id from deals where name = 'In stage'`;
    expect(deal.stage_id).toBe(to.id);
  });

  it("refuses bad stage fields, managers, and other orgs' stages", async () => {
    const bad = await callApi(createStage, {
      token,
      params: { id: salesId },
      body: { name: "", probability: 150, outcome: "maybe", restricted_roles: ["boss"] },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toEqual(["outcome"]);
    const values = await callApi(createStage, { token, params: { id: salesId }, body: { name: "", probability: 150, restricted_roles: ["boss"] } });
    expect(values.status).toBe(422);
    expect(Object.keys(values.body.error.details).sort()).toEqual(["name", "probability", "restricted_roles.0"]);

    const [stage] = await t.admin`select id from pipeline_stages where pipeline_id = ${salesId} order by position limit 1`;
    const manager = await callApi(updateStage, { token: managerToken, params: { id: stage.id }, body: { name: "Mine" } });
    expect(manager.status).toBe(403);

    expect((await callApi(createStage, { token, params: { id: otherPipelineId }, body: { name: "X" } })).status).toBe(404);
    expect((await callApi(updateStage, { token, params: { id: otherStageId }, body: { name: "X" } })).status).toBe(404);
    expect((await callApi(deleteStage, { token, params: { id: otherStageId } })).status).toBe(404);
    const [row] = await t.admin`select name from pipeline_stages where id = ${otherStageId}`;
    expect(row.name).toBe("Qualified");
  });
});
