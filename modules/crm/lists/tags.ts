// The org's tags offered while a tag filter is typed: a tag filter matches
// whole tags only, so "decision" finds nothing until the user knows the tag
// is "decision-maker".

import { z } from "zod";
import { sql, type Tx } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { zString } from "@/lib/validation";

const TAGGED_TYPES = ["person", "company", "deal"] as const;

/** The table holding each kind of record that carries tags. */
const TAGGED: Record<(typeof TAGGED_TYPES)[number], string> = { person: "people", company: "companies", deal: "deals" };

/** At most this many suggestions: a handful to pick from, not every tag. */
export const TAG_SUGGESTION_LIMIT = 10;

export const tagSuggestionSchema = z.object({
  objectType: z.enum(TAGGED_TYPES, { error: "This list has no tags" }),
  q: zString("Tag").max(100, "Tag is too long (100 characters at most)").default(""),
});

/**
 * The tags on the org's records of one kind (RLS keeps other orgs' out) that
 * hold `q`, case-insensitively: tags starting with it first, then the most
 * used, then by name. An empty `q` gives the most used tags.
 */
export async function suggestTags(tx: Tx, input: unknown): Promise<string[]> {
  const { objectType, q } = parseInput(tagSuggestionSchema, input);
  const needle = q.trim().toLowerCase();
  // strpos rather than ILIKE, so "%" and "_" in a tag are plain characters.
  const { rows } = await sql<{ tag: string }>`
    select t.tag
    from ${sql.table(TAGGED[objectType])} r cross join lateral unnest(r.tags) as t(tag)
    where strpos(lower(t.tag), ${needle}) > 0
    group by t.tag
    order by strpos(lower(t.tag), ${needle}) = 1 desc, count(*) desc, lower(t.tag), t.tag
    limit ${TAG_SUGGESTION_LIMIT}`.execute(tx);
  return rows.map((r) => r.tag);
}
