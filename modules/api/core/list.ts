import { z } from "zod";
import { listQueryError } from "@/modules/crm/lists";
import { type ListState, parseListState, type Sort } from "@/modules/crm/lists/ui";

const many = z.union([z.string(), z.array(z.string())]).optional();

/** Query parameters every list endpoint takes (the app's list URL form, plus cursor and limit). */
export const listQuerySchema = z.object({
  q: z.string().max(200).optional().describe("Search text"),
  f: many.describe("Filter `field:op:value`; repeat for several (all must match)"),
  sort: z.string().max(100).optional().describe("Sort field; `-field` for descending"),
  cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  archived: z.enum(["0", "1"]).optional().describe("`1` lists archived records instead of active ones"),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * The list engine's state from API query parameters; a bad filter or sort is
 * a 400 naming the parameter, a cursor that does not decode is invalid_cursor
 * (the engine's own refusal, listQueryError).
 */
export function listStateFromQuery(query: ListQuery, defaults: { sort?: Sort } = {}): ListState {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  for (const f of query.f === undefined ? [] : Array.isArray(query.f) ? query.f : [query.f]) params.append("f", f);
  if (query.sort) params.set("sort", query.sort);
  if (query.archived === "1") params.set("archived", "1");
  if (query.cursor) params.set("after", query.cursor);
  const parsed = parseListState(params, defaults);
  if (!parsed.ok) throw listQueryError(parsed.issues);
  return parsed.state;
}
