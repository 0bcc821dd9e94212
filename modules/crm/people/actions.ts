"use server";

import { revalidatePath } from "next/cache";
import { invalid } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import type { Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { assignSchema, idsSchema, recordIdSchema, tagSchema } from "./schema";
import {
  archivePeople,
  assignPeople,
  createPerson as create,
  deletePeople,
  restorePeople,
  tagPeople,
  updatePerson as update,
  updatePersonField,
} from "./service";

function changed(id?: string) {
  revalidatePath("/people");
  if (id) revalidatePath(`/people/${id}`);
}

export async function createPerson(input: unknown) {
  const result = await runAction("records.work", "Creating the person failed.", (tx, actor) => create(tx, actor, input));
  if (result.ok) changed();
  return result;
}

export async function updatePerson(id: string, input: unknown) {
  const parsed = recordIdSchema.safeParse({ id });
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction("records.work", "Saving the person failed.", (tx, actor) => update(tx, actor, id, input));
  if (result.ok) changed(id);
  return result;
}

export async function editPersonCell(id: string, fieldKey: string, value: string | null) {
  const parsed = recordIdSchema.safeParse({ id });
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction("records.work", "Saving the change failed.", (tx, actor) =>
    updatePersonField(tx, actor, id, fieldKey, value),
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
    for (const id of parsed.data.ids.slice(0, 20)) revalidatePath(`/people/${id}`);
  }
  return result;
}

export async function archivePeopleAction(input: { ids: string[] }) {
  return bulk("records.archive", "Archiving failed.", input, archivePeople);
}

export async function restorePeopleAction(input: { ids: string[] }) {
  return bulk("records.archive", "Restoring failed.", input, restorePeople);
}

export async function deletePeopleAction(input: { ids: string[] }) {
  return bulk("records.delete", "Deleting failed.", input, deletePeople);
}

export async function assignPeopleAction(input: { ids: string[]; userId: string | null }) {
  const parsed = assignSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { ids, userId } = parsed.data;
  return bulk("records.assign", "Assigning failed.", { ids }, (tx, actor) => assignPeople(tx, actor, ids, userId ?? null));
}

export async function tagPeopleAction(input: { ids: string[]; tag: string }) {
  const parsed = tagSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { ids, tag } = parsed.data;
  return bulk("records.work", "Tagging failed.", { ids }, (tx, actor) => tagPeople(tx, actor, ids, tag));
}
