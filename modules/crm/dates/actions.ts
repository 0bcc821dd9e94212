"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, ok } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import { parseInput } from "@/lib/errors";
import { dealDateIdSchema, dealDateSchema } from "./schema";
import * as service from "./service";

function revalidate(dealId: string) {
  revalidatePath(`/deals/${dealId}`);
  revalidatePath("/");
}

export async function addDealDateAction(dealId: string, input: unknown): Promise<ActionResult<{ id: string }>> {
  const result = await runAction("records.work", "Adding the date failed. Try again.", (tx, actor) =>
    service.addDealDate(tx, actor, parseInput(dealDateIdSchema, dealId), parseInput(dealDateSchema, input)),
  );
  if (result.ok) revalidate(dealId);
  return result;
}

export async function updateDealDateAction(id: string, input: unknown): Promise<ActionResult<void>> {
  const result = await runAction("records.work", "Saving the date failed. Try again.", (tx) =>
    service.updateDealDate(tx, parseInput(dealDateIdSchema, id), parseInput(dealDateSchema, input)),
  );
  if (!result.ok) return result;
  revalidate(result.data.dealId);
  return ok();
}

export async function deleteDealDateAction(id: string): Promise<ActionResult<void>> {
  const result = await runAction("records.work", "Removing the date failed. Try again.", (tx) =>
    service.deleteDealDate(tx, parseInput(dealDateIdSchema, id)),
  );
  if (!result.ok) return result;
  revalidate(result.data.dealId);
  return ok();
}
