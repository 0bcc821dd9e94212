// CSV export of any list: the list state from the URL (filters, search,
// sort, columns, archived) or a selection of ids, walked page by page through
// the object module's own list function, so an export shows exactly what the
// list shows. Values are written as people read them: members and related
// records by name, money formatted, select options by label, instants in
// the member's zone as ISO 8601 with their offset (2026-12-07T09:30:00+13:00):
// each cell says its own offset, which a zone named once in the header could
// not across a daylight saving change, and spreadsheets and scripts read it
// as the exact instant. `toCsv` neutralises cells a spreadsheet would run as
// formulas.

import { type CsvCell, toCsv } from "@/lib/csv";
import { sql, type Tx } from "@/lib/db";
import { dayKey, DEFAULT_TIME_ZONE, isoInZone } from "@/lib/time";
import { listCompanies, companyListFields } from "@/modules/crm/companies";
import { dealListFields, listDeals } from "@/modules/crm/deals";
import { MAX_PAGE_SIZE } from "@/modules/crm/lists";
import { type ListField, type ListFieldSql, visibleColumns } from "@/modules/crm/lists/ui";
import type { ListState } from "@/modules/crm/lists/ui";
import { listPeople, personListFields } from "@/modules/crm/people";
import { listTasks, taskListFields } from "@/modules/crm/tasks";
import { leadListFields, listLeads } from "@/modules/leads";
import { formatMoney } from "@/modules/crm/values/ui";

export const EXPORT_OBJECTS = ["person", "company", "deal", "task", "lead"] as const;
export type ExportObject = (typeof EXPORT_OBJECTS)[number];

type Row = Record<string, unknown>;
type Lister = (
  tx: Tx,
  state: ListState,
  opts: { pageSize: number; ids?: string[]; userId?: string; timeZone?: string; fields?: ListFieldSql[]; withTotal: false },
) => Promise<{ rows: Row[]; nextCursor: string | null }>;

interface ExportDef {
  file: string;
  fields: (tx: Tx) => Promise<ListFieldSql[]>;
  list: Lister;
  /** Datetime cells of this row that hold a calendar date, written as `YYYY-MM-DD`. */
  dateOnly?: (field: ListField, row: Row) => boolean;
}

const OBJECTS: Record<ExportObject, ExportDef> = {
  person: { file: "people", fields: personListFields, list: listPeople },
  company: { file: "companies", fields: companyListFields, list: listCompanies },
  deal: { file: "deals", fields: dealListFields, list: listDeals },
  lead: { file: "leads", fields: leadListFields, list: listLeads },
  task: {
    file: "tasks",
    fields: async () => taskListFields(),
    list: (tx, state, opts) => listTasks(tx, state, opts),
    // An all-day task is due on a date (stored as midnight UTC), not at an instant.
    dateOnly: (field, row) => field.key === "due_at" && row.all_day === true,
  },
};

/** `people-2026-11-21.csv`, dated by the member's calendar. */
export function exportFileName(object: ExportObject, now = new Date(), timeZone = DEFAULT_TIME_ZONE): string {
  return `${OBJECTS[object].file}-${dayKey(now, timeZone)}.csv`;
}

function cell(def: ExportDef, field: ListField, row: Row, members: Map<string, string>, zone: string): CsvCell {
  const v = row[field.key];
  if (v === undefined || v === null) return null;
  switch (field.type) {
    case "money": {
      const currency = typeof row.currency === "string" ? row.currency : "USD";
      try {
        return formatMoney(String(v), currency);
      } catch {
        return String(v);
      }
    }
    case "user":
      return members.get(String(v)) ?? "";
    case "relation":
      return typeof v === "object" ? String((v as { name?: unknown }).name ?? "") : String(v);
    case "select": {
      const option = field.options?.find((o) => o.value === String(v));
      return option ? option.label : String(v);
    }
    case "multi_select": {
      const values = Array.isArray(v) ? v : [v];
      return values.map((x) => field.options?.find((o) => o.value === String(x))?.label ?? String(x)).join(", ");
    }
    case "tags":
      return Array.isArray(v) ? v.join(", ") : String(v);
    case "checkbox":
      return v === true || v === "true" ? "Yes" : "No";
    case "date":
      return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    case "datetime": {
      const at = v instanceof Date ? v : new Date(String(v));
      if (Number.isNaN(at.getTime())) return String(v);
      return def.dateOnly?.(field, row) ? at.toISOString().slice(0, 10) : isoInZone(at, zone);
    }
    default:
      return v instanceof Date ? isoInZone(v, zone) : typeof v === "object" ? JSON.stringify(v) : (v as CsvCell);
  }
}

/**
 * The CSV of every row matching `state` (or only `ids`), in pages. Yields the
 * header (with a UTF-8 BOM for Excel) with the first page, then one chunk per
 * page. Throws the list engine's refusal (listQueryError) before yielding anything when the state names
 * an unknown field or a bad filter.
 */
export async function* exportCsv(
  tx: Tx,
  object: ExportObject,
  state: ListState,
  opts: { ids?: string[]; userId?: string; timeZone?: string } = {},
): AsyncGenerator<string> {
  const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const def = OBJECTS[object];
  const fields = await def.fields(tx);
  const columns = state.columns?.length ? visibleColumns(fields, state.columns) : fields;
  const headers = columns.map((c) => c.label);
  const { rows: memberRows } = await sql<{ user_id: string; name: string }>`
    select m.user_id, coalesce(nullif(p.full_name, ''), p.email) as name
    from public.org_members m join public.profiles p on p.user_id = m.user_id`.execute(tx);
  const members = new Map(memberRows.map((m) => [m.user_id, m.name]));

  let after: string | undefined;
  let first = true;
  do {
    const page = await def.list(tx, { ...state, after }, { pageSize: MAX_PAGE_SIZE, ids: opts.ids, userId: opts.userId, timeZone: zone, fields, withTotal: false });
    const csv = toCsv(headers, page.rows.map((r) => columns.map((c) => cell(def, c, r, members, zone))), { bom: first });
    // toCsv writes the header every time; keep it only once.
    yield first ? csv : csv.slice(csv.indexOf("\r\n") + 2);
    if (page.rows.length) yield "\r\n";
    first = false;
    after = page.nextCursor ?? undefined;
  } while (after);
}
