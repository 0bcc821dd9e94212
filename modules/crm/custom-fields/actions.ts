"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail } from "@/lib/action-result";
import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { currentLog } from "@/lib/log";
import {
  type Actor,
  createCustomField,
  deleteCustomField,
  reorderCustomFields,
  setCustomFieldArchived,
  updateCustomField,
} from "./service";
import type { CustomFieldDef } from "./types";

async function run<T>(what: string, fn: (actor: Actor) => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const result = await fn({ claims: session.claims, orgId: session.org.id, role: session.role });
    // Forms and lists of every object read the definitions.
    if (result.ok) revalidatePath("/", "layout");
    return result;
  } catch (e) {
    (await currentLog()).error({ err: e }, `${what} failed`);
    return fail(`Could not ${what}. Try again.`);
  }
}

export async function createField(input: unknown): Promise<ActionResult<CustomFieldDef>> {
  return run("add the field", (actor) => createCustomField(database(), actor, input));
}

export async function updateField(input: unknown): Promise<ActionResult<CustomFieldDef>> {
  return run("save the field", (actor) => updateCustomField(database(), actor, input));
}

export async function reorderFields(input: unknown): Promise<ActionResult> {
  return run("reorder the fields", (actor) => reorderCustomFields(database(), actor, input));
}

export async function archiveField(input: unknown): Promise<ActionResult> {
  return run("archive the field", (actor) => setCustomFieldArchived(database(), actor, input, true));
}

export async function restoreField(input: unknown): Promise<ActionResult> {
  return run("restore the field", (actor) => setCustomFieldArchived(database(), actor, input, false));
}

export async function deleteField(input: unknown): Promise<ActionResult<{ cleared: number }>> {
  return run("delete the field", (actor) => deleteCustomField(database(), actor, input));
}
