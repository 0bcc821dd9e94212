// What a list can show, sort and filter. An object module declares its
// fields once as ListFieldSql (server side, with the SQL expression behind
// each one); the client receives the same fields without SQL (ListField, via
// toClientFields) to render columns and the filter builder.

import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import { isIsoDate, isIsoDateTime } from "@/lib/validation";
import { type Filter, FIELD_KEY_RE, type Op } from "./state";

export const FIELD_TYPES = [
  "text",
  "number",
  "money",
  "date",
  "datetime",
  "select",
  "multi_select",
  "checkbox",
  "url",
  "email",
  "phone",
  "user",
  "tags",
  "relation",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldOption {
  value: string;
  label: string;
}

/** A list field as the client sees it (serialisable). */
export interface ListField {
  /** Row property and URL name; custom fields are `custom.<key>`. */
  key: string;
  label: string;
  type: FieldType;
  /** Choices of select / multi_select fields (and suggestions for tags). */
  options?: FieldOption[];
  sortable: boolean;
  filterable: boolean;
  /** Shown when the URL does not choose columns. */
  defaultVisible?: boolean;
  /** Offered for inline edit when the list has an inlineEdit action. */
  editable?: boolean;
  align?: "left" | "right" | "center";
  /** A select shown as a badge (a lead's source and status), to tell rows apart at a glance. */
  badge?: boolean;
}

/**
 * A list field with the SQL behind it (server only).
 *
 * Row values the list UI expects per type: money = minor units (number or
 * numeric string; the row's `currency` picks the currency), date = `YYYY-MM-DD`
 * or Date, datetime = Date or ISO string, user = the member's user id,
 * relation = `{ id, name, href? }`, tags / multi_select = string[].
 */
export interface ListFieldSql extends ListField {
  /** The value filtered on (and sorted by, unless sortSql is given), e.g. sql.ref("p.email"). */
  sql: RawBuilder<unknown>;
  /**
   * ORDER BY expression when it differs from `sql`, e.g. the owner's name for
   * a user field whose `sql` is the owner id. Must be of the field type's
   * comparison type (text for user/relation/select/text-like fields).
   */
  sortSql?: RawBuilder<unknown>;
  /** Included in the `q` quick search (ILIKE); the expression must be text. */
  searchable?: boolean;
  /**
   * The sort expression is never NULL (e.g. a NOT NULL created_at). The
   * planner then orders by `expr dir, id dir` without NULLS LAST, which a
   * plain btree index on (org_id, expr, id) serves in both directions; for
   * nullable sorts the descending direction needs an index declared
   * `expr desc nulls last`. Claiming this of a column with NULLs would drop them from later pages.
   */
  notNull?: boolean;
  /**
   * Replaces the built-in filter SQL for this field (e.g. tags kept in a
   * join table). Receives an op from opsFor(type) and a value already checked
   * by checkFilterValue.
   */
  filter?: (op: Op, value: string | string[] | undefined) => Expression<SqlBool>;
}

const OPS_BY_TYPE: Record<FieldType, readonly Op[]> = {
  text: ["contains", "not_contains", "eq", "neq", "empty", "not_empty"],
  url: ["contains", "not_contains", "eq", "neq", "empty", "not_empty"],
  email: ["contains", "not_contains", "eq", "neq", "empty", "not_empty"],
  phone: ["contains", "not_contains", "eq", "neq", "empty", "not_empty"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "empty", "not_empty"],
  money: ["eq", "neq", "gt", "gte", "lt", "lte", "empty", "not_empty"],
  date: ["eq", "before", "after", "empty", "not_empty"],
  datetime: ["eq", "before", "after", "empty", "not_empty"],
  select: ["eq", "neq", "in", "not_in", "empty", "not_empty"],
  multi_select: ["in", "not_in", "empty", "not_empty"],
  tags: ["in", "not_in", "empty", "not_empty"],
  checkbox: ["is_true", "is_false"],
  user: ["eq", "neq", "in", "not_in", "empty", "not_empty"],
  relation: ["eq", "neq", "in", "not_in", "empty", "not_empty"],
};

/** The filter operators a field type accepts (the planner rejects others). */
export function opsFor(type: FieldType): readonly Op[] {
  return OPS_BY_TYPE[type];
}

const OP_LABELS: Record<Op, string> = {
  contains: "contains",
  not_contains: "does not contain",
  eq: "is",
  neq: "is not",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  in: "is any of",
  not_in: "is none of",
  empty: "is empty",
  not_empty: "is not empty",
  before: "is before",
  after: "is after",
  is_true: "is checked",
  is_false: "is not checked",
};

/** How an op reads in the filter builder and on filter chips. */
export function opLabel(op: Op, type?: FieldType): string {
  if (type === "multi_select" || type === "tags") {
    if (op === "in") return "has any of";
    if (op === "not_in") return "has none of";
  }
  if ((type === "date" || type === "datetime") && op === "eq") return "is on";
  return OP_LABELS[op];
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER_RE = /^-?\d{1,15}(\.\d{1,10})?$/;

/** The value "me" in a user filter stands for the signed-in member. */
export const ME = "me";

function checkOne(field: ListField, v: string): string | null {
  switch (field.type) {
    case "number":
    case "money":
      return NUMBER_RE.test(v.trim()) ? null : `${field.label}: "${v.slice(0, 40)}" is not a number`;
    case "date":
      return isIsoDate(v) ? null : `${field.label}: "${v.slice(0, 40)}" is not a date (YYYY-MM-DD)`;
    case "datetime":
      return isIsoDate(v) || isIsoDateTime(v)
        ? null
        : `${field.label}: "${v.slice(0, 40)}" is not a date (YYYY-MM-DD) or time`;
    case "user":
      return v === ME || UUID_RE.test(v) ? null : `${field.label}: not a valid member`;
    case "relation":
      return UUID_RE.test(v) ? null : `${field.label}: not a valid record id`;
    default:
      return null;
  }
}

/**
 * Checks a filter against its field: the op must suit the type and the
 * value must parse. Returns a message naming the field, or null when fine.
 */
export function checkFilter(field: ListField, f: Filter): string | null {
  if (!field.filterable) return `${field.label} cannot be filtered on`;
  if (!opsFor(field.type).includes(f.op)) return `${field.label}: "${opLabel(f.op)}" is not a filter for this field`;
  if (f.value === undefined) return null;
  for (const v of Array.isArray(f.value) ? f.value : [f.value]) {
    const problem = checkOne(field, v);
    if (problem) return problem;
  }
  return null;
}

/** The fields without their SQL, for client components. */
export function toClientFields(fields: readonly ListFieldSql[]): ListField[] {
  return fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    sortable: f.sortable,
    filterable: f.filterable,
    ...(f.options ? { options: f.options } : {}),
    ...(f.defaultVisible !== undefined ? { defaultVisible: f.defaultVisible } : {}),
    ...(f.editable !== undefined ? { editable: f.editable } : {}),
    ...(f.align ? { align: f.align } : {}),
    ...(f.badge ? { badge: true } : {}),
  }));
}

