"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { asMember } from "@/lib/auth/session";
import { denyHandoffSchema, handoffDealSchema, pipelineHandoffsSchema, submitHandoffSchema } from "./schema";
import * as service from "./service";

function revalidate(id: string) {
  revalidatePath("/handoffs");
  revalidatePath("/deals");
  revalidatePath(`/deals/${id}`);
}

export async function submitHandoffAction(input: unknown): Promise<ActionResult<{ stageId: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = submitHandoffSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const data = await asMember(session, (tx) => service.submitHandoff(tx, parsed.data));
    revalidate(parsed.data.id);
    return ok(data);
  } catch (e) {
    return actionFailure(e, "Submitting for handoff failed. Try again.");
  }
}

export async function acceptHandoffAction(input: unknown): Promise<ActionResult<{ stageId: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = handoffDealSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const data = await asMember(session, (tx) => service.acceptHandoff(tx, parsed.data.id));
    revalidate(parsed.data.id);
    return ok(data);
  } catch (e) {
    return actionFailure(e, "Accepting the handoff failed. Try again.");
  }
}

export async function denyHandoffAction(input: unknown): Promise<ActionResult<{ stageId: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = denyHandoffSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const data = await asMember(session, (tx) => service.denyHandoff(tx, parsed.data));
    revalidate(parsed.data.id);
    return ok(data);
  } catch (e) {
    return actionFailure(e, "Denying the handoff failed. Try again.");
  }
}

export async function setPipelineHandoffsAction(input: unknown): Promise<ActionResult<void>> {
  const { session, error } = await authorize("settings.manage");
  if (error) return error;
  const parsed = pipelineHandoffsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => service.setPipelineHandoffs(tx, parsed.data));
    revalidatePath("/settings/pipelines");
    return ok();
  } catch (e) {
    return actionFailure(e, "Saving the handoff settings failed. Try again.");
  }
}
