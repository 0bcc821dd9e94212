// Company reads: the list (through the list engine), the detail page and the
// records around a company. Free of React/Next: the CSV export and the REST
// API reuse them.

import { sql, type Tx } from "@/lib/db";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { applyListPlan, containsText, countMatching, idIn, pageFromRows, searchCandidates, textFilterTerms } from "@/modules/crm/lists";
import type { ListFieldSql, ListState } from "@/modules/crm/lists/ui";
import { recordListFields, withCustomKeys } from "@/modules/crm/records";

export const COMPANY_SORT_DEFAULT = { field: "created_at", dir: "desc" } as const;

const ref = (c: string) => sql.ref(`c.${c}`);

// Built once: the built-in fields never change, and every list page and API page reads them.
let builtInCompanies: readonly ListFieldSql[] | undefined;

/** The built-in company fields, in column order. */
export function builtInCompanyFields(): readonly ListFieldSql[] {
  return (builtInCompanies ??= companyFields());
}

function companyFields(): ListFieldSql[] {
  const { text, trailing } = recordListFields("c");
  return [
    text("name", "Name", { searchable: true, sortSql: sql`lower(c.name)` }),
    text("domain", "Domain", { type: "url", searchable: true, sql: sql`c.domain::text` }),
    text("industry", "Industry"),
    {
      key: "employee_count",
      label: "Employees",
      type: "number",
      sql: ref("employee_count"),
      sortable: true,
      filterable: true,
      editable: true,
      align: "right",
    },
    text("email", "Email", { type: "email", sql: sql`c.email::text`, defaultVisible: false, searchable: true }),
    text("phone", "Phone", { type: "phone", defaultVisible: false, searchable: true }),
    text("website", "Website", { type: "url", defaultVisible: false }),
    text("linkedin_url", "LinkedIn", { type: "url", defaultVisible: false }),
    text("city", "City"),
    text("state", "State", { defaultVisible: false }),
    text("country", "Country", { defaultVisible: false }),
    {
      key: "people_count",
      label: "People",
      type: "number",
      sql: sql`(select count(*) from people p where p.company_id = c.id and p.archived_at is null)`,
      sortable: false,
      filterable: false,
      align: "right",
    },
    ...trailing(),
  ];
}

/** Built-in and custom company fields for lists, filters, export and the API. */
export async function companyListFields(tx: Tx): Promise<ListFieldSql[]> {
  const defs = await listCustomFieldDefs(tx, "company");
  return [...builtInCompanyFields(), ...customFieldListFields(defs, "c")];
}

export interface CompanyListOptions {
  pageSize?: number;
  /** Only these companies (bulk export of a selection). */
  ids?: string[];
  /** The signed-in member, for owner filters on "me". */
  userId?: string;
  /** The member's zone, for datetime filters on a day. */
  timeZone?: string;
  /** Skips the total count (export and API pages). */
  withTotal?: boolean;
  fields?: readonly ListFieldSql[];
}

export type CompanyRow = Record<string, unknown> & { id: string };

/**
 * One page of companies for `state`: rows keyed by list field key (owner =
 * the member's user id, custom fields as `custom.<key>`), the next page's
 * cursor, and the number of matching companies.
 */
