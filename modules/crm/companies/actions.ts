"use server";

import { revalidatePath } from "next/cache";
import { invalid } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import type { Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { searchCompanies } from "./queries";
import { assignSchema, idsSchema, recordIdSchema, tagSchema } from "./schema";
import {
  archiveCompanies,
  assignCompanies,
  createCompany as create,
  deleteCompanies,
  restoreCompanies,
  tagCompanies,
  updateCompany as update,
  updateCompanyField,
} from "./service";

function changed(id?: string) {
  revalidatePath("/companies");
  if (id) revalidatePath(`/companies/${id}`);
}

export async function createCompany(input: unknown) {
  const result = await runAction("records.work", "Creating the company failed.", (tx, actor) => create(tx, actor, input));
  if (result.ok) changed();
  return result;
}

export async function updateCompany(id: string, input: unknown) {
  const parsed = recordIdSchema.safeParse({ id });
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction("records.work", "Saving the company failed.", (tx, actor) => update(tx, actor, id, input));
  if (result.ok) changed(id);
  return result;
}

export async function editCompanyCell(id: string, fieldKey: string, value: string | null) {
  const parsed = recordIdSchema.safeParse({ id });
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction("records.work", "Saving the change failed.", (tx, actor) =>
    updateCompanyField(tx, actor, id, fieldKey, value),
  );
  if (result.ok) changed(id);
  return result;
}

async function bulk(
  permission: Permission,
  fallback: string,
  input: unknown,
  fn: (tx: Tx, actor: Actor, ids: string[]) => Promise<number>,
) {
  const parsed = idsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction(permission, fallback, (tx, actor) => fn(tx, actor, parsed.data.ids));
  if (result.ok) {
    changed();
    for (const id of parsed.data.ids.slice(0, 20)) revalidatePath(`/companies/${id}`);
  }
  return result;
}

export async function archiveCompaniesAction(input: { ids: string[] }) {
  return bulk("records.archive", "Archiving failed.", input, archiveCompanies);
}

export async function restoreCompaniesAction(input: { ids: string[] }) {
  return bulk("records.archive", "Restoring failed.", input, restoreCompanies);
}

export async function deleteCompaniesAction(input: { ids: string[] }) {
  return bulk("records.delete", "Deleting failed.", input, deleteCompanies);
}

export async function assignCompaniesAction(input: { ids: string[]; userId: string | null }) {
  const parsed = assignSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { ids, userId } = parsed.data;
  return bulk("records.assign", "Assigning failed.", { ids }, (tx, actor) => assignCompanies(tx, actor, ids, userId ?? null));
}

export async function tagCompaniesAction(input: { ids: string[]; tag: string }) {
  const parsed = tagSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { ids, tag } = parsed.data;
  return bulk("records.work", "Tagging failed.", { ids }, (tx, actor) => tagCompanies(tx, actor, ids, tag));
}

/** Companies for the picker on the person form. */
export async function findCompanies(q: string) {
  return runAction("records.work", "Searching companies failed.", (tx) => searchCompanies(tx, String(q ?? "").slice(0, 200)));
}
