// Bulk writes shared by the people and companies services: the two tables
// have the same shape for ownership, tags and archiving, so one query serves
// both. Error wrapping stays with each service, which passes it in.
import { sql, type Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { type Actor, requireRole } from "./input";

export type RecordTable = "people" | "companies";

/** How a table's records are named in messages ("person" / "people"). */
export interface RecordNouns {
  one: string;
  many: string;
}

/** Refuses the whole selection when an id is unknown or in another org (404). */
export async function ensureAllFound(tx: Tx, table: RecordTable, nouns: RecordNouns, ids: string[]) {
  const found = await tx.selectFrom(table).select("id").where("id", "in", ids).execute();
  if (found.length !== new Set(ids).size) {
    throw notFound(
      ids.length === 1
        ? `That ${nouns.one} no longer exists or is not in your organization.`
        : `Some of the selected ${nouns.many} no longer exist. Reload the list and try again.`,
    );
  }
}

/** Archives (or restores) the records not already in that state; returns how many changed. */
export async function setArchived(tx: Tx, table: RecordTable, ids: string[], archived: boolean): Promise<number> {
  const r = await tx
    .updateTable(table as "people")
    .set({ archived_at: archived ? new Date() : null })
    .where("id", "in", ids)
    .where("archived_at", archived ? "is" : "is not", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteRecords(tx: Tx, table: RecordTable, ids: string[]): Promise<number> {
  const r = await tx.deleteFrom(table).where("id", "in", ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Gives the records to `userId` (or nobody); returns how many changed hands. */
export async function assignOwner(tx: Tx, table: RecordTable, ids: string[], userId: string | null): Promise<number> {
  const r = await tx
    .updateTable(table as "people")
    .set({ owner_id: userId })
    .where("id", "in", ids)
    .where(sql<boolean>`owner_id is distinct from ${userId}::uuid`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Adds `tag` to each record that lacks it (ignoring case). */
export async function addTag(tx: Tx, table: RecordTable, ids: string[], tag: string): Promise<number> {
  const r = await tx
    .updateTable(table as "people")
    .set({ tags: sql`array_append(tags, ${tag}::text)` } as never)
    .where("id", "in", ids)
    .where(sql<boolean>`not exists (select 1 from unnest(tags) t where lower(t) = lower(${tag}::text))`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The bulk actions of a records table, each checking the member's role and
 * that every id is found, and running the write through the service's
 * `guarded` (which turns database refusals into DomainError).
 */
export function bulkWrites(table: RecordTable, nouns: RecordNouns, guarded: <T>(fn: () => Promise<T>) => Promise<T>) {
  const found = (tx: Tx, ids: string[]) => ensureAllFound(tx, table, nouns, ids);
  return {
    async archive(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
      requireRole(actor, "records.archive", `Only managers, admins and owners can archive ${nouns.many}.`);
      await found(tx, ids);
      return guarded(() => setArchived(tx, table, ids, true));
    },
    /** `check` runs after the ids are found, before anything is written (people refuse clashing emails). */
    async restore(tx: Tx, actor: Actor, ids: string[], check?: () => Promise<void>): Promise<number> {
      requireRole(actor, "records.archive", `Only managers, admins and owners can restore ${nouns.many}.`);
      await found(tx, ids);
      await check?.();
      return guarded(() => setArchived(tx, table, ids, false));
    },
    async delete(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
      requireRole(actor, "records.delete", `Only admins and owners can delete ${nouns.many}.`);
      await found(tx, ids);
      return guarded(() => deleteRecords(tx, table, ids));
    },
    async assign(tx: Tx, actor: Actor, ids: string[], userId: string | null): Promise<number> {
      requireRole(actor, "records.assign", `Only managers, admins and owners can reassign ${nouns.many}.`);
      await found(tx, ids);
      return guarded(() => assignOwner(tx, table, ids, userId));
    },
    /** Adds `tag` to each record that lacks it (ignoring case). */
    async tag(tx: Tx, _actor: Actor, ids: string[], tag: string): Promise<number> {
      await found(tx, ids);
      return guarded(() => addTag(tx, table, ids, tag));
    },
  };
}