export async function listCompanies(tx: Tx, state: ListState, opts: CompanyListOptions = {}) {
  const fields = opts.fields ?? (await companyListFields(tx));
  const plan = { idRef: "c.id", pageSize: opts.pageSize ?? 50, userId: opts.userId, timeZone: opts.timeZone };
  // The quick search also reads email, phone and custom fields, which the word index does not hold: only the filters narrow.
  const candidates = await searchCandidates(tx, "company", state, textFilterTerms(state, ["name", "domain"]));
  const base = () => {
    let q = tx.selectFrom("companies as c");
    if (opts.ids) q = q.where("c.id", "in", opts.ids.length ? opts.ids : ["00000000-0000-0000-0000-000000000000"]);
    if (candidates) q = q.where(idIn("c.id", candidates));
    return q;
  };
  const select = base().select([
    "c.id",
    "c.name",
    sql<string | null>`c.domain::text`.as("domain"),
    "c.industry",
    "c.employee_count",
    sql<string | null>`c.email::text`.as("email"),
    "c.phone",
    "c.website",
    "c.linkedin_url",
    "c.city",
    "c.state",
    "c.country",
    "c.tags",
    "c.owner_id as owner",
    "c.last_contacted_at",
    "c.created_at",
    "c.updated_at",
    "c.archived_at",
    "c.custom",
    sql<string>`(select count(*) from people p where p.company_id = c.id and p.archived_at is null)`.as("people_count"),
  ]);
  const raw = await applyListPlan(select, fields, state, plan).execute();
  const page = pageFromRows(raw, plan);
  const total = opts.withTotal === false ? undefined : await countMatching(tx, base(), fields, state, plan);
  const rows: CompanyRow[] = page.rows.map((r) => withCustomKeys({ ...r, people_count: Number(r.people_count) }));
  return { rows, nextCursor: page.nextCursor, total };
}

export interface CompanyDetail {
  id: string;
  name: string;
  domain: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  industry: string | null;
  employee_count: number | null;
  description: string | null;
  linkedin_url: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  tags: string[];
  owner_id: string | null;
  owner_name: string | null;
  last_contacted_at: Date | null;
  custom: Record<string, unknown>;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  people_count: number;
  open_deals_count: number;
}

/** A company with its owner's name and counts, or null when it is not visible (unknown id, other org). */
export async function getCompany(tx: Tx, id: string): Promise<CompanyDetail | null> {
  const row = await tx
    .selectFrom("companies as c")
    .leftJoin("profiles as o", "o.user_id", "c.owner_id")
    .selectAll("c")
    .select([
      "o.full_name as owner_name",
      sql<string | null>`c.domain::text`.as("domain"),
      sql<string | null>`c.email::text`.as("email"),
      sql<string>`(select count(*) from people p where p.company_id = c.id and p.archived_at is null)`.as("people_count"),
      sql<string>`(select count(*) from deals d where d.company_id = c.id and d.archived_at is null and d.status = 'open')`.as(
        "open_deals_count",
      ),
    ])
    .where("c.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    custom: (row.custom ?? {}) as Record<string, unknown>,
    people_count: Number(row.people_count),
    open_deals_count: Number(row.open_deals_count),
  } as CompanyDetail;
}

/** The active people of a company, by name. */
export async function companyPeople(tx: Tx, companyId: string, limit = 100) {
  return tx
    .selectFrom("people as p")
    .select(["p.id", "p.full_name", sql<string | null>`p.email::text`.as("email"), "p.phone", "p.title"])
    .where("p.company_id", "=", companyId)
    .where("p.archived_at", "is", null)
    .orderBy(sql`lower(p.full_name)`)
    .orderBy("p.id")
    .limit(limit)
    .execute();
}

/** Deals of a company (or of a person), open first, newest first. */
export async function relatedDeals(tx: Tx, where: { companyId?: string; personId?: string }, limit = 100) {
  let q = tx
    .selectFrom("deals as d")
    .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
    .select(["d.id", "d.name", "d.value_minor", "d.currency", "d.status", "s.name as stage_name", "d.expected_close_date"])
    .where("d.archived_at", "is", null);
  if (where.companyId) q = q.where("d.company_id", "=", where.companyId);
  if (where.personId) q = q.where("d.person_id", "=", where.personId);
  return q
    .orderBy(sql`d.status = 'open'`, "desc")
    .orderBy("d.created_at", "desc")
    .limit(limit)
    .execute();
}

/** Active companies whose name or domain matches `q`, for pickers. */
export async function searchCompanies(tx: Tx, q: string, limit = 20) {
  const s = q.trim();
  let query = tx
    .selectFrom("companies as c")
    .select(["c.id", "c.name", sql<string | null>`c.domain::text`.as("domain")])
    .where("c.archived_at", "is", null);
  if (s) {
    query = query.where(sql<boolean>`(${containsText(sql`c.name`, s)} or ${containsText(sql`c.domain`, s)})`);
  }
  return query.orderBy(sql`lower(c.name)`).orderBy("c.id").limit(limit).execute();
}
