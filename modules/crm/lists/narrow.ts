// Narrows a list's text search through the word indexes before the list
// engine's own conditions run. Under RLS `ILIKE '%x%'` cannot use an index
// (LIKE is not leakproof), so a rare name would otherwise read every record
// of the org. public.list_search_ids (migration 20261201010000_search) returns the
// ids of the records whose words can hold each term (a superset), or NULL
// when a term narrows too little; the exact conditions still apply on top,
// so the rows are the same either way.

import type { RawBuilder } from "kysely";
import { sql, type Tx } from "@/lib/db";
import type { ListState } from "./state";

export type SearchKind = "person" | "company" | "deal";

/** A text the records must contain; `number`: a people search typed without letters (phone digits). */
export interface SearchTerm {
  text: string;
  number?: boolean;
}

/**
 * The `contains` and `eq` filters on `fields` (keys whose text the kind's
 * word index holds: people name and email, company name and domain, deal
 * name), as terms to narrow by.
 */
export function textFilterTerms(state: ListState, fields: readonly string[]): SearchTerm[] {
  return state.filters
    .filter((f) => fields.includes(f.field) && (f.op === "contains" || f.op === "eq") && typeof f.value === "string" && f.value.trim() !== "")
    .map((f) => ({ text: f.value as string }));
}

/**
 * Ids of the active records of `kind` that may match every term, or null
 * when none of the terms narrows the list (or it shows archived records,
 * which the word indexes do not hold).
 */
export async function searchCandidates(tx: Tx, kind: SearchKind, state: ListState, terms: SearchTerm[]): Promise<string[] | null> {
  if (state.archived || !terms.length) return null;
  const { rows } = await sql<Record<string, string[] | null>>`select ${sql.join(
    terms.map((t, i) => sql`public.list_search_ids(${kind}, ${t.text}, ${!!t.number}) as ${sql.ref(`c${i}`)}`),
  )}`.execute(tx);
  let ids: string[] | null = null;
  for (const found of Object.values(rows[0])) {
    if (!found) continue;
    if (!ids) ids = found;
    else {
      const keep = new Set(found);
      ids = ids.filter((id) => keep.has(id));
    }
  }
  return ids;
}

/**
 * `<idRef> in (<ids>)`, as a join on the primary key: with `= any(...)` the
 * planner would walk a list index and test each row.
 */
export function idIn(idRef: string, ids: string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(idRef)} in (select unnest(${ids}::uuid[]))`;
}
