// Reading and wording list values, shared by cells, filter chips and editors.

import { formatCalendarDate, formatDateTime } from "@/lib/time";
import { type FieldType, type Filter, type ListField, ME, opLabel, VALUELESS_OPS } from "@/modules/crm/lists/ui";
import type { ListMember, ListRow, ObjectType } from "./types";

export const OBJECT_LABELS: Record<ObjectType, { one: string; many: string }> = {
  person: { one: "person", many: "people" },
  company: { one: "company", many: "companies" },
  deal: { one: "deal", many: "deals" },
  task: { one: "task", many: "tasks" },
  lead: { one: "lead", many: "leads" },
};

/** A row's value for a field: `row[key]`, or for `custom.x` also `row.custom.x`. */
export function cellValue(row: ListRow, key: string): unknown {
  if (key in row) return row[key];
  if (key.startsWith("custom.")) {
    const custom = row.custom;
    if (custom && typeof custom === "object") return (custom as Record<string, unknown>)[key.slice(7)];
  }
  return undefined;
}

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

// Building an Intl formatter costs far more than formatting with one, and a
// list page formats hundreds of cells: one formatter per currency / style.
const moneyFormats = new Map<string, { format: Intl.NumberFormat; digits: number }>();
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 10 });

/** Minor units (cents) in `currency`, formatted for the reader's locale. */
export function formatMoney(minor: unknown, currency: string): string {
  const code = /^[A-Z]{3}$/.test(currency) ? currency : "USD";
  let money = moneyFormats.get(code);
  if (!money) {
    const digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    money = { format: new Intl.NumberFormat(undefined, { style: "currency", currency: code }), digits };
    moneyFormats.set(code, money);
  }
  return money.format.format(Number(minor) / 10 ** money.digits);
}

export function formatNumber(v: unknown): string {
  const n = Number(v);
  return Number.isFinite(n) ? numberFormat.format(n) : String(v);
}

export function optionLabel(field: ListField, value: string): string {
  return field.options?.find((o) => o.value === value)?.label ?? value;
}

export function memberName(members: ListMember[], id: string): string {
  if (id === ME) return "Me";
  return members.find((m) => m.id === id)?.name ?? "Unknown member";
}

function valueLabel(field: ListField, v: string, members: ListMember[], zone: string): string {
  switch (field.type as FieldType) {
    case "user":
      return memberName(members, v);
    case "select":
    case "multi_select":
    case "tags":
      return optionLabel(field, v);
    case "date":
    case "datetime":
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatCalendarDate(v) : formatDateTime(v, zone);
    case "money":
    case "number":
      return formatNumber(v);
    default:
      return v;
  }
}

/** "Owner is Alice", "Tags has any of VIP, Hot", "Email is empty". */
/** `zone`: the reader's, for values that are instants. */
export function describeFilter(f: Filter, field: ListField | undefined, members: ListMember[], zone: string): string {
  const label = field?.label ?? f.field;
  const op = opLabel(f.op, field?.type);
  if (VALUELESS_OPS.includes(f.op)) return `${label} ${op}`;
  const values = Array.isArray(f.value) ? f.value : [f.value ?? ""];
  const shown = field ? values.map((v) => valueLabel(field, v, members, zone)) : values;
  return `${label} ${op} ${shown.join(", ")}`;
}

/** Text that names a row (for labels such as "Select Ada Lovelace"). */
export function rowTitle(row: ListRow, fields: ListField[]): string {
  for (const key of ["name", "title", "full_name"]) {
    const v = row[key];
    if (typeof v === "string" && v.trim()) return v;
  }
  const first = fields.find((f) => ["text", "email"].includes(f.type) && typeof cellValue(row, f.key) === "string");
  const v = first ? (cellValue(row, first.key) as string) : "";
  return v.trim() || "this record";
}
