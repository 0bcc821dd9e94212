// The leads list on the list engine (modules/crm/lists): its fields, with the
// org's sources and statuses as the options of their columns, and pages of
// rows for the list, the CSV export and the REST API.

import { sql, type Tx } from "@/lib/db";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { applyListPlan, containsText, countMatching, pageFromRows } from "@/modules/crm/lists";
import type { ListFieldSql, ListState } from "@/modules/crm/lists/ui";
import { withCustomKeys } from "@/modules/crm/records";
import { listLeadSources, listLeadStatuses } from "./queries";

const ref = (c: string) => sql.ref(`l.${c}`);

function text(key: string, label: string, extra: Partial<ListFieldSql> = {}): ListFieldSql {
  return { key, label, type: "text", sql: ref(key), sortable: true, filterable: true, editable: true, ...extra };
}

/** The built-in lead fields, in column order, with the org's sources and statuses. */
export async function builtInLeadFields(tx: Tx): Promise<ListFieldSql[]> {
  // Archived ones too: leads keep them, and filters and badges name them.
  const [sources, statuses] = await Promise.all([listLeadSources(tx, { includeArchived: true }), listLeadStatuses(tx, { includeArchived: true })]);
  return [
    text("name", "Name", { searchable: true, editable: false, notNull: true, sql: ref("full_name"), sortSql: sql`lower(l.full_name)` }),
    text("first_name", "First name", { defaultVisible: false }),
    text("last_name", "Last name", { defaultVisible: false }),
    {
      key: "status",
      label: "Status",
      type: "select",
      options: statuses.map((s) => ({ value: s.key, label: s.label })),
      sql: ref("status"),
      // The org's order (new → qualified → …), not the alphabet.
      sortSql: sql`(select lpad(s.position::text, 6, '0') from lead_statuses s where s.org_id = l.org_id and s.key = l.status)`,
      sortable: true,
      filterable: true,
      editable: true,
      badge: true,
    },
    {
      key: "source",
      label: "Source",
      type: "select",
      options: sources.map((s) => ({ value: s.key, label: s.label })),
      sql: ref("source"),
      sortable: true,
      filterable: true,
      editable: true,
      badge: true,
    },
    text("email", "Email", { type: "email", sql: sql`l.email::text`, searchable: true }),
    text("phone", "Phone", { type: "phone", searchable: true }),
    text("company_name", "Company", { searchable: true }),
    text("state", "State", { defaultVisible: false }),
    text("message", "Message", { defaultVisible: false, sortable: false }),
    {
      key: "owner",
      label: "Owner",
      type: "user",
      sql: ref("owner_id"),
      sortSql: sql`(select o.full_name from profiles o where o.user_id = l.owner_id)`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    text("utm_source", "UTM source", { sql: sql`l.utm ->> 'source'`, editable: false, defaultVisible: false }),
    text("utm_campaign", "UTM campaign", { sql: sql`l.utm ->> 'campaign'`, editable: false, defaultVisible: false }),
    text("campaign_id", "Campaign id", { sql: sql`l.attribution ->> 'campaign_id'`, editable: false, defaultVisible: false }),
    {
      key: "person",
      label: "Person",
      type: "relation",
      sql: ref("person_id"),
      sortSql: sql.ref("lp.full_name"),
      sortable: true,
      filterable: true,
      defaultVisible: false,
    },
    // The deal a lead became or joined: how the API reads where a deal (a case) came from.
    { key: "deal", label: "Deal", type: "relation", sql: ref("deal_id"), sortable: false, filterable: true, defaultVisible: false },
    { key: "last_contacted_at", label: "Last contacted", type: "datetime", sql: ref("last_contacted_at"), sortable: true, filterable: true },
    { key: "converted_at", label: "Converted", type: "datetime", sql: ref("converted_at"), sortable: true, filterable: true, defaultVisible: false },
    { key: "created_at", label: "Created", type: "datetime", sql: ref("created_at"), sortable: true, filterable: true, notNull: true },
    { key: "updated_at", label: "Updated", type: "datetime", sql: ref("updated_at"), sortable: true, filterable: true, notNull: true, defaultVisible: false },
  ];
}

/** Built-in and custom lead fields for lists, filters, export and the API. */
export async function leadListFields(tx: Tx): Promise<ListFieldSql[]> {
  const [builtIn, defs] = await Promise.all([builtInLeadFields(tx), listCustomFieldDefs(tx, "lead")]);
  return [...builtIn, ...customFieldListFields(defs, "l")];
}

export interface LeadListOptions {
  pageSize?: number;
  /** Only these leads (bulk export of a selection). */
  ids?: string[];
  /** The signed-in member, for owner filters on "me". */
  userId?: string;
  /** The member's zone, for datetime filters on a day. */
  timeZone?: string;
  /** Skips the total count (export and API pages). */
  withTotal?: boolean;
  fields?: readonly ListFieldSql[];
}

export type LeadRow = Record<string, unknown> & { id: string };

function leadsQuery(tx: Tx, state: ListState, opts: LeadListOptions) {
  const plan = { idRef: "l.id", pageSize: opts.pageSize ?? 50, userId: opts.userId, timeZone: opts.timeZone };
  const q = state.q?.trim();
  // The quick search reads name, email, phone and company as one text.
  const planState = { ...state, q: undefined };
  const base = () => {
    let query = tx.selectFrom("leads as l").leftJoin("people as lp", "lp.id", "l.person_id");
    if (opts.ids) query = query.where("l.id", "in", opts.ids.length ? opts.ids : ["00000000-0000-0000-0000-000000000000"]);
    if (q) {
      query = query.where(
        containsText(sql`l.full_name || ' ' || coalesce(l.email::text, '') || ' ' || coalesce(l.phone, '') || ' ' || coalesce(l.company_name, '')`, q),
      );
    }
    return query;
  };
  return { plan, planState, base };
}

/** How many leads match `state`, for a page that sends its rows before the count. */
export async function countLeads(tx: Tx, state: ListState, opts: LeadListOptions = {}): Promise<number> {
  const fields = opts.fields ?? (await leadListFields(tx));
  const { plan, planState, base } = leadsQuery(tx, state, opts);
  return countMatching(tx, base(), fields, planState, plan);
}

/** One page of leads for `state`: rows keyed by list field key, the next cursor and (unless skipped) the total. */
export async function listLeads(tx: Tx, state: ListState, opts: LeadListOptions = {}) {
  const fields = opts.fields ?? (await leadListFields(tx));
  const { plan, planState, base } = leadsQuery(tx, state, opts);
  const select = base().select([
    "l.id",
    sql<string>`coalesce(nullif(l.full_name, ''), l.email::text, l.phone)`.as("name"),
    "l.first_name",
    "l.last_name",
    "l.status",
    "l.source",
    sql<string | null>`l.email::text`.as("email"),
    "l.phone",
    "l.company_name",
    "l.state",
    "l.message",
    "l.owner_id as owner",
    sql<string | null>`l.utm ->> 'source'`.as("utm_source"),
    sql<string | null>`l.utm ->> 'campaign'`.as("utm_campaign"),
    sql<string | null>`l.attribution ->> 'campaign_id'`.as("campaign_id"),
    "l.person_id",
    sql<string | null>`coalesce(nullif(lp.full_name, ''), lp.email::text)`.as("person_name"),
    "l.deal_id",
    sql<string | null>`(select d.name from public.deals d where d.id = l.deal_id)`.as("deal_name"),
    "l.last_contacted_at",
    "l.converted_at",
    "l.created_at",
    "l.updated_at",
    "l.archived_at",
    "l.custom",
  ]);
  const [raw, total] = await Promise.all([
    applyListPlan(select, fields, planState, plan).execute(),
    opts.withTotal === false ? undefined : countMatching(tx, base(), fields, planState, plan),
  ]);
  const page = pageFromRows(raw, plan);
  const rows: LeadRow[] = page.rows.map((r) => {
    const { person_id, person_name, deal_id, deal_name, ...rest } = r;
    return withCustomKeys({
      ...rest,
      person: person_id ? { id: person_id, name: person_name ?? "", href: `/people/${person_id}` } : null,
      deal: deal_id ? { id: deal_id, name: deal_name ?? "", href: `/deals/${deal_id}` } : null,
    });
  });
  return { rows, nextCursor: page.nextCursor, total };
}
