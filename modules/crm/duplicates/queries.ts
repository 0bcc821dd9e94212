// Likely duplicate people and companies, scored with the reasons a person
// can check. Free of React/Next: pages, the record panel and the API share
// it. Runs under RLS (only the caller's org) on active records.

import type { RawBuilder } from "kysely";
import { sql, sqlLimit, type Tx } from "@/lib/db";

export type DuplicateObject = "person" | "company";

export interface DuplicateRecord {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** People: their company's name; companies: their domain. */
  detail: string | null;
  createdAt: Date;
}

export interface DuplicateMatch {
  record: DuplicateRecord;
  /** 0–100: how sure we are. */
  score: number;
  reasons: string[];
}

export interface DuplicatePair {
  a: DuplicateRecord;
  b: DuplicateRecord;
  score: number;
  reasons: string[];
}

/** Names at least this similar (pg_trgm similarity) count as similar. */
export const NAME_SIMILARITY = 0.6;
// Name comparisons run within a company or an email domain. A group larger
// than this (a big customer, a webmail domain) says little about duplicates
// and would cost a comparison of every pair in it.
const MAX_GROUP = 200;
// The review page shows the best of at most this many candidate pairs per
// kind of match, so an org with thousands of look-alike names stays fast.
const MAX_PAIRS = 2000;

interface Reason {
  kind: "email" | "phone" | "domain" | "name_company" | "name_domain" | "name";
  detail: string | null;
  similarity: number | null;
}

function scoreOf(reasons: Reason[]): number {
  const each = reasons.map((r) => {
    switch (r.kind) {
      case "email":
        return 95;
      case "domain":
        return 85;
      case "phone":
        return 85;
      case "name_company":
        return 55 + Math.round((r.similarity ?? 0) * 40);
      case "name_domain":
        return 45 + Math.round((r.similarity ?? 0) * 40);
      case "name":
        return 40 + Math.round((r.similarity ?? 0) * 40);
    }
  });
  return Math.min(100, Math.max(...each) + 5 * (each.length - 1));
}

function describe(r: Reason): string {
  const pct = `${Math.round((r.similarity ?? 0) * 100)}%`;
  switch (r.kind) {
    case "email":
      return `Same email ${r.detail}`;
    case "phone":
      return `Same phone ${r.detail}`;
    case "domain":
      return `Same domain ${r.detail}`;
    case "name_company":
      return `Similar name (${pct}) at the same company`;
    case "name_domain":
      return `Similar name (${pct}), same email domain ${r.detail}`;
    case "name":
      return `Similar name (${pct})`;
  }
}

function summarise(reasons: Reason[]) {
  const order = ["email", "domain", "phone", "name_company", "name_domain", "name"];
  const sorted = [...reasons].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind));
  return { score: scoreOf(reasons), reasons: [...new Set(sorted.map(describe))] };
}

const PERSON_COLUMNS = sql`p.id, coalesce(nullif(p.full_name, ''), p.email::text) as name, p.email::text as email,
  p.phone, c.name as detail, p.created_at`;
const COMPANY_COLUMNS = sql`c.id, c.name, c.email::text as email, c.phone, c.domain::text as detail, c.created_at`;

type RecordRow = { id: string; name: string; email: string | null; phone: string | null; detail: string | null; created_at: Date };

const toRecord = (r: RecordRow): DuplicateRecord => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  detail: r.detail,
  createdAt: new Date(r.created_at),
});

