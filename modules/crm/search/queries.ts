import { sql, type Tx } from "@/lib/db";
import { formatMoney } from "@/modules/crm/values/normalize";
import {
  hrefFor,
  SEARCH_LIMIT_PER_TYPE,
  SEARCH_MAX_LENGTH,
  SEARCH_MIN_LENGTH,
  type SearchHit,
  type SearchHitType,
  type SearchResults,
} from "./schema";

// The text each object is ranked by: the name first, so "starts with" means
// the name does. Which records are candidates at all is decided by
// public.search_candidates() (migration 20261121007100) from the words of
// this text; change both together.
const PERSON_TEXT = sql`lower(p.full_name || ' ' || coalesce(p.email::text, '') || ' ' || coalesce(p.phone, ''))`;
const COMPANY_TEXT = sql`lower(c.name || ' ' || coalesce(c.domain::text, ''))`;
const DEAL_TEXT = sql`lower(d.name)`;

/** Companies whose name matches, to find their people and deals. */
const COMPANY_CANDIDATES = 50;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/** Lower-cased, single-spaced, bounded: the form the indexed text has. */
export function normalizeSearchText(q: string): string {
  return q.trim().replace(/\s+/g, " ").toLowerCase().slice(0, SEARCH_MAX_LENGTH);
}

interface Terms {
  term: string;
  /** Starts the record's text ("jon" → Jonathan ...). */
  prefix: string;
  /** Starts a later word ("apple" → Jonathan Appleseed). */
  wordStart: string;
  /** Phone digits anywhere in the E.164 number, when the query is a phone number. */
  digits: string | null;
  /** Word similarity needs three characters to have a trigram to compare. */
  fuzzy: boolean;
}

function termsOf(term: string): Terms {
  const esc = escapeLike(term);
  const digits = term.replace(/\D/g, "");
  const phoneLike = /^[\d\s()+.\-]+$/.test(term) && digits.length >= 4;
  return {
    term,
    prefix: `${esc}%`,
    wordStart: `% ${esc}%`,
    digits: phoneLike ? `%${digits}%` : null,
    fuzzy: term.length >= 3,
  };
}

/** 3: the text starts with the query; 2: a word does, or the phone holds the digits; 0: similar. */
function rankOf(t: Terms, text: ReturnType<typeof sql>) {
  const digits = t.digits ? sql`when ${text} like ${t.digits} then 2` : sql``;
  return sql`(case when ${text} like ${t.prefix} then 3 when ${text} like ${t.wordStart} then 2 ${digits} else 0 end)`;
}

interface HitRow {
  type: SearchHitType;
  id: string;
  title: string;
  detail: string | null;
  company: string | null;
  value_minor: string | null;
  currency: string | null;
}

/**
 * Active people (name, email, phone digits, company name), companies (name,
 * domain) and deals (name, company name) of the caller's org matching `q`,
 * exact prefixes first, then by trigram similarity; at most
 * SEARCH_LIMIT_PER_TYPE of each. The org comes from RLS.
 */
export async function searchRecords(tx: Tx, q: string): Promise<SearchResults> {
  const term = normalizeSearchText(q);
  const results: SearchResults = { q: term, people: [], companies: [], deals: [] };
  if (term.length < SEARCH_MIN_LENGTH) return results;
  const t = termsOf(term);
  const similarity = (text: ReturnType<typeof sql>) =>
    t.fuzzy ? sql`word_similarity(${t.term}::text, ${text})` : sql`0::real`;

  // The candidates are bounded per kind (and found through indexes) before
  // they are ranked here and joined for display, under RLS.
  const { rows } = await sql<HitRow>`
    with candidates as materialized (
      select kind, id from public.search_candidates(${term})
    ),
    matched_companies as (
      select c.id, ${rankOf(t, COMPANY_TEXT)} as rank, ${similarity(COMPANY_TEXT)} as score
      from public.companies c
      where c.id in (select id from candidates where kind = 'company') and c.archived_at is null
      order by rank desc, score desc
      limit ${COMPANY_CANDIDATES}
    ),
    people_hits as (
      select id, max(rank) as rank, max(score) as score
      from (
        (select p.id, ${rankOf(t, PERSON_TEXT)} as rank, ${similarity(PERSON_TEXT)} as score
         from public.people p
         where p.id in (select id from candidates where kind = 'person') and p.archived_at is null
         order by rank desc, score desc
         limit ${SEARCH_LIMIT_PER_TYPE})
        union all
        (select p.id, mc.rank - 1, mc.score * 0.9
         from matched_companies mc
         join public.people p on p.company_id = mc.id and p.archived_at is null
         order by 2 desc, 3 desc
         limit ${SEARCH_LIMIT_PER_TYPE})
      ) x
      group by id
      order by rank desc, score desc
      limit ${SEARCH_LIMIT_PER_TYPE}
    ),
    deal_hits as (
      select id, max(rank) as rank, max(score) as score
      from (
        (select d.id, ${rankOf(t, DEAL_TEXT)} as rank, ${similarity(DEAL_TEXT)} as score
         from public.deals d
         where d.id in (select id from candidates where kind = 'deal') and d.archived_at is null
         order by rank desc, score desc
         limit ${SEARCH_LIMIT_PER_TYPE})
        union all
        (select d.id, mc.rank - 1, mc.score * 0.9
         from matched_companies mc
         join public.deals d on d.company_id = mc.id and d.archived_at is null
         order by 2 desc, 3 desc
         limit ${SEARCH_LIMIT_PER_TYPE})
      ) x
      group by id
      order by rank desc, score desc
      limit ${SEARCH_LIMIT_PER_TYPE}
    ),
    hits as (
      select 'person' as type, p.id, coalesce(nullif(p.full_name, ''), p.email::text) as title,
             p.email::text as detail, co.name as company, null::bigint as value_minor, null::text as currency,
             h.rank, h.score
      from people_hits h
      join public.people p on p.id = h.id
      left join public.companies co on co.id = p.company_id
      union all
      select 'company', c.id, c.name, c.domain::text, null, null, null, h.rank, h.score
      from (select * from matched_companies order by rank desc, score desc limit ${SEARCH_LIMIT_PER_TYPE}) h
      join public.companies c on c.id = h.id
      union all
      select 'deal', d.id, d.name, s.name, co.name, d.value_minor, d.currency::text, h.rank, h.score
      from deal_hits h
      join public.deals d on d.id = h.id
      join public.pipeline_stages s on s.id = d.stage_id
      left join public.companies co on co.id = d.company_id
    )
    select type, id, title, detail, company, value_minor::text as value_minor, currency
    from hits
    order by type, rank desc, score desc, title
  `.execute(tx);

  for (const row of rows) {
    const hit: SearchHit = { type: row.type, id: row.id, title: row.title, subtitle: subtitleOf(row), href: hrefFor(row.type, row.id) };
    if (row.type === "person") results.people.push(hit);
    else if (row.type === "company") results.companies.push(hit);
    else results.deals.push(hit);
  }
  return results;
}

function subtitleOf(row: HitRow): string | null {
  const parts =
    row.type === "deal"
      ? [row.company, row.value_minor != null && row.currency ? formatMoney(row.value_minor, row.currency) : null, row.detail]
      : [row.detail === row.title ? null : row.detail, row.company];
  const text = parts.filter(Boolean).join(" · ");
  return text || null;
}
