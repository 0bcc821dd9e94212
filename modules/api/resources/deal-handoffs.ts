// REST for handoffs: submit a deal to its pipeline's handoff stage, and
// accept or deny it as the receiving side. They are the handoff queue's
// buttons (modules/crm/handoffs), so the database decides who may and emits
// deal.handoff_submitted, deal.handoff_accepted and deal.handoff_denied.
import { z } from "zod";
import { recordNotFound } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { defineOperation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import { acceptHandoff, denyHandoff, submitHandoff } from "@/modules/crm/handoffs";
import { denyHandoffSchema } from "@/modules/crm/handoffs/ui";
import { renamedFields, rowsInOrder } from "./crm-input";
import { dealRecord } from "./deals";

const idParams = z.object({ id: z.uuid() });
const FIELD_NAMES: Record<string, string> = { stageId: "stage_id", stage_id: "stage_id", reason: "reason" };

async function loadDeal(tx: Tx, id: string) {
  const [row] = await rowsInOrder(tx, "deals", [id]);
  if (!row) throw recordNotFound("Deal");
  return represent("deal", row);
}

async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw renamedFields(e, FIELD_NAMES);
  }
}

export const submitDealHandoff = defineOperation({
  id: "submitDealHandoff",
  method: "post",
  path: "/deals/{id}/handoff",
  tag: "Deals",
  summary: "Submit a deal for handoff",
  description:
    "Moves the deal into its pipeline's handoff stage (a stage with an accept and a deny stage; `stage_id` picks one when the pipeline has several), where it waits in the receiving side's handoff queue, and emits `deal.handoff_submitted`. The receiving side is whoever may use the accept stage; its members are notified. 409 when the deal already waits or its pipeline has no handoff stage; 403 when the key's member may not move the deal into the handoff stage.",
  scope: "deals:write",
  params: idParams,
  body: z.object({ stage_id: z.uuid({ error: "Choose a handoff stage" }).optional().describe("The handoff stage, when the pipeline has several") }),
  response: dealRecord,
  async handle({ tx, params, body }) {
    await refusing(submitHandoff(tx, { id: params.id, stageId: body.stage_id }));
    return loadDeal(tx, params.id);
  },
});

export const acceptDealHandoff = defineOperation({
  id: "acceptDealHandoff",
  method: "post",
  path: "/deals/{id}/handoff/accept",
  tag: "Deals",
  summary: "Accept a deal waiting for handoff",
  description:
    "Moves the deal to the handoff stage's accept stage, makes the key's member its owner, tells the submitter and emits `deal.handoff_accepted`. Only the receiving side (who may use the accept stage), admins and owners may: anyone else gets 403. 409 when no handoff is waiting.",
  scope: "deals:write",
  params: idParams,
  response: dealRecord,
  async handle({ tx, params }) {
    await refusing(acceptHandoff(tx, params.id));
    return loadDeal(tx, params.id);
  },
});

export const denyDealHandoff = defineOperation({
  id: "denyDealHandoff",
  method: "post",
  path: "/deals/{id}/handoff/deny",
  tag: "Deals",
  summary: "Deny a deal waiting for handoff, saying why",
  description:
    "Moves the deal to the handoff stage's deny stage, gives it back to its submitter, tells them the `reason` (required) and emits `deal.handoff_denied` with the reason in `changes`. Only the receiving side, admins and owners may: anyone else gets 403. 409 when no handoff is waiting.",
  scope: "deals:write",
  params: idParams,
  body: z.object({
    reason: denyHandoffSchema.shape.reason.describe("Why, shown to the submitter and kept in the deal's history"),
  }),
  response: dealRecord,
  async handle({ tx, params, body }) {
    await refusing(denyHandoff(tx, { id: params.id, reason: body.reason }));
    return loadDeal(tx, params.id);
  },
});

export const dealHandoffOperations = [submitDealHandoff, acceptDealHandoff, denyDealHandoff];
