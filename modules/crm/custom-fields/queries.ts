// Reading custom field definitions. Free of React/Next so the list engine,
// import, export and the REST API share it.

import { sql, type Tx } from "@/lib/db";
import { customFieldToListField, type ListFieldSql } from "@/modules/crm/lists/ui";
import type { CrmObject, CustomFieldDef, CustomFieldOption, CustomFieldType } from "./types";

function toOptions(json: unknown): CustomFieldOption[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((o) =>
    o && typeof o === "object" && typeof (o as { value?: unknown }).value === "string"
      ? [{ value: (o as { value: string }).value, label: String((o as { label?: unknown }).label ?? (o as { value: string }).value) }]
      : [],
  );
}

const columns = ["id", "object_type", "key", "label", "field_type", "options", "required", "position", "archived_at"] as const;

type Row = {
  id: string;
  object_type: CrmObject;
  key: string;
  label: string;
  field_type: CustomFieldType;
  options: unknown;
  required: boolean;
  position: number;
  archived_at: Date | string | null;
};

export function toDef(r: Row): CustomFieldDef {
  return {
    id: r.id,
    objectType: r.object_type,
    key: r.key,
    label: r.label,
    type: r.field_type,
    options: toOptions(r.options),
    required: r.required,
    position: r.position,
    archivedAt: r.archived_at ? new Date(r.archived_at) : null,
  };
}

/**
 * The org's custom fields of one object, in form order. Active ones only
 * unless `includeArchived` (settings shows archived fields to restore them).
 */
export async function listCustomFieldDefs(
  tx: Tx,
  objectType: CrmObject,
  /** `orgId` scopes the read for service_role callers, which RLS does not. */
  opts: { includeArchived?: boolean; orgId?: string } = {},
): Promise<CustomFieldDef[]> {
  let q = tx
    .selectFrom("custom_field_definitions")
    .select([...columns])
    .where("object_type", "=", objectType)
    .orderBy("position")
    .orderBy("created_at");
  if (!opts.includeArchived) q = q.where("archived_at", "is", null);
  if (opts.orgId) q = q.where("org_id", "=", opts.orgId);
  const rows = await q.execute();
  return rows.map((r) => toDef(r as Row));
}

export async function getCustomFieldDef(tx: Tx, id: string): Promise<CustomFieldDef | null> {
  const r = await tx.selectFrom("custom_field_definitions").select([...columns]).where("id", "=", id).executeTakeFirst();
  return r ? toDef(r as Row) : null;
}

/**
 * The custom fields as list fields `custom.<key>` reading `<alias>.custom`:
 * filterable and sortable like built-in ones.
 */
export function customFieldListFields(defs: readonly CustomFieldDef[], alias: string): ListFieldSql[] {
  return defs.map((d) =>
    customFieldToListField({ key: d.key, label: d.label, field_type: d.type, options: d.options }, alias),
  );
}

const TABLES = { person: "people", company: "companies", deal: "deals", lead: "leads" } as const;

/** How many records (active or archived) hold a value, per field key. */
export async function countCustomValues(tx: Tx, objectType: CrmObject): Promise<Record<string, number>> {
  const r = await sql<{ key: string; n: number }>`
    select k as key, count(*)::int as n from ${sql.table(TABLES[objectType])} t, jsonb_object_keys(t.custom) k group by k`.execute(tx);
  return Object.fromEntries(r.rows.map((x) => [x.key, x.n]));
}
