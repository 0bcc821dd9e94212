import type { Role } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { formatMoney } from "@/modules/crm/values/ui";
import {
  hrefFor,
  SEARCH_LIMIT_PER_TYPE,
  SEARCH_MAX_LENGTH,
  SEARCH_MIN_LENGTH,
  type SearchHit,
  type SearchHitType,
  type SearchMatchField,
  type SearchResults,
} from "./schema";

/** Lower-cased, single-spaced, bounded: the form the indexed text has. */
export function normalizeSearchText(q: string): string {
  return q.trim().replace(/\s+/g, " ").toLowerCase().slice(0, SEARCH_MAX_LENGTH);
}

interface HitRow {
  type: SearchHitType;
  id: string;
  title: string;
  detail: string | null;
  company: string | null;
  value_minor: string | null;
  currency: string | null;
  match_field: SearchMatchField | null;
  match_text: string | null;
  noun_plural: string | null;
}

/**
 * Active people (name, email, phone digits, company name), companies (name,
 * domain), deals (name, company name) and leads (name, email, phone,
 * company name) of the caller's org matching `q`,
 * exact prefixes first, then by word similarity; at most
 * SEARCH_LIMIT_PER_TYPE of each, each with the field it matched by when that
 * is not its name. One statement: public.search_records() (migrations
 * 20261201010000_search, 20261207007000_search_matched_field) finds, ranks
 * and reads them for the caller's org, past RLS, so a row costs what reading
 * it costs.
 */
export async function searchRecords(tx: Tx, q: string): Promise<SearchResults> {
  return (await searchAsMember(tx, q)).results;
}

/**
 * searchRecords() together with the caller's role in their org (null when
 * they are no member), in one round trip: the search route checks the
 * role before it answers, and a palette keystroke should not wait for two
 * statements.
 */
export async function searchAsMember(tx: Tx, q: string): Promise<{ role: Role | null; results: SearchResults }> {
  const term = normalizeSearchText(q);
  const results: SearchResults = { q: term, people: [], companies: [], deals: [], leads: [] };
  const { rows } = await sql<HitRow & { role: Role | null }>`
    select m.role, s.type, s.id, s.title, s.detail, s.company, s.value_minor::text as value_minor, s.currency,
           s.match_field, s.match_text, n.noun_plural
    from (select private.current_org_role() as role) m
    left join lateral public.search_records(${term.length >= SEARCH_MIN_LENGTH ? term : ""}, ${SEARCH_LIMIT_PER_TYPE}) s on true
    left join lateral (
      select p.noun_plural from public.deals d join public.pipelines p on p.id = d.pipeline_id where s.type = 'deal' and d.id = s.id
    ) n on true`.execute(tx);
  return { role: rows[0]?.role ?? null, results: collect(results, rows.filter((r) => r.id !== null)) };
}

function collect(results: SearchResults, rows: HitRow[]): SearchResults {
  for (const row of rows) {
    const match = row.match_field && row.match_text ? { field: row.match_field, text: row.match_text } : null;
    const hit: SearchHit = { type: row.type, id: row.id, title: row.title, subtitle: subtitleOf(row), match, href: hrefFor(row.type, row.id) };
    if (row.type === "person") results.people.push(hit);
    else if (row.type === "company") results.companies.push(hit);
    else if (row.type === "lead") results.leads.push(hit);
    else results.deals.push({ ...hit, noun: row.noun_plural });
  }
  return results;
}

/** The hit's details, less the one its match line shows. */
function subtitleOf(row: HitRow): string | null {
  const company = row.match_field === "company" ? null : row.company;
  const detail = row.detail === row.title || row.match_field === "email" || row.match_field === "domain" ? null : row.detail;
  const parts =
    row.type === "deal"
      ? [company, row.value_minor != null && row.currency ? formatMoney(row.value_minor, row.currency) : null, row.detail]
      : [detail, company];
  const text = parts.filter(Boolean).join(" · ");
  return text || null;
}
