"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import type { SessionActor } from "@/lib/auth/actor";
import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import {
  createCustomField,
  deleteCustomField,
  reorderCustomFields,
  setCustomFieldArchived,
  updateCustomField,
} from "./service";
import type { CustomFieldDef } from "./types";

async function run<T>(what: string, fn: (actor: SessionActor) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await fn({ claims: session.claims, orgId: session.org.id, role: session.role });
    // Forms and lists of every object read the definitions.
    revalidatePath("/", "layout");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `Could not ${what}. Try again.`);
  }
}

export async function createField(input: unknown): Promise<ActionResult<CustomFieldDef>> {
  return run("add the field", (actor) => createCustomField(database(), actor, input));
}

export async function updateField(input: unknown): Promise<ActionResult<CustomFieldDef>> {
  return run("save the field", (actor) => updateCustomField(database(), actor, input));
}

export async function reorderFields(input: unknown): Promise<ActionResult<void>> {
  return run("reorder the fields", (actor) => reorderCustomFields(database(), actor, input));
}

export async function archiveField(input: unknown): Promise<ActionResult<void>> {
  return run("archive the field", (actor) => setCustomFieldArchived(database(), actor, input, true));
}

export async function restoreField(input: unknown): Promise<ActionResult<void>> {
  return run("restore the field", (actor) => setCustomFieldArchived(database(), actor, input, false));
}

export async function deleteField(input: unknown): Promise<ActionResult<{ cleared: number }>> {
  return run("delete the field", (actor) => deleteCustomField(database(), actor, input));
}
