// The server actions people and companies share, written once: each
// object's actions.ts ("use server") binds these to its services and its
// path. Server only.

import { revalidatePath } from "next/cache";
import { type ActionResult, invalid } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import type { Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { assignSchema, idsSchema, recordIdSchema, tagSchema } from "./input";

type Write<T> = (tx: Tx, actor: Actor) => Promise<T>;
type BulkWrite = (tx: Tx, actor: Actor, ids: string[]) => Promise<number>;

/** An object's server actions, bound to its list path (e.g. "/people", records at "/people/<id>"). */
export function recordActions(path: string) {
  function changed(ids: string[] = []) {
    revalidatePath(path);
    // The first records of a bulk change now; the rest on their next visit.
    for (const id of ids.slice(0, 20)) revalidatePath(`${path}/${id}`);
  }

  async function create<T>(fallback: string, write: Write<T>): Promise<ActionResult<T>> {
    const result = await runAction("records.work", fallback, write);
    if (result.ok) changed();
    return result;
  }

  /** A change to one record, `id` checked first. */
  async function change<T>(id: string, fallback: string, write: Write<T>): Promise<ActionResult<T>> {
    const parsed = recordIdSchema.safeParse({ id });
    if (!parsed.success) return invalid(parsed.error.issues);
    const result = await runAction("records.work", fallback, write);
    if (result.ok) changed([id]);
    return result;
  }

  async function bulk(permission: Permission, fallback: string, input: unknown, write: BulkWrite): Promise<ActionResult<number>> {
    const parsed = idsSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error.issues);
    const result = await runAction(permission, fallback, (tx, actor) => write(tx, actor, parsed.data.ids));
    if (result.ok) changed(parsed.data.ids);
    return result;
  }

  return {
    create,
    change,
    archive: (input: unknown, write: BulkWrite) => bulk("records.archive", "Archiving failed.", input, write),
    restore: (input: unknown, write: BulkWrite) => bulk("records.archive", "Restoring failed.", input, write),
    remove: (input: unknown, write: BulkWrite) => bulk("records.delete", "Deleting failed.", input, write),
    async assign(input: unknown, write: (tx: Tx, actor: Actor, ids: string[], userId: string | null) => Promise<number>) {
      const parsed = assignSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error.issues);
      const { ids, userId } = parsed.data;
      return bulk("records.assign", "Assigning failed.", { ids }, (tx, actor) => write(tx, actor, ids, userId ?? null));
    },
    async tag(input: unknown, write: (tx: Tx, actor: Actor, ids: string[], tag: string) => Promise<number>) {
      const parsed = tagSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error.issues);
      const { ids, tag } = parsed.data;
      return bulk("records.work", "Tagging failed.", { ids }, (tx, actor) => write(tx, actor, ids, tag));
    },
  };
}
