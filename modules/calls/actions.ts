"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import { logCall } from "./service";

/** "Log call" on a person or lead: a call made outside Covey, on the record's timeline at once. */
export async function logCallAction(input: unknown) {
  const result = await runAction("records.work", "Could not log the call. Try again.", (tx, actor) => logCall(tx, actor.userId, actor.orgId, input));
  if (result.ok) {
    const record = (input as { record?: { type?: string; id?: string } } | null)?.record;
    if (record?.type === "person" || record?.type === "lead") revalidatePath(`/${record.type === "person" ? "people" : "leads"}/${record.id}`);
  }
  return result;
}
