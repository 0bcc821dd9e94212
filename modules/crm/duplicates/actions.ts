"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { asMember, getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { dismissDuplicate, restoreDuplicate } from "./dismissals";
import { getMergePreview, mergeRecords, type MergePreview } from "./merge";

const previewSchema = z.object({ type: z.enum(["person", "company"]), a: z.uuid(), b: z.uuid() });

export async function loadMergePreview(input: unknown): Promise<ActionResult<MergePreview>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  const parsed = previewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { type, a, b } = parsed.data;
  const preview = await asMember(session, (tx) => getMergePreview(tx, type, a, b));
  return preview ? ok(preview) : fail("One of these records no longer exists. Reload the page.");
}

export async function mergeAction(input: unknown): Promise<ActionResult<{ survivorId: string }>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const result = await mergeRecords(database(), { claims: session.claims, orgId: session.org.id, role: session.role }, input);
    revalidateLists(input);
    return ok(result);
  } catch (e) {
    return actionFailure(e, "Could not merge these records. Try again.");
  }
}

function revalidateLists(input: unknown) {
  revalidatePath((input as { type?: string })?.type === "company" ? "/companies" : "/people", "layout");
}

async function decide(fn: typeof dismissDuplicate, input: unknown): Promise<ActionResult<void>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    await fn(database(), { claims: session.claims, orgId: session.org.id, role: session.role }, input);
    revalidateLists(input);
    return ok();
  } catch (e) {
    return actionFailure(e, "Could not save that decision. Try again.");
  }
}

export async function dismissDuplicateAction(input: unknown): Promise<ActionResult<void>> {
  return decide(dismissDuplicate, input);
}

export async function restoreDuplicateAction(input: unknown): Promise<ActionResult<void>> {
  return decide(restoreDuplicate, input);
}
