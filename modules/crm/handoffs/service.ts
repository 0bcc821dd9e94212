// Submitting, accepting and denying a handoff are moves of the deal: into
// its pipeline's handoff stage, then to that stage's accept or deny stage.
// The database (private.guard_deal_stage, private.handoff_decide and
// private.handoff_record) decides who may, keeps the handoff, sets the owner,
// notifies and emits; these functions find the stage and word the refusals.
import { sql, type Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { conflict, invalidFields, notFound } from "@/lib/errors";
import { moveDeal } from "@/modules/crm/deals";
import type { DenyHandoffInput, PipelineHandoffsInput, SubmitHandoffInput } from "./schema";

const gone = () => notFound("That deal no longer exists.");

async function dealStage(tx: Tx, id: string) {
  const deal = await tx
    .selectFrom("deals as d")
    .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
    .select(["d.id", "d.pipeline_id", "d.stage_id", "s.handoff_accept_stage_id", "s.handoff_deny_stage_id"])
    .where("d.id", "=", id)
    .executeTakeFirst();
  if (!deal) throw gone();
  return deal;
}

export async function submitHandoff(tx: Tx, input: SubmitHandoffInput): Promise<{ stageId: string }> {
  const deal = await dealStage(tx, input.id);
  if (deal.handoff_accept_stage_id) throw conflict("This deal is already waiting in the handoff queue.");
  const stages = await tx
    .selectFrom("pipeline_stages")
    .select(["id", "name"])
    .where("pipeline_id", "=", deal.pipeline_id)
    .where("handoff_accept_stage_id", "is not", null)
    .orderBy("position")
    .execute();
  const stage = input.stageId ? stages.find((s) => s.id === input.stageId) : stages.length === 1 ? stages[0] : undefined;
  if (!stage) {
    if (!stages.length) throw conflict("This deal's pipeline has no handoff stage. Set one in Settings → Pipelines.");
    throw invalidFields(
      { stageId: input.stageId ? "Not a handoff stage of this deal's pipeline" : "Choose a handoff stage" },
      input.stageId ? "That is not a handoff stage of this deal's pipeline." : `Choose a handoff stage: ${stages.map((s) => s.name).join(", ")}.`,
    );
  }
  await moveDeal(tx, { id: deal.id, stageId: stage.id });
  return { stageId: stage.id };
}

async function waiting(tx: Tx, id: string) {
  // Two deciders at once: the second waits here, then finds nothing waiting.
  await sql`select 1 from public.deals where id = ${id}::uuid for update`.execute(tx);
  const deal = await dealStage(tx, id);
  const handoff = await tx.selectFrom("deal_handoffs").select("id").where("deal_id", "=", id).where("decision", "is", null).executeTakeFirst();
  if (!deal.handoff_accept_stage_id || !deal.handoff_deny_stage_id || !handoff) {
    throw conflict("No handoff is waiting for this deal: it was decided or withdrawn meanwhile.");
  }
  return { ...deal, accept: deal.handoff_accept_stage_id, deny: deal.handoff_deny_stage_id };
}

/** The receiving side takes the deal: it moves to the accept stage and the accepter owns it. */
export async function acceptHandoff(tx: Tx, id: string): Promise<{ stageId: string }> {
  const deal = await waiting(tx, id);
  await moveDeal(tx, { id, stageId: deal.accept });
  return { stageId: deal.accept };
}

/** The receiving side sends the deal back, saying why: it moves to the deny stage and its submitter owns it again. */
export async function denyHandoff(tx: Tx, input: DenyHandoffInput): Promise<{ stageId: string }> {
  const deal = await waiting(tx, input.id);
  await moveDeal(tx, { id: input.id, stageId: deal.deny, reason: input.reason });
  return { stageId: deal.deny };
}

/**
 * Settings → Pipelines: which of a pipeline's stages hand off (and where to),
 * which are locked, and whether locked deals are hidden from everyone else.
 * Owners and admins only (the stages' and pipelines' update policies).
 */
export async function setPipelineHandoffs(tx: Tx, input: PipelineHandoffsInput): Promise<void> {
  const pipeline = await tx
    .updateTable("pipelines")
    .set({ hide_locked_from_others: input.hideLocked })
    .where("id", "=", input.pipelineId)
    .returning("id")
    .executeTakeFirst();
  if (!pipeline) throw notFound("That pipeline no longer exists, or only owners and admins may change it.");
  // Clear first, so one stage's new target may be another's old one in any order.
  await tx.updateTable("pipeline_stages").set({ handoff_accept_stage_id: null, handoff_deny_stage_id: null }).where("pipeline_id", "=", input.pipelineId).execute();
  for (const [i, s] of input.stages.entries()) {
    try {
      const row = await tx
        .updateTable("pipeline_stages")
        .set({ handoff_accept_stage_id: s.acceptStageId, handoff_deny_stage_id: s.denyStageId, locked: s.locked })
        .where("id", "=", s.id)
        .where("pipeline_id", "=", input.pipelineId)
        .returning("id")
        .executeTakeFirst();
      if (!row) throw invalidFields({ [`stages.${i}`]: "Not a stage of this pipeline" }, "A stage was removed meanwhile. Reload and try again.");
    } catch (e) {
      const err = pgError(e);
      if (err?.code === "23503" || err?.code === "23514") {
        throw invalidFields({ [`stages.${i}.acceptStageId`]: "Choose two other stages of this pipeline" }, "A handoff stage sends deals to two other stages of its pipeline.");
      }
      throw e;
    }
  }
}