async function loadRecords(tx: Tx, type: DuplicateObject, ids: string[]): Promise<Map<string, DuplicateRecord>> {
  if (!ids.length) return new Map();
  const rows =
    type === "person"
      ? await sql<RecordRow>`select ${PERSON_COLUMNS} from public.people p left join public.companies c on c.id = p.company_id
          where p.id = any(${ids}::uuid[])`.execute(tx)
      : await sql<RecordRow>`select ${COMPANY_COLUMNS} from public.companies c where c.id = any(${ids}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, toRecord(r)]));
}

// Pairs someone marked "Not a duplicate" (duplicate_dismissals) stay out.
// Detection pairs are lower id first, as dismissals are stored.
const personPairKept = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) =>
  sql`not exists (select 1 from public.duplicate_dismissals d where d.person_a_id = ${a} and d.person_b_id = ${b})`;
const companyPairKept = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) =>
  sql`not exists (select 1 from public.duplicate_dismissals d where d.company_a_id = ${a} and d.company_b_id = ${b})`;

type PairRow = { a: string; b: string; kind: Reason["kind"]; detail: string | null; similarity: number | null };

const PEOPLE_PAIRS = sql<PairRow>`
  with p as (
    select p.id, lower(p.full_name) as lname, p.email, p.additional_emails, p.phone, p.additional_phones, p.company_id,
           nullif(split_part(p.email::text, '@', 2), '') as domain
    from public.people p
    where p.archived_at is null
  ),
  emails as (
    select p.id, lower(e) as v from p, unnest(array[p.email::text] || p.additional_emails::text[]) e where e is not null
  ),
  phones as (
    select p.id, v from p, unnest(array[p.phone] || p.additional_phones) v where v is not null
  ),
  sized as (
    select p.*, count(*) over (partition by p.company_id) as csize, count(*) over (partition by p.domain) as dsize from p
  )
  select distinct a.id as a, b.id as b, 'email' as kind, a.v as detail, null::real as similarity
    from emails a join emails b on b.v = a.v and a.id < b.id
    where ${personPairKept(sql`a.id`, sql`b.id`)}
  union all
  select distinct a.id, b.id, 'phone', a.v, null::real
    from phones a join phones b on b.v = a.v and a.id < b.id
    where ${personPairKept(sql`a.id`, sql`b.id`)}
  union all
  select * from (
    select a.id, b.id, 'name_company', null::text, extensions.similarity(a.lname, b.lname)
      from sized a join sized b on b.company_id = a.company_id and a.id < b.id
      where a.csize <= ${MAX_GROUP} and a.lname <> '' and extensions.similarity(a.lname, b.lname) > ${NAME_SIMILARITY}
        and ${personPairKept(sql`a.id`, sql`b.id`)}
      limit ${sqlLimit(MAX_PAIRS)}) nc
  union all
  select * from (
    select a.id, b.id, 'name_domain', a.domain, extensions.similarity(a.lname, b.lname)
      from sized a join sized b on b.domain = a.domain and a.id < b.id
      where a.dsize <= ${MAX_GROUP} and a.lname <> '' and extensions.similarity(a.lname, b.lname) > ${NAME_SIMILARITY}
        and (a.company_id is null or b.company_id is null or a.company_id <> b.company_id)
        and ${personPairKept(sql`a.id`, sql`b.id`)}
      limit ${sqlLimit(MAX_PAIRS)}) nd`;

const COMPANY_PAIRS = sql<PairRow>`
  select a.id as a, b.id as b, 'domain' as kind, a.domain::text as detail, null::real as similarity
    from public.companies a join public.companies b on b.domain = a.domain and a.id < b.id
    where a.archived_at is null and b.archived_at is null and ${companyPairKept(sql`a.id`, sql`b.id`)}
  union all
  select a.id, b.id, 'phone', a.phone, null::real
    from public.companies a join public.companies b on b.phone = a.phone and a.id < b.id
    where a.archived_at is null and b.archived_at is null and ${companyPairKept(sql`a.id`, sql`b.id`)}
  union all
  select * from (
    select a.id, b.id, 'name', null::text, extensions.similarity(lower(a.name), lower(b.name))
      from public.companies a join public.companies b
        on b.org_id = a.org_id and lower(b.name) operator(extensions.%) lower(a.name) and a.id < b.id and b.archived_at is null
      where a.archived_at is null and ${companyPairKept(sql`a.id`, sql`b.id`)}
      limit ${sqlLimit(MAX_PAIRS)}) n`;

// One record against the rest of the org. Under RLS only leakproof
// comparisons (text and uuid equality) can use an index, so phone and
// company are index lookups and everything else (emails, other phones, email
// domain) is one pass over the org's active people.
async function personMatches(tx: Tx, id: string): Promise<PairRow[]> {
  const target = (
    await sql<{ lname: string; company_id: string | null; emails: string[]; phones: string[]; domain: string | null }>`
      select lower(p.full_name) as lname, p.company_id,
             array(select lower(e) from unnest(array[p.email::text] || p.additional_emails::text[]) e where e is not null) as emails,
             array_remove(array[p.phone] || p.additional_phones, null) as phones,
             nullif(split_part(lower(p.email::text), '@', 2), '') as domain
      from public.people p where p.id = ${id}::uuid and p.archived_at is null`.execute(tx)
  ).rows[0];
  if (!target) return [];
  const candidates = await sql<{ id: string; emails: string[]; phones: string[]; company_id: string | null; domain: string | null; sim: number }>`
    with ids as (
      select p.id from public.people p
        where p.archived_at is null and p.phone is not null and p.phone = any (${target.phones}::text[])
      union (select p.id from public.people p where p.archived_at is null and p.company_id = ${target.company_id}::uuid
             limit ${sqlLimit(MAX_GROUP * 5)})
      union (select p.id from public.people p
               where p.archived_at is null
                 and (lower(p.email::text) = any (${target.emails}::text[])
                      or p.additional_emails::text[] && ${target.emails}::text[]
                      or p.additional_phones && ${target.phones}::text[]
                      or split_part(lower(p.email::text), '@', 2) = ${target.domain}::text)
             limit ${sqlLimit(MAX_GROUP * 5)})
    )
    select p.id, p.company_id, nullif(split_part(lower(p.email::text), '@', 2), '') as domain,
           array(select lower(e) from unnest(array[p.email::text] || p.additional_emails::text[]) e where e is not null) as emails,
           array_remove(array[p.phone] || p.additional_phones, null) as phones,
           extensions.similarity(lower(p.full_name), ${target.lname}::text) as sim
    from public.people p
    where p.id = any (array(select ids.id from ids)) and p.id <> ${id}::uuid
      and ${personPairKept(sql`least(p.id, ${id}::uuid)`, sql`greatest(p.id, ${id}::uuid)`)}`.execute(tx);

  const rows: PairRow[] = [];
  const similar = target.lname !== "";
  for (const c of candidates.rows) {
    const sim = Number(c.sim);
    const email = c.emails.find((e) => target.emails.includes(e));
    if (email) rows.push({ a: id, b: c.id, kind: "email", detail: email, similarity: null });
    const phone = c.phones.find((v) => target.phones.includes(v));
    if (phone) rows.push({ a: id, b: c.id, kind: "phone", detail: phone, similarity: null });
    const sameCompany = !!c.company_id && c.company_id === target.company_id;
    if (similar && sim > NAME_SIMILARITY && sameCompany) {
      rows.push({ a: id, b: c.id, kind: "name_company", detail: null, similarity: sim });
    } else if (similar && sim > NAME_SIMILARITY && !!c.domain && c.domain === target.domain) {
      rows.push({ a: id, b: c.id, kind: "name_domain", detail: c.domain, similarity: sim });
    }
  }
  return rows;
}

const COMPANY_MATCHES = (id: string) => sql<PairRow>`
  with t as (select c.id, lower(c.name) as lname, c.domain, c.phone from public.companies c where c.id = ${id}::uuid and c.archived_at is null)
  select t.id as a, c.id as b, 'domain' as kind, c.domain::text as detail, null::real as similarity
    from t join public.companies c on c.domain = t.domain and c.id <> t.id and c.archived_at is null
    where ${companyPairKept(sql`least(c.id, t.id)`, sql`greatest(c.id, t.id)`)}
  union all
  select t.id, c.id, 'phone', c.phone, null::real
    from t join public.companies c on c.phone = t.phone and c.id <> t.id and c.archived_at is null
    where ${companyPairKept(sql`least(c.id, t.id)`, sql`greatest(c.id, t.id)`)}
  union all
  select t.id, c.id, 'name', null::text, extensions.similarity(lower(c.name), t.lname)
    from t join public.companies c on lower(c.name) operator(extensions.%) t.lname and c.id <> t.id and c.archived_at is null
    where extensions.similarity(lower(c.name), t.lname) > ${NAME_SIMILARITY}
      and ${companyPairKept(sql`least(c.id, t.id)`, sql`greatest(c.id, t.id)`)}`;

async function pairRows(tx: Tx, q: RawBuilder<PairRow>): Promise<PairRow[]> {
  // The `%` operator compares against this threshold.
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(NAME_SIMILARITY)}, true)`.execute(tx);
  return (await q.execute(tx)).rows;
}

