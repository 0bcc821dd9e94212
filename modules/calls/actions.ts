"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, ok } from "@/lib/action-result";
import { actionFailure, authorize, runAction } from "@/lib/actions";
import { database } from "@/lib/db";
import { appTwilioDeps } from "@/modules/twilio";
import { placeCall } from "./place";
import { logCall } from "./service";

const pageOf = (record: { type?: string; id?: string } | undefined) =>
  record?.type === "person" ? `/people/${record.id}` : record?.type === "lead" ? `/leads/${record.id}` : record?.type === "deal" ? `/deals/${record.id}` : null;

/** "Log call" on a person or lead: a call made outside Covey, on the record's timeline at once. */
export async function logCallAction(input: unknown) {
  const result = await runAction("records.work", "Could not log the call. Try again.", (tx, actor) => logCall(tx, actor.userId, actor.orgId, input));
  if (result.ok) {
    const record = (input as { record?: { type?: string; id?: string } } | null)?.record;
    if (record?.type === "person" || record?.type === "lead") revalidatePath(`/${record.type === "person" ? "people" : "leads"}/${record.id}`);
  }
  return result;
}

/** "Call" on a person, lead or deal, or beside one of its numbers: Covey rings the member's phone, then connects the contact. */
export async function placeCallAction(input: unknown): Promise<ActionResult<{ id: string; memberNumber: string; orgNumber: string; contactNumber: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  try {
    const placed = await placeCall(appTwilioDeps(), (fn) => database().asUser(session.claims, fn), { userId: session.user.id, orgId: session.org.id }, input);
    const page = pageOf((input as { record?: { type?: string; id?: string } } | null)?.record);
    if (page) revalidatePath(page);
    return ok({ id: placed.id, memberNumber: placed.memberNumber, orgNumber: placed.orgNumber, contactNumber: placed.contactNumber });
  } catch (e) {
    return actionFailure(e, "Could not place the call. Try again.");
  }
}
