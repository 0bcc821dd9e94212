// Pipeline and stage settings. Plain functions over a transaction so server
// actions, the REST API and tests share them; RLS limits writes to owners and
// admins, the actions check `settings.manage` first for a friendlier answer.
import { sql, type Tx } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { conflict, forbidden, invalidFields, notFound } from "@/lib/errors";
import { stageTeams, toStage } from "./queries";
import { newStageIndex, newStageProbability, type PipelineOptionsInput, type PipelineStagesInput, type StageCreateInput, type StageUpdateInput } from "./schema";

const DEFAULT_STAGES = [
  { name: "Qualified", probability: 10, is_won: false, is_lost: false },
  { name: "Proposal", probability: 50, is_won: false, is_lost: false },
  { name: "Won", probability: 100, is_won: true, is_lost: false },
  { name: "Lost", probability: 0, is_won: false, is_lost: true },
];

function refused(e: unknown): never {
  throwRefusal(e, { forbidden: () => forbidden("Only owners and admins can change pipelines.") });
}

const pipelineGone = () => notFound("That pipeline no longer exists.");
const stageGone = () => notFound("That stage no longer exists.");

export async function createPipeline(tx: Tx, orgId: string, name: string): Promise<{ id: string }> {
  try {
    const { max } = await tx
      .selectFrom("pipelines")
      .select(sql<number>`coalesce(max(position), -1)`.as("max"))
      .executeTakeFirstOrThrow();
    const p = await tx
      .insertInto("pipelines")
      .values({ org_id: orgId, name, position: Number(max) + 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("pipeline_stages")
      .values(DEFAULT_STAGES.map((s, i) => ({ ...s, org_id: orgId, pipeline_id: p.id, position: i })))
      .execute();
    return { id: p.id };
  } catch (e) {
    refused(e);
  }
}

export async function renamePipeline(tx: Tx, id: string, name: string): Promise<void> {
  try {
    const row = await tx.updateTable("pipelines").set({ name }).where("id", "=", id).returning("id").executeTakeFirst();
    if (!row) throw pipelineGone();
  } catch (e) {
    refused(e);
  }
}

/** What the pipeline's deals are called; nulls for the default, Deal/Deals. */
export async function setPipelineNouns(
  tx: Tx,
  id: string,
  nouns: { nounSingular: string | null; nounPlural: string | null },
): Promise<void> {
  try {
    const row = await tx
      .updateTable("pipelines")
      .set({ noun_singular: nouns.nounSingular, noun_plural: nouns.nounPlural })
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw pipelineGone();
  } catch (e) {
    refused(e);
  }
}

/** `ids` in their new order; each must be one of the org's pipelines. */
export async function reorderPipelines(tx: Tx, ids: string[]): Promise<void> {
  try {
    const { rows } = await sql<{ id: string }>`
      update public.pipelines p set position = o.ord - 1
      from unnest(${ids}::uuid[]) with ordinality as o(id, ord)
      where p.id = o.id
      returning p.id`.execute(tx);
    if (rows.length !== ids.length) throw conflict("A pipeline was changed meanwhile. Reload and try again.");
  } catch (e) {
    refused(e);
  }
}

async function activePipelineCount(tx: Tx) {
  const { n } = await tx
    .selectFrom("pipelines")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("archived_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function archivePipeline(tx: Tx, id: string, archived: boolean): Promise<void> {
  try {
    if (archived && (await activePipelineCount(tx)) <= 1) {
      throw conflict("Keep at least one active pipeline: add another before archiving this one.");
    }
    const row = await tx
      .updateTable("pipelines")
      .set({ archived_at: archived ? new Date() : null })
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw pipelineGone();
  } catch (e) {
    refused(e);
  }
}

/** Deletes an empty pipeline (deals are never deleted as a side effect). */
export async function deletePipeline(tx: Tx, id: string): Promise<void> {
  try {
    const p = await tx.selectFrom("pipelines").select(["id", "archived_at"]).where("id", "=", id).executeTakeFirst();
    if (!p) throw pipelineGone();
    if (!p.archived_at && (await activePipelineCount(tx)) <= 1) {
      throw conflict("Keep at least one active pipeline: add another before deleting this one.");
    }
    const { n } = await tx
      .selectFrom("deals")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("pipeline_id", "=", id)
      .executeTakeFirstOrThrow();
    if (Number(n) > 0) {
      throw conflict(`This pipeline still has ${n} deal${n === "1" ? "" : "s"} (including archived ones). Archive the pipeline instead, or move its deals first.`);
    }
    await tx.deleteFrom("pipelines").where("id", "=", id).execute();
  } catch (e) {
    refused(e);
  }
}

function stageColumns(input: Omit<StageUpdateInput, "id">) {
  return {
    name: input.name,
    probability: input.probability,
    is_won: input.outcome === "won",
    is_lost: input.outcome === "lost",
    // Owners and admins always may; listing them would only confuse.
    restricted_roles: sql`${input.restrictedRoles.filter((r) => r !== "owner" && r !== "admin")}::public.org_role[]` as never,
    restricted_team_ids: sql`${[...new Set(input.restrictedTeamIds)]}::uuid[]` as never,
  };
}

async function stagesOf(tx: Tx, pipelineId: string) {
  const rows = await tx
    .selectFrom("pipeline_stages")
    .select(["id", "pipeline_id", "name", "position", "probability", "is_won", "is_lost", "restricted_roles", stageTeams])
    .where("pipeline_id", "=", pipelineId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  return rows.map(toStage);
}

/**
 * Adds a stage: an open one before the pipeline's won and lost stages (they
 * stay last), a won or lost one at the end. Without a probability, an open
 * stage takes one between its neighbours' (newStageProbability).
 */
export async function addStage(
  tx: Tx,
  orgId: string,
  input: Omit<StageCreateInput, "probability"> & { probability?: number },
): Promise<{ id: string }> {
  try {
    const pipeline = await tx.selectFrom("pipelines").select("id").where("id", "=", input.pipelineId).executeTakeFirst();
    if (!pipeline) throw invalidFields({ pipelineId: "Pipeline not found" }, "That pipeline no longer exists.");
    const stages = await stagesOf(tx, input.pipelineId);
    const index = input.outcome === "open" ? newStageIndex(stages) : stages.length;
    const probability = input.probability ?? (input.outcome === "won" ? 100 : input.outcome === "lost" ? 0 : newStageProbability(stages, index));
    await positionStages(tx, stages.map((s) => s.id).toSpliced(index, 0, ""));
    const row = await tx
      .insertInto("pipeline_stages")
      .values({ org_id: orgId, pipeline_id: input.pipelineId, position: index, ...stageColumns({ ...input, probability }) })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  } catch (e) {
    refused(e);
  }
}

/** Numbers `ids` 0, 1, 2… in their order, writing only the rows whose position changes ("" keeps a place free). */
async function positionStages(tx: Tx, ids: string[]) {
  const placed = ids.flatMap((id, i) => (id ? [{ id, i }] : []));
  if (!placed.length) return;
  await sql`
    update public.pipeline_stages s set position = o.ord
    from unnest(${placed.map((p) => p.id)}::uuid[], ${placed.map((p) => p.i)}::int[]) as o(id, ord)
    where s.id = o.id and s.position is distinct from o.ord`.execute(tx);
}

export async function updateStage(tx: Tx, input: StageUpdateInput): Promise<void> {
  try {
    const row = await tx
      .updateTable("pipeline_stages")
      .set(stageColumns(input))
      .where("id", "=", input.id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw stageGone();
  } catch (e) {
    refused(e);
  }
}

/** `ids` must be exactly the pipeline's stages, in their new order. */
export async function reorderStages(tx: Tx, pipelineId: string, ids: string[]): Promise<void> {
  try {
    const current = await tx.selectFrom("pipeline_stages").select("id").where("pipeline_id", "=", pipelineId).execute();
    const known = new Set(current.map((s) => s.id));
    if (current.length !== ids.length || new Set(ids).size !== ids.length || !ids.every((i) => known.has(i))) {
      throw invalidFields({ ids: "Send every stage of this pipeline exactly once" }, "The stages were changed meanwhile. Reload and try again.");
    }
    await sql`
      update public.pipeline_stages s set position = o.ord - 1
      from unnest(${ids}::uuid[]) with ordinality as o(id, ord)
      where s.id = o.id`.execute(tx);
  } catch (e) {
    refused(e);
  }
}

/**
 * Deletes a stage, first moving its deals (archived ones too) to the end of
 * `moveToStageId` in the same pipeline, all in the caller's transaction.
 */
export async function deleteStage(
  tx: Tx,
  input: { id: string; moveToStageId?: string | null },
): Promise<{ moved: number }> {
  try {
    const stage = await tx
      .selectFrom("pipeline_stages")
      .select(["id", "pipeline_id", "name"])
      .where("id", "=", input.id)
      .executeTakeFirst();
    if (!stage) throw stageGone();
    const siblings = await tx
      .selectFrom("pipeline_stages")
      .select(["id", "name"])
      .where("pipeline_id", "=", stage.pipeline_id)
      .execute();
    if (siblings.length <= 1) throw conflict("A pipeline needs at least one stage: add another before deleting this one.");
    const { n } = await tx
      .selectFrom("deals")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("stage_id", "=", stage.id)
      .executeTakeFirstOrThrow();
    const count = Number(n);
    if (count > 0) {
      const target = siblings.find((s) => s.id === input.moveToStageId && s.id !== stage.id);
      if (!target) {
        throw conflict(`"${stage.name}" has ${count} deal${count === 1 ? "" : "s"}. Choose a stage to move them to.`, {
          details: { moveToStageId: ["Choose another stage of this pipeline"] },
        });
      }
      await sql`select set_config('covey.change_reason', ${`Stage "${stage.name}" was deleted`}, true)`.execute(tx);
      await sql`
        update public.deals d
        set stage_id = ${target.id}::uuid,
            position = m.top + o.ord
        from (select coalesce(max(position), 0) as top from public.deals where stage_id = ${target.id}::uuid) m,
             (select id, row_number() over (order by position, id) as ord from public.deals where stage_id = ${stage.id}::uuid) o
        where d.id = o.id`.execute(tx);
      await sql`select set_config('covey.change_reason', '', true)`.execute(tx);
    }
    await tx.deleteFrom("pipeline_stages").where("id", "=", stage.id).execute();
    return { moved: count };
  } catch (e) {
    refused(e);
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => [...new Set(a)].sort().join() === [...new Set(b)].sort().join();

/**
 * Saves a pipeline's settings form at once, in the caller's transaction: the
 * name, every stage's fields and place, the new stages, and the deleted ones
 * (their deals first moved to a kept stage). The form must account for every
 * stage the pipeline has, so a stage someone else added or deleted meanwhile
 * is a conflict rather than silently dropped. Only rows that change are
 * written.
 */
export async function savePipelineStages(tx: Tx, orgId: string, input: PipelineStagesInput): Promise<void> {
  try {
    const pipeline = await tx.selectFrom("pipelines").select(["id", "name"]).where("id", "=", input.pipelineId).executeTakeFirst();
    if (!pipeline) throw pipelineGone();
    const current = await stagesOf(tx, pipeline.id);
    const byId = new Map(current.map((s) => [s.id, s]));
    const kept = input.stages.flatMap((s) => (s.id ? [s.id] : []));
    const deleted = input.deleted.map((d) => d.id);
    const accounted = [...kept, ...deleted];
    if (accounted.length !== current.length || new Set(accounted).size !== accounted.length || !accounted.every((id) => byId.has(id))) {
      throw conflict("The stages were changed meanwhile. Reload and try again.");
    }
    const keptIds = new Set(kept);
    for (const [i, d] of input.deleted.entries()) {
      const stage = byId.get(d.id)!;
      const { n } = await tx
        .selectFrom("deals")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("stage_id", "=", d.id)
        .executeTakeFirstOrThrow();
      if (Number(n) > 0 && !(d.moveToStageId && keptIds.has(d.moveToStageId))) {
        throw conflict(`"${stage.name}" has ${n} deal${n === "1" ? "" : "s"}. Choose a stage you keep to move them to.`, {
          details: { [`deleted.${i}.moveToStageId`]: ["Choose a stage you keep"] },
        });
      }
      await deleteStage(tx, { id: d.id, moveToStageId: d.moveToStageId });
    }

    if (input.name !== pipeline.name) await tx.updateTable("pipelines").set({ name: input.name }).where("id", "=", pipeline.id).execute();
    // Every kept stage takes its new place before any new one is inserted, so positions never tie.
    await positionStages(tx, input.stages.map((s) => s.id ?? ""));
    for (const [position, s] of input.stages.entries()) {
      const was = s.id ? byId.get(s.id) : undefined;
      const columns = stageColumns(s);
      if (!was) {
        await tx.insertInto("pipeline_stages").values({ org_id: orgId, pipeline_id: pipeline.id, position, ...columns }).execute();
        continue;
      }
      const unchanged =
        was.name === s.name &&
        was.probability === s.probability &&
        was.isWon === columns.is_won &&
        was.isLost === columns.is_lost &&
        sameSet(was.restrictedRoles, s.restrictedRoles.filter((r) => r !== "owner" && r !== "admin")) &&
        sameSet(was.restrictedTeamIds, s.restrictedTeamIds);
      if (!unchanged) await tx.updateTable("pipeline_stages").set(columns).where("id", "=", was.id).execute();
    }
  } catch (e) {
    refused(e);
  }
}

/**
 * Numbering and one person per deal. Turning numbering on numbers the
 * pipeline's deals that have none (20261209100000_deal_numbers); turning it
 * off stops numbering new deals, and those numbered keep their numbers.
 */
export async function setPipelineOptions(tx: Tx, input: PipelineOptionsInput): Promise<void> {
  try {
    const row = await tx
      .updateTable("pipelines")
      .set({ numbered: input.numbered, person_required: input.personRequired })
      .where("id", "=", input.id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw pipelineGone();
  } catch (e) {
    refused(e);
  }
}
