// Submitting, accepting and denying a handoff are moves of the deal: into
// its pipeline's handoff stage, then to that stage's accept or deny stage.
// The database (private.guard_deal_stage, private.handoff_decide and
// private.handoff_record) decides who may, keeps the handoff, sets the owner,
// notifies and emits; these functions find the stage and word the refusals.
import { sql, type Tx } from "@/lib/db";
import { conflict, invalidFields, notFound } from "@/lib/errors";
import { moveDeal } from "@/modules/crm/deals";
import type { DenyHandoffInput, SubmitHandoffInput } from "./schema";

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
