// The deals list's fields for work about one person (a surrogacy agency's
// cases, intended parents): the deal's number and priority, its person's
// email, phone and state, and the source of the lead it came from. Shown by
// default in orgs that number a pipeline; every org may add them as columns.
import { sql } from "kysely";
import type { FieldOption, ListFieldSql } from "@/modules/crm/lists/ui";
import { DEAL_NUMBER_DIGITS } from "./numbers";

/** The number as shown and searched (00042); longer numbers are never cut. */
export const DEAL_NUMBER_TEXT = sql`lpad(d.number::text, greatest(${sql.lit(DEAL_NUMBER_DIGITS)}, length(d.number::text)), '0')`;

/** The source of the (first) lead the deal was made from, if any. */
export const DEAL_SOURCE = sql`(select l.source from public.leads l where l.deal_id = d.id order by l.created_at, l.id limit 1)`;

export const PRIORITY_OPTIONS: FieldOption[] = [
  { value: "true", label: "Priority" },
  { value: "false", label: "Normal" },
];

/** The number, first: a case is known by it. */
export function dealNumberField(cases: boolean): ListFieldSql {
  return {
    key: "number",
    label: "No.",
    type: "text",
    sql: DEAL_NUMBER_TEXT,
    // Text order of numbers padded wider than any org will reach is their numeric order.
    sortSql: sql`lpad(d.number::text, 19, '0')`,
    sortable: true,
    filterable: true,
    searchable: true,
    defaultVisible: cases,
  };
}

export function caseListFields(cases: boolean, sources: FieldOption[]): ListFieldSql[] {
  return [
    {
      key: "priority",
      label: "Priority",
      type: "select",
      sql: sql`d.priority::text`,
      sortable: true,
      filterable: true,
      editable: true,
      badge: true,
      defaultVisible: cases,
      options: PRIORITY_OPTIONS,
    },
    { key: "person_email", label: "Email", type: "email", sql: sql`pe.email::text`, sortable: true, filterable: true, defaultVisible: cases },
    { key: "person_phone", label: "Phone", type: "phone", sql: sql.ref("pe.phone"), sortable: true, filterable: true, defaultVisible: cases },
    { key: "person_state", label: "State", type: "text", sql: sql.ref("pe.state"), sortable: true, filterable: true, defaultVisible: cases },
    { key: "source", label: "Source", type: "select", sql: DEAL_SOURCE, sortable: true, filterable: true, defaultVisible: cases, options: sources },
  ];
}
