// Person reads: the list (through the list engine), the detail page and the
// records around a person. Free of React/Next: the CSV export and the REST
// API reuse them.

import type { RawBuilder, SqlBool } from "kysely";
import { sql, type Tx } from "@/lib/db";
import { relatedDeals } from "@/modules/crm/companies";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { applyListPlan, containsText, countMatching, idIn, pageFromRows, searchCandidates, textFilterTerms } from "@/modules/crm/lists";
import type { ListFieldSql, ListState } from "@/modules/crm/lists/ui";
import { recordListFields, withCustomKeys } from "@/modules/crm/records";

const ref = (c: string) => sql.ref(`p.${c}`);

// Built once: the built-in fields never change, and every list page and API page reads them.
let builtInPeople: readonly ListFieldSql[] | undefined;

/** The built-in person fields, in column order. */
export function builtInPersonFields(): readonly ListFieldSql[] {
  return (builtInPeople ??= personFields());
}

function personFields(): ListFieldSql[] {
  const { text, trailing } = recordListFields("p");
  return [
    // full_name is never NULL: people_org_name_idx serves this sort in both directions.
    text("name", "Name", { searchable: true, editable: false, notNull: true, sql: ref("full_name"), sortSql: sql`lower(p.full_name)` }),
    text("first_name", "First name", { defaultVisible: false }),
    text("last_name", "Last name", { defaultVisible: false }),
    text("email", "Email", { type: "email", sql: sql`p.email::text`, searchable: true }),
    text("phone", "Phone", { type: "phone", searchable: true }),
    text("title", "Title"),
    {
      key: "company",
      label: "Company",
      type: "relation",
      sql: ref("company_id"),
      sortSql: sql`lower(co.name)`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    {
      // Filtering by the company's name as typed, e.g. "company name contains acme".
      key: "company_name",
      label: "Company name",
      type: "text",
      sql: sql.ref("co.name"),
      sortable: true,
      filterable: true,
      defaultVisible: false,
    },
    text("source", "Source", { defaultVisible: false }),
    text("city", "City", { defaultVisible: false }),
    text("state", "State", { defaultVisible: false }),
    text("country", "Country", { defaultVisible: false }),
    text("linkedin_url", "LinkedIn", { type: "url", defaultVisible: false }),
    text("website", "Website", { type: "url", defaultVisible: false }),
    ...trailing(),
  ];
}

/** Built-in and custom person fields for lists, filters, export and the API. */
export async function personListFields(tx: Tx): Promise<ListFieldSql[]> {
  const defs = await listCustomFieldDefs(tx, "person");
  return [...builtInPersonFields(), ...customFieldListFields(defs, "p")];
}

/** A search typed without letters, with three digits or more, looks for a number (see personSearchMatch). */
function searchesNumber(q: string): boolean {
  return !/\p{L}/u.test(q) && q.replace(/\D/g, "").length >= 3;
}

/**
 * The quick search on people aliased `p` (`q` lower-cased): `q` anywhere in
 * the name, email or phone. Typed without letters and with three digits or
 * more, it looks for a number instead: the phone holds its digits, however
 * typed ("(415) 555-0100" finds +14155550100), or each typed number is a
 * word of the name or email.
 */
export function personSearchMatch(q: string) {
  if (searchesNumber(q)) {
    return sql<SqlBool>`(strpos(p.phone, ${q.replace(/\D/g, "")}) > 0
      or private.search_words(p.full_name || ' ' || coalesce(p.email::text, '')) @> private.search_words(${q}))`;
  }
  // containsText: a term too common to narrow walks the list's order and stops at the page.
  return containsText(sql`p.full_name || ' ' || coalesce(p.email::text, '') || ' ' || coalesce(p.phone, '')`, q);
}

/**
 * The conditions on people aliased `p` for the list's quick search (`q`),
 * with the word-index narrowing (modules/crm/lists/narrow.ts) of it and of
 * the name and email filters.
 * The list engine applies the filters themselves (call it with `q` removed).
 */
export async function personSearchConditions(tx: Tx, state: ListState) {
  const q = state.q?.trim().toLowerCase();
  const terms = textFilterTerms(state, ["name", "email"]);
  if (q) terms.unshift({ text: q, number: searchesNumber(q) });
  const candidates = await searchCandidates(tx, "person", state, terms);
  const conditions: RawBuilder<SqlBool>[] = [];
  if (candidates) conditions.push(idIn("p.id", candidates));
  if (q) conditions.push(personSearchMatch(q));
  return conditions;
}

export interface PersonListOptions {
  pageSize?: number;
  /** Only these people (bulk export of a selection). */
  ids?: string[];
  /** The signed-in member, for owner filters on "me". */
  userId?: string;
  /** The member's zone, for datetime filters on a day. */
  timeZone?: string;
  /** Skips the total count (export and API pages). */
  withTotal?: boolean;
  fields?: readonly ListFieldSql[];
}

export type PersonRow = Record<string, unknown> & { id: string };

/**
 * One page of people for `state`: rows keyed by list field key (owner = the
 * member's user id, company = `{ id, name }`, custom fields as
 * `custom.<key>`), the next page's cursor, and the number of matching people.
 */
async function peopleQuery(tx: Tx, state: ListState, opts: PersonListOptions) {
  const plan = { idRef: "p.id", pageSize: opts.pageSize ?? 50, userId: opts.userId, timeZone: opts.timeZone };
  // The quick search is personSearchMatch, not the fields' own search.
  const planState = { ...state, q: undefined };
  const search = await personSearchConditions(tx, state);
  const base = () => {
    let query = tx.selectFrom("people as p").leftJoin("companies as co", "co.id", "p.company_id");
    if (opts.ids) query = query.where("p.id", "in", opts.ids.length ? opts.ids : ["00000000-0000-0000-0000-000000000000"]);
    for (const condition of search) query = query.where(condition);
    return query;
  };
  return { plan, planState, base };
}

/** How many people match `state` (capped at COUNT_CAP + 1), for a page that sends its rows before the count. */
export async function countPeople(tx: Tx, state: ListState, opts: PersonListOptions = {}): Promise<number> {
  const fields = opts.fields ?? (await personListFields(tx));
  const { plan, planState, base } = await peopleQuery(tx, state, opts);
  return countMatching(tx, base(), fields, planState, plan);
}

export async function listPeople(tx: Tx, state: ListState, opts: PersonListOptions = {}) {
  const fields = opts.fields ?? (await personListFields(tx));
  const { plan, planState, base } = await peopleQuery(tx, state, opts);
  const select = base().select([
    "p.id",
    "p.full_name as name",
    "p.first_name",
    "p.last_name",
    sql<string | null>`p.email::text`.as("email"),
    "p.phone",
    "p.title",
    "p.company_id",
    "co.name as company_name",
    "p.source",
    "p.city",
    "p.state",
    "p.country",
    "p.linkedin_url",
    "p.website",
    "p.tags",
    "p.owner_id as owner",
    "p.last_contacted_at",
    "p.created_at",
    "p.updated_at",
    "p.archived_at",
    "p.custom",
  ]);
  // Both go out at once on the transaction's connection (postgres.js pipelines them).
  const [raw, total] = await Promise.all([
    applyListPlan(select, fields, planState, plan).execute(),
    opts.withTotal === false ? undefined : countMatching(tx, base(), fields, planState, plan),
  ]);
  const page = pageFromRows(raw, plan);
  const rows: PersonRow[] = page.rows.map((r) => {
    const { company_id, ...rest } = r;
    return withCustomKeys({
      ...rest,
      company: company_id ? { id: company_id, name: r.company_name ?? "", href: `/companies/${company_id}` } : null,
    });
  });
  return { rows, nextCursor: page.nextCursor, total };
}

export interface PersonDetail {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string;
  email: string | null;
  additional_emails: string[];
  phone: string | null;
  additional_phones: string[];
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  linkedin_url: string | null;
  website: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  source: string | null;
  tags: string[];
  owner_id: string | null;
  owner_name: string | null;
  last_contacted_at: Date | null;
  custom: Record<string, unknown>;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  open_deals_count: number;
  open_tasks_count: number;
}

/** A person with company, owner name and counts, or null when not visible (unknown id, other org). */
export async function getPerson(tx: Tx, id: string): Promise<PersonDetail | null> {
  const row = await tx
    .selectFrom("people as p")
    .leftJoin("companies as c", "c.id", "p.company_id")
    .leftJoin("profiles as o", "o.user_id", "p.owner_id")
    .selectAll("p")
    .select([
      "c.name as company_name",
      "o.full_name as owner_name",
      sql<string | null>`p.email::text`.as("email"),
      sql<string[]>`p.additional_emails::text[]`.as("additional_emails"),
      sql<string>`(select count(*) from deals d where d.person_id = p.id and d.archived_at is null and d.status = 'open')`.as(
        "open_deals_count",
      ),
      sql<string>`(select count(*) from tasks t where t.person_id = p.id and t.archived_at is null and t.status <> 'done')`.as("open_tasks_count"),
    ])
    .where("p.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    full_name: row.full_name || row.email || "",
    custom: (row.custom ?? {}) as Record<string, unknown>,
    open_deals_count: Number(row.open_deals_count),
    open_tasks_count: Number(row.open_tasks_count),
  } as PersonDetail;
}

/** A person's deals, open first. */
export function personDeals(tx: Tx, personId: string, limit = 100) {
  return relatedDeals(tx, { personId }, limit);
}
