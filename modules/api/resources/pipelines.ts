// REST for pipelines and their stages: what Settings → Pipelines does, for
// owners' and admins' keys (the database policies allow no one else). Writes
// go through modules/crm/pipelines/service.ts.
import { z } from "zod";
import { recordNotFound } from "@/lib/api/errors";
import { ROLES } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { defineOperation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import * as pipelines from "@/modules/crm/pipelines";
import { pipelineCreateSchema, stageFieldsSchema } from "@/modules/crm/pipelines/ui";
import { invalidAs, renamedFields, requirePermission, timestamp } from "./crm-input";

const idParams = z.object({ id: z.uuid() });

export const stageRecord = z.object({
  object: z.literal("pipeline_stage"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  pipeline_id: z.uuid(),
  name: z.string(),
  position: z.number().int().describe("Order within the pipeline, from 0"),
  probability: z.number().int().describe("Win probability in percent"),
  is_won: z.boolean(),
  is_lost: z.boolean(),
  restricted_roles: z
    .array(z.enum(ROLES))
    .describe("Roles that may move deals into and out of the stage (owners and admins always may)"),
  restricted_team_ids: z
    .array(z.uuid())
    .describe(
      "Teams whose members may move deals into and out of the stage. When both lists are empty anyone may; else a member may when their role or one of their teams is listed",
    ),
});

export const pipelineRecord = z.object({
  object: z.literal("pipeline"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  name: z.string(),
  noun_singular: z
    .string()
    .nullable()
    .describe(
      'What the app calls one of this pipeline\'s deals, e.g. "Case" or "Intended parent"; null means "Deal". Only a label: the API keeps its own names whatever a pipeline says, so a case is a deal at /api/v1/deals, with deal.* events, found by its pipeline_id',
    ),
  noun_plural: z.string().nullable().describe('What the app calls them together, e.g. "Cases"; null means "Deals". Set with noun_singular, never alone'),
  position: z.number().int(),
  archived_at: timestamp().nullable(),
  stages: z.array(stageRecord).describe("In board order"),
});

const pipelineList = z.object({ data: z.array(pipelineRecord), next_cursor: z.null() });

const STAGE_FIELD_NAMES: Record<string, string> = {
  restrictedRoles: "restricted_roles",
  restrictedTeamIds: "restricted_team_ids",
  moveToStageId: "move_deals_to",
};
const MANAGE = "Only owners and admins can change pipelines";

/** Pipelines with their stages in order (stage roles read as a real array, not Postgres' text form). */
async function loadPipelines(tx: Tx, where: { id?: string; archived?: boolean }) {
  let q = tx.selectFrom("pipelines").selectAll();
  if (where.id) q = q.where("id", "=", where.id);
  else q = q.where("archived_at", where.archived ? "is not" : "is", null);
  const rows = await q.orderBy("position").orderBy("created_at").execute();
  if (!rows.length) return [];
  const stages = await tx
    .selectFrom("pipeline_stages")
    .select([
      "id",
      "created_at",
      "updated_at",
      "pipeline_id",
      "name",
      "position",
      "probability",
      "is_won",
      "is_lost",
      sql<string[]>`restricted_roles::text[]`.as("restricted_roles"),
      sql<string[]>`restricted_team_ids::text[]`.as("restricted_team_ids"),
    ])
    .where(
      "pipeline_id",
      "in",
      rows.map((p) => p.id),
    )
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  return rows.map((p) => ({
    ...represent("pipeline", p),
    stages: stages.filter((s) => s.pipeline_id === p.id).map((s) => represent("stage", s)),
  }));
}

async function loadPipeline(tx: Tx, id: string) {
  const [p] = await loadPipelines(tx, { id });
  if (!p) throw recordNotFound("Pipeline");
  return p;
}

async function loadStage(tx: Tx, id: string) {
  const s = await tx
    .selectFrom("pipeline_stages")
    .select([
      "id",
      "pipeline_id",
      "name",
      "probability",
      "is_won",
      "is_lost",
      sql<string[]>`restricted_roles::text[]`.as("restricted_roles"),
      sql<string[]>`restricted_team_ids::text[]`.as("restricted_team_ids"),
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!s) throw recordNotFound("Stage");
  return s;
}

/** A settings service's refusal under the API's field names. */
async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw renamedFields(e, STAGE_FIELD_NAMES);
  }
}

export const listPipelines = defineOperation({
  id: "listPipelines",
  method: "get",
  path: "/pipelines",
  tag: "Pipelines",
  summary: "List pipelines with their stages",
  description: "All active pipelines in board order (archived ones with `archived=1`), each with its stages in order. Not paged: `next_cursor` is always null.",
  scope: "pipelines:read",
  query: z.object({ archived: z.enum(["0", "1"]).optional().describe("`1` lists archived pipelines instead of active ones") }),
  response: pipelineList,
  async handle({ tx, query }) {
    return { data: await loadPipelines(tx, { archived: query.archived === "1" }), next_cursor: null };
  },
});

export const getPipeline = defineOperation({
  id: "getPipeline",
  method: "get",
  path: "/pipelines/{id}",
  tag: "Pipelines",
  summary: "Get a pipeline with its stages",
  scope: "pipelines:read",
  params: idParams,
  response: pipelineRecord,
  handle: ({ tx, params }) => loadPipeline(tx, params.id),
});

export const createPipeline = defineOperation({
  id: "createPipeline",
  method: "post",
  path: "/pipelines",
  tag: "Pipelines",
  summary: "Create a pipeline",
  description: "Owners and admins only. It starts with the stages Qualified, Proposal, Won and Lost, which can then be changed.",
  scope: "pipelines:write",
  status: 201,
  idempotent: true,
  body: pipelineCreateSchema,
  response: pipelineRecord,
  async handle({ tx, actor, body }) {
    requirePermission(actor.role, "settings.manage", MANAGE);
    const { id } = await refusing(pipelines.createPipeline(tx, actor.orgId, body.name));
    return loadPipeline(tx, id);
  },
});

export const updatePipeline = defineOperation({
  id: "updatePipeline",
  method: "patch",
  path: "/pipelines/{id}",
  tag: "Pipelines",
  summary: "Rename a pipeline",
  description: "Owners and admins only.",
  scope: "pipelines:write",
  params: idParams,
  body: pipelineCreateSchema,
  response: pipelineRecord,
  async handle({ tx, actor, params, body }) {
    await loadPipeline(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    await refusing(pipelines.renamePipeline(tx, params.id, body.name));
    return loadPipeline(tx, params.id);
  },
});

function archiveOperation(archived: boolean) {
  return defineOperation({
    id: archived ? "archivePipeline" : "restorePipeline",
    method: "post",
    path: `/pipelines/{id}/${archived ? "archive" : "restore"}`,
    tag: "Pipelines",
    summary: archived ? "Archive a pipeline" : "Restore an archived pipeline",
    description: archived
      ? "Owners and admins only. Its deals stay as they are; the last active pipeline cannot be archived (409)."
      : "Owners and admins only.",
    scope: "pipelines:write",
    params: idParams,
    response: pipelineRecord,
    async handle({ tx, actor, params }) {
      await loadPipeline(tx, params.id);
      requirePermission(actor.role, "settings.manage", MANAGE);
      await refusing(pipelines.archivePipeline(tx, params.id, archived));
      return loadPipeline(tx, params.id);
    },
  });
}
export const archivePipeline = archiveOperation(true);
export const restorePipeline = archiveOperation(false);

export const deletePipeline = defineOperation({
  id: "deletePipeline",
  method: "delete",
  path: "/pipelines/{id}",
  tag: "Pipelines",
  summary: "Delete an empty pipeline",
  description:
    "Owners and admins only. A pipeline that still has deals (archived ones included), or the last active one, is not deleted (409): archive it instead.",
  scope: "pipelines:write",
  params: idParams,
  status: 204,
  async handle({ tx, actor, params }) {
    await loadPipeline(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    await refusing(pipelines.deletePipeline(tx, params.id));
    return { status: 204, body: null };
  },
});

// The stage form's schema with the record's names: `restricted_roles` for
// `restrictedRoles`, and `outcome` setting is_won / is_lost.
const stageFields = {
  name: z.string({ error: "Enter a name" }).describe("1–80 characters"),
  probability: z
    .number({ error: "Enter a percentage" })
    .optional()
    .describe("Win probability in percent, 0–100 (a new open stage: halfway between the open stage before it and the won stage, to the nearest 5; won 100, lost 0)"),
  outcome: z
    .enum(["open", "won", "lost"], { error: "Choose open, won or lost" })
    .optional()
    .describe("`won` / `lost` make it the pipeline's won or lost stage (is_won / is_lost); default open"),
  restricted_roles: z
    .array(z.string(), { error: "Send a list of roles" })
    .optional()
    .describe("Roles that may move deals into and out of the stage; with restricted_team_ids empty, empty: everyone"),
  restricted_team_ids: z
    .array(z.string(), { error: "Send a list of team ids" })
    .optional()
    .describe("Teams whose members may move deals into and out of the stage, besides the roles listed"),
};
const stageCreateBody = z.object(stageFields);
const stageUpdateBody = z.object(stageFields).partial();

type StageCurrent = Awaited<ReturnType<typeof loadStage>>;

function stageInput(body: z.output<typeof stageUpdateBody>, current: StageCurrent | null) {
  const outcome = current ? (current.is_won ? "won" : current.is_lost ? "lost" : "open") : "open";
  const parsed = stageFieldsSchema.safeParse({
    name: body.name ?? current?.name,
    probability: body.probability ?? current?.probability ?? 0,
    outcome: body.outcome ?? outcome,
    restrictedRoles: body.restricted_roles ?? current?.restricted_roles ?? [],
    restrictedTeamIds: body.restricted_team_ids ?? current?.restricted_team_ids ?? [],
  });
  if (!parsed.success) throw invalidAs(parsed.error, STAGE_FIELD_NAMES);
  return parsed.data;
}

async function loadStageRecord(tx: Tx, id: string) {
  const pipeline = await tx.selectFrom("pipeline_stages").select("pipeline_id").where("id", "=", id).executeTakeFirst();
  const stage = pipeline && (await loadPipeline(tx, pipeline.pipeline_id)).stages.find((s) => s.id === id);
  if (!stage) throw recordNotFound("Stage");
  return stage;
}

export const createStage = defineOperation({
  id: "createStage",
  method: "post",
  path: "/pipelines/{id}/stages",
  tag: "Pipelines",
  summary: "Add a stage to a pipeline",
  description:
    "Owners and admins only. An open stage goes before the pipeline's won and lost stages, a won or lost stage last; reorder with `POST /pipelines/{id}/stages/reorder`.",
  scope: "pipelines:write",
  status: 201,
  idempotent: true,
  params: idParams,
  body: stageCreateBody,
  response: stageRecord,
  async handle({ tx, actor, params, body }) {
    await loadPipeline(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    // Without a probability the service picks one from the stage's neighbours.
    const fields = stageInput({ ...body, probability: body.probability ?? 0 }, null);
    const { id } = await refusing(
      pipelines.addStage(tx, actor.orgId, { ...fields, probability: body.probability === undefined ? undefined : fields.probability, pipelineId: params.id }),
    );
    return loadStageRecord(tx, id);
  },
});

export const updateStage = defineOperation({
  id: "updateStage",
  method: "patch",
  path: "/stages/{id}",
  tag: "Pipelines",
  summary: "Update a stage",
  description: "Owners and admins only. Only the fields sent change.",
  scope: "pipelines:write",
  params: idParams,
  body: stageUpdateBody,
  response: stageRecord,
  async handle({ tx, actor, params, body }) {
    const current = await loadStage(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    if (!Object.keys(body).length) return loadStageRecord(tx, params.id);
    await refusing(pipelines.updateStage(tx, { ...stageInput(body, current), id: params.id }));
    return loadStageRecord(tx, params.id);
  },
});

export const deleteStage = defineOperation({
  id: "deleteStage",
  method: "delete",
  path: "/stages/{id}",
  tag: "Pipelines",
  summary: "Delete a stage",
  description:
    "Owners and admins only. A stage that still has deals needs `move_deals_to`, another stage of the same pipeline, where they go first (else 409); the last stage of a pipeline cannot be deleted.",
  scope: "pipelines:write",
  params: idParams,
  query: z.object({
    move_deals_to: z.uuid({ error: "Not a valid stage id" }).optional().describe("The stage (same pipeline) that receives the stage's deals"),
  }),
  status: 204,
  async handle({ tx, actor, params, query }) {
    await loadStage(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    await refusing(pipelines.deleteStage(tx, { id: params.id, moveToStageId: query.move_deals_to }));
    return { status: 204, body: null };
  },
});

export const reorderStages = defineOperation({
  id: "reorderStages",
  method: "post",
  path: "/pipelines/{id}/stages/reorder",
  tag: "Pipelines",
  summary: "Put a pipeline's stages in a new order",
  description: "Owners and admins only. `ids` must be exactly the pipeline's stages, in the new order.",
  scope: "pipelines:write",
  params: idParams,
  body: z.object({
    ids: z.array(z.uuid({ error: "Not a valid stage id" }), { error: "Send the stage ids as a list" }).min(1).max(100),
  }),
  response: pipelineRecord,
  async handle({ tx, actor, params, body }) {
    await loadPipeline(tx, params.id);
    requirePermission(actor.role, "settings.manage", MANAGE);
    await pipelines.reorderStages(tx, params.id, body.ids);
    return loadPipeline(tx, params.id);
  },
});

export const pipelineOperations = [
  listPipelines,
  createPipeline,
  getPipeline,
  updatePipeline,
  deletePipeline,
  archivePipeline,
  restorePipeline,
  createStage,
  reorderStages,
  updateStage,
  deleteStage,
];
