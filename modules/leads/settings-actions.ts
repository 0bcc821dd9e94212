"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import type { Actor } from "@/lib/auth/actor";
import { runAction } from "@/lib/actions";
import type { Tx } from "@/lib/db";
import * as settings from "./settings";
import { setLeadSourceDealStage } from "./source-deals";

async function change<T>(fallback: string, fn: (tx: Tx, actor: Actor) => Promise<T>): Promise<ActionResult<T>> {
  const result = await runAction("settings.manage", fallback, fn);
  if (result.ok) {
    revalidatePath("/settings/leads");
    revalidatePath("/leads", "layout");
  }
  return result;
}

export async function addLeadSourceAction(input: unknown) {
  return change("Adding the source failed.", (tx, actor) => settings.addLeadSource(tx, actor, input));
}

export async function renameLeadSourceAction(input: unknown) {
  return change("Renaming the source failed.", (tx, actor) => settings.renameLeadSource(tx, actor, input));
}

export async function archiveLeadSourceAction(input: unknown) {
  return change("Archiving the source failed.", (tx, actor) => settings.archiveLeadSource(tx, actor, input));
}

export async function restoreLeadSourceAction(input: unknown) {
  return change("Restoring the source failed.", (tx, actor) => settings.restoreLeadSource(tx, actor, input));
}

export async function addLeadStatusAction(input: unknown) {
  return change("Adding the status failed.", (tx, actor) => settings.addLeadStatus(tx, actor, input));
}

export async function updateLeadStatusAction(input: unknown) {
  return change("Saving the status failed.", (tx, actor) => settings.updateLeadStatus(tx, actor, input));
}

export async function reorderLeadStatusesAction(input: unknown) {
  return change("Reordering the statuses failed.", (tx, actor) => settings.reorderLeadStatuses(tx, actor, input));
}

export async function archiveLeadStatusAction(input: unknown) {
  return change("Archiving the status failed.", (tx, actor) => settings.archiveLeadStatus(tx, actor, input));
}

export async function restoreLeadStatusAction(input: unknown) {
  return change("Restoring the status failed.", (tx, actor) => settings.restoreLeadStatus(tx, actor, input));
}

export async function setLeadSourceDealStageAction(input: unknown) {
  return change("Saving where the source's leads go failed.", (tx, actor) => setLeadSourceDealStage(tx, actor, input));
}
