// List fields people and companies share: both tables hold text columns,
// tags, an owner, when they were last contacted and their timestamps under
// the same names, so one definition serves both lists.
import { sql } from "@/lib/db";
import type { ListFieldSql } from "@/modules/crm/lists/ui";

/** The list fields of a records table read through `alias` ("p" for people, "c" for companies). */
export function recordListFields(alias: "p" | "c") {
  const ref = (c: string) => sql.ref(`${alias}.${c}`);
  /** A text column of the record, sortable, filterable and editable in place unless `extra` says otherwise. */
  const text = (key: string, label: string, extra: Partial<ListFieldSql> = {}): ListFieldSql => ({
    key,
    label,
    type: "text",
    sql: ref(key),
    sortable: true,
    filterable: true,
    editable: true,
    ...extra,
  });
  /** Tags, owner, last contacted, created and updated: the last columns of both lists. */
  const trailing = (): ListFieldSql[] => [
    { key: "tags", label: "Tags", type: "tags", sql: ref("tags"), sortable: false, filterable: true, editable: true },
    {
      key: "owner",
      label: "Owner",
      type: "user",
      sql: ref("owner_id"),
      sortSql: sql`(select o.full_name from profiles o where o.user_id = ${sql.ref(`${alias}.owner_id`)})`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    { key: "last_contacted_at", label: "Last contacted", type: "datetime", sql: ref("last_contacted_at"), sortable: true, filterable: true, editable: true },
    { key: "created_at", label: "Created", type: "datetime", sql: ref("created_at"), sortable: true, filterable: true, defaultVisible: false },
    { key: "updated_at", label: "Updated", type: "datetime", sql: ref("updated_at"), sortable: true, filterable: true, defaultVisible: false },
  ];
  return { ref, text, trailing };
}

/** A list row with its custom values spread out as `custom.<key>`, the keys the list fields use. */
export function withCustomKeys<R extends { custom?: unknown }>(row: R): R & Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const [k, v] of Object.entries((row.custom ?? {}) as Record<string, unknown>)) out[`custom.${k}`] = v;
  return out as R & Record<string, unknown>;
}