function group(rows: PairRow[]) {
  const byPair = new Map<string, { a: string; b: string; reasons: Reason[] }>();
  for (const r of rows) {
    const k = `${r.a}:${r.b}`;
    let g = byPair.get(k);
    if (!g) byPair.set(k, (g = { a: r.a, b: r.b, reasons: [] }));
    g.reasons.push({ kind: r.kind, detail: r.detail, similarity: r.similarity === null ? null : Number(r.similarity) });
  }
  return [...byPair.values()];
}

/**
 * Likely duplicates of one record, best first (the "Possible duplicates"
 * panel on a detail page). Empty for an archived or unknown record.
 */
export async function findDuplicatesOf(tx: Tx, type: DuplicateObject, id: string, opts: { limit?: number } = {}): Promise<DuplicateMatch[]> {
  const groups = group(type === "person" ? await personMatches(tx, id) : await pairRows(tx, COMPANY_MATCHES(id)));
  const records = await loadRecords(tx, type, groups.map((g) => g.b));
  return groups
    .flatMap((g) => {
      const record = records.get(g.b);
      return record ? [{ record, ...summarise(g.reasons) }] : [];
    })
    .sort((x, y) => y.score - x.score || x.record.name.localeCompare(y.record.name))
    .slice(0, opts.limit ?? 10);
}

/**
 * Likely duplicate pairs across the org, best first (the review page). The
 * older record of a pair comes first: it is the one suggested to keep.
 */
export async function findDuplicatePairs(tx: Tx, type: DuplicateObject, opts: { limit?: number } = {}): Promise<DuplicatePair[]> {
  const groups = group(await pairRows(tx, type === "person" ? PEOPLE_PAIRS : COMPANY_PAIRS));
  const scored = groups.map((g) => ({ ...g, ...summarise(g.reasons) })).sort((x, y) => y.score - x.score);
  const top = scored.slice(0, opts.limit ?? 100);
  const records = await loadRecords(tx, type, [...new Set(top.flatMap((g) => [g.a, g.b]))]);
  return top.flatMap((g) => {
    const a = records.get(g.a);
    const b = records.get(g.b);
    if (!a || !b) return [];
    const [first, second] = a.createdAt <= b.createdAt ? [a, b] : [b, a];
    return [{ a: first, b: second, score: g.score, reasons: g.reasons }];
  });
}
