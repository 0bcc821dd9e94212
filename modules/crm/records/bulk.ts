// Bulk writes shared by the people and companies services: the two tables
// have the same shape for ownership, tags and archiving, so one query serves
// both. Permission checks and error wrapping stay with each service.
import { sql, type Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";

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