/** Columns to show: the URL's choice (unknown keys dropped), else the defaults. */
export function visibleColumns(fields: readonly ListField[], columns?: string[]): ListField[] {
  if (columns?.length) {
    const byKey = new Map(fields.map((f) => [f.key, f]));
    const chosen = columns.map((k) => byKey.get(k)).filter((f): f is ListField => !!f);
    if (chosen.length) return chosen;
  }
  return fields.filter((f) => f.defaultVisible !== false);
}

/**
 * Rows reduced to what the list shows: the id, the row's title fields, the
 * currency of money cells and the visible columns. Everything a server page
 * hands the list travels in the page's payload, and a row read for every
 * field (export and the API need them all) is mostly columns nobody sees.
 */
export function rowsForColumns<R extends { id: string }>(rows: R[], fields: readonly ListField[], columns?: string[]): R[] {
  const keys = ["id", "name", "title", "full_name", "currency", ...visibleColumns(fields, columns).map((f) => f.key)];
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    const r = row as Record<string, unknown>;
    for (const k of keys) {
      if (k in r) out[k] = r[k];
      else if (k.startsWith("custom.")) {
        const custom = r.custom as Record<string, unknown> | null | undefined;
        if (custom && k.slice(7) in custom) out[k] = custom[k.slice(7)];
      }
    }
    return out as R;
  });
}

export const CUSTOM_FIELD_TYPES = ["text", "number", "date", "select", "multi_select", "checkbox", "url", "email", "phone"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface CustomFieldDef {
  key: string;
  label: string;
  field_type: CustomFieldType | string;
  /** Plain strings or `{ value, label }` pairs. */
  options?: ReadonlyArray<string | { value: string; label?: string | null }> | null;
}

const IDENT_RE = /^[a-z_][a-z0-9_]*$/;
const CUSTOM_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A custom field (kept in `<alias>.custom` jsonb under its key) as a list
 * field `custom.<key>`, with the SQL cast its type needs. The key and alias
 * are checked and written as literals, so expression indexes such as
 * `((custom->>'budget')::numeric)` can serve the query.
 */
export function customFieldToListField(def: CustomFieldDef, tableAlias: string): ListFieldSql {
  if (!IDENT_RE.test(tableAlias)) throw new Error(`Invalid table alias "${tableAlias}"`);
  if (!CUSTOM_KEY_RE.test(def.key) || !FIELD_KEY_RE.test(`custom.${def.key}`)) {
    throw new Error(`Invalid custom field key "${def.key}"`);
  }
  const type = (CUSTOM_FIELD_TYPES as readonly string[]).includes(def.field_type)
    ? (def.field_type as CustomFieldType)
    : "text";
  const custom = sql.ref(`${tableAlias}.custom`);
  const k = sql.lit(def.key);
  const text = sql`(${custom}->>${k})`;
  const options = def.options?.map((o) =>
    typeof o === "string" ? { value: o, label: o } : { value: o.value, label: o.label || o.value },
  );
  const base = {
    key: `custom.${def.key}`,
    label: def.label,
    type,
    filterable: true,
    sortable: type !== "multi_select",
    defaultVisible: false,
    editable: type !== "multi_select" && type !== "checkbox",
    ...(options?.length ? { options } : {}),
  } satisfies Omit<ListFieldSql, "sql">;

  switch (type) {
    case "number":
      return { ...base, sql: sql`(${custom}->>${k})::numeric`, align: "right" };
    case "date":
      return { ...base, sql: sql`(${custom}->>${k})::date` };
    case "checkbox":
      return { ...base, sql: sql`(${custom}->>${k})::boolean` };
    case "multi_select": {
      const arr = sql`(${custom}->${k})`;
      return {
        ...base,
        sql: arr,
        filter: (op, value) => {
          const values = Array.isArray(value) ? value : [];
          const any = sql<SqlBool>`coalesce(${arr} ?| array[${sql.join(values.map((v) => sql`${v}::text`))}], false)`;
          const length = sql`coalesce(jsonb_array_length(case when jsonb_typeof(${arr}) = 'array' then ${arr} end), 0)`;
          if (op === "in") return any;
          if (op === "not_in") return sql<SqlBool>`not ${any}`;
          if (op === "empty") return sql<SqlBool>`${length} = 0`;
          return sql<SqlBool>`${length} > 0`;
        },
      };
    }
    default:
      return { ...base, sql: text, searchable: type !== "select" };
  }
}
