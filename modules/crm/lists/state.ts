// The state of a record list (search, filters, sort, columns, page cursor,
// saved view, archived) and its URL form. The same query string drives the
// list pages, the CSV export route and the REST API, so a list link can be
// shared, reloaded, exported or replayed against the API unchanged:
//
//   ?q=acme&f=owner:eq:<uuid>&f=custom.budget:gt:1000&f=tags:in:vip,hot
//   &sort=-created_at&cols=name,email,owner&after=<cursor>&view=<uuid>&archived=1
//
// `f` repeats; each is `field:op:value`, split on the first two colons (so a
// value may itself contain colons). `in`/`not_in` values are comma-separated
// with each item encodeURIComponent'ed; other values are taken verbatim.
// `sort=name` is ascending, `sort=-name` descending.
//
// This file is client-safe: it knows nothing about which fields exist. The
// planner (query.ts) checks fields, ops and values against the object's fields.

import { z } from "zod";
import { zString } from "@/lib/validation";

/**
 * Lists count matching rows up to this many and show "1,000+" beyond it.
 * Counting visits every match up to the cap (and every row a filter
 * rejects on the way): with 100k rows in an org, a cap of 10,000 cost a
 * broad filter ~40–110 ms, ten times the page itself; 1,000 costs a few ms.
 */
export const COUNT_CAP = 1_000;

export const OPS = [
  "contains",
  "not_contains",
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "empty",
  "not_empty",
  "before",
  "after",
  "is_true",
  "is_false",
] as const;
export type Op = (typeof OPS)[number];

/** Ops whose value is a list. */
export const LIST_OPS: readonly Op[] = ["in", "not_in"];
/** Ops that take no value. */
export const VALUELESS_OPS: readonly Op[] = ["empty", "not_empty", "is_true", "is_false"];

export const FIELD_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const fieldKey = z.string().max(100, "Field name is too long").regex(FIELD_KEY_RE, "Not a valid field name");

export const MAX_FILTERS = 30;
export const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 500;
const filterValue = zString("Filter value").max(MAX_VALUE_LENGTH, "Filter value is too long");

export const filterSchema = z
  .object({
    field: fieldKey,
    op: z.enum(OPS, { error: "Unknown filter operator" }),
    value: z
      .union([filterValue, z.array(filterValue).max(MAX_VALUES, `At most ${MAX_VALUES} values`)])
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (VALUELESS_OPS.includes(f.op)) return;
    const list = LIST_OPS.includes(f.op);
    if (list && !Array.isArray(f.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `Filter on ${f.field}: "${f.op}" needs a list of values` });
    } else if (!list && typeof f.value !== "string") {
      ctx.addIssue({ code: "custom", path: ["value"], message: `Filter on ${f.field}: "${f.op}" needs a single value` });
    } else if (list ? (f.value as string[]).length === 0 : (f.value as string).trim() === "") {
      ctx.addIssue({ code: "custom", path: ["value"], message: `Filter on ${f.field}: enter a value` });
    }
  });
export type Filter = z.infer<typeof filterSchema>;

export const sortSchema = z.object({ field: fieldKey, dir: z.enum(["asc", "desc"]) });
export type Sort = z.infer<typeof sortSchema>;

export const DEFAULT_SORT: Sort = { field: "created_at", dir: "desc" };

export const listStateSchema = z.object({
  q: zString("Search").trim().max(200, "Search is too long").optional(),
  filters: z.array(filterSchema).max(MAX_FILTERS, `At most ${MAX_FILTERS} filters`),
  sort: sortSchema,
  columns: z.array(fieldKey).max(100).optional(),
  after: z.string().max(2000, "Page cursor is too long").optional(),
  view: z.uuid("Not a valid view id").optional(),
  archived: z.boolean().optional(),
});
export type ListState = z.infer<typeof listStateSchema>;

/** What a saved view stores: everything but the page cursor and the view itself. */
export const viewStateSchema = listStateSchema.omit({ after: true, view: true });
export type ViewState = z.infer<typeof viewStateSchema>;

/** One rejected piece of list input; `param` is the query parameter it came from. */
export interface ListIssue {
  param: "q" | "f" | "sort" | "cols" | "after" | "view" | "archived" | "limit";
  field?: string;
  message: string;
}

export type ParseListStateResult =
  | { ok: true; state: ListState }
  /** `state` keeps the valid pieces, so a page can still render while saying what was dropped. */
  | { ok: false; error: string; issues: ListIssue[]; state: ListState };

type ParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function getAll(params: ParamsInput, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function getOne(params: ParamsInput, key: string): string | undefined {
  const all = getAll(params, key);
  return all.length ? all[all.length - 1] : undefined;
}

function decodeItem(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** `field:op:value` → Filter, or a message saying what is wrong. */
export function parseFilterParam(raw: string): { filter: Filter } | { error: string; field?: string } {
  const first = raw.indexOf(":");
  const second = first < 0 ? -1 : raw.indexOf(":", first + 1);
  const field = first < 0 ? raw : raw.slice(0, first);
  const op = first < 0 ? "" : second < 0 ? raw.slice(first + 1) : raw.slice(first + 1, second);
  const rest = second < 0 ? undefined : raw.slice(second + 1);
  if (!FIELD_KEY_RE.test(field)) return { error: `Filter "${raw.slice(0, 60)}": not a valid field name` };
  if (!(OPS as readonly string[]).includes(op)) {
    return { error: `Filter on ${field}: unknown operator "${op.slice(0, 30)}"`, field };
  }
  let value: string | string[] | undefined;
  if (VALUELESS_OPS.includes(op as Op)) value = undefined;
  else if (LIST_OPS.includes(op as Op)) {
    const items = (rest ?? "").split(",").filter((s) => s !== "").map(decodeItem);
    if (items.some((i) => i === null)) return { error: `Filter on ${field}: a value is not correctly encoded`, field };
    value = items as string[];
  } else value = rest;
  const parsed = filterSchema.safeParse({ field, op, value });
  if (!parsed.success) return { error: parsed.error.issues[0].message, field };
  return { filter: parsed.data };
}

function formatFilterParam(f: Filter): string {
  if (VALUELESS_OPS.includes(f.op)) return `${f.field}:${f.op}`;
  const v = Array.isArray(f.value) ? f.value.map(encodeURIComponent).join(",") : (f.value ?? "");
  return `${f.field}:${f.op}:${v}`;
}

/**
 * Reads list state from a query string (URLSearchParams or Next's
 * `searchParams` object). Never throws: invalid pieces are dropped from
 * `state` and described in `issues`. Parameters it does not know (e.g. `ids`,
 * `limit`) are left for the caller.
 */
export function parseListState(params: ParamsInput, defaults: { sort?: Sort } = {}): ParseListStateResult {
  const issues: ListIssue[] = [];
  const state: ListState = { filters: [], sort: defaults.sort ?? DEFAULT_SORT };

  const q = getOne(params, "q");
  if (q !== undefined) {
    const parsed = listStateSchema.shape.q.safeParse(q);
    if (!parsed.success) issues.push({ param: "q", message: parsed.error.issues[0].message });
    else if (parsed.data) state.q = parsed.data;
  }

  const rawFilters = getAll(params, "f");
  if (rawFilters.length > MAX_FILTERS) issues.push({ param: "f", message: `At most ${MAX_FILTERS} filters` });
  for (const raw of rawFilters.slice(0, MAX_FILTERS)) {
    const r = parseFilterParam(raw);
    if ("filter" in r) state.filters.push(r.filter);
    else issues.push({ param: "f", field: r.field, message: r.error });
  }

  const sort = getOne(params, "sort");
  if (sort) {
    const desc = sort.startsWith("-");
    const field = desc ? sort.slice(1) : sort;
    if (FIELD_KEY_RE.test(field) && field.length <= 100) state.sort = { field, dir: desc ? "desc" : "asc" };
    else issues.push({ param: "sort", message: `Sort "${sort.slice(0, 60)}": not a valid field name` });
  }

  const cols = getOne(params, "cols");
  if (cols !== undefined) {
    const list = cols.split(",").filter(Boolean);
    const bad = list.find((c) => !FIELD_KEY_RE.test(c));
    if (bad !== undefined) issues.push({ param: "cols", message: `Column "${bad.slice(0, 60)}": not a valid field name` });
    else if (list.length > 100) issues.push({ param: "cols", message: "Too many columns" });
    else if (list.length) state.columns = list;
  }

  const after = getOne(params, "after");
  if (after) {
    if (after.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(after)) {
      issues.push({ param: "after", message: "The page link is invalid. Start again from the first page." });
    } else state.after = after;
  }

  const view = getOne(params, "view");
  if (view) {
    if (listStateSchema.shape.view.safeParse(view).success) state.view = view;
    else issues.push({ param: "view", message: "Not a valid view id" });
  }

  const archived = getOne(params, "archived");
  if (archived !== undefined && archived !== "" && archived !== "0") {
    if (archived === "1" || archived === "true") state.archived = true;
    else issues.push({ param: "archived", message: 'archived must be "1" or "0"' });
  }

  if (issues.length) return { ok: false, error: issues.map((i) => i.message).join("; "), issues, state };
  return { ok: true, state };
}

/**
 * The query string for `state`. Default sort is omitted only when `defaults`
 * says what the default is, so links stay short on the common path.
 */
export function serializeListState(state: Partial<ListState>, defaults: { sort?: Sort } = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const f of state.filters ?? []) p.append("f", formatFilterParam(f));
  const dflt = defaults.sort;
  if (state.sort && !(dflt && dflt.field === state.sort.field && dflt.dir === state.sort.dir)) {
    p.set("sort", `${state.sort.dir === "desc" ? "-" : ""}${state.sort.field}`);
  }
  if (state.columns?.length) p.set("cols", state.columns.join(","));
  if (state.after) p.set("after", state.after);
  if (state.view) p.set("view", state.view);
  if (state.archived) p.set("archived", "1");
  return p;
}

/** The state a saved view stores (no cursor, no view id). */
export function toViewState(state: ListState): ViewState {
  const { after: _after, view: _view, ...rest } = state;
  return viewStateSchema.parse(rest);
}

/** Whether two states show the same list (ignores cursor and view id). */
export function sameListState(a: Partial<ListState>, b: Partial<ListState>): boolean {
  const norm = (s: Partial<ListState>) => {
    const { after: _a, view: _v, ...rest } = s;
    return serializeListState(rest).toString();
  };
  return norm(a) === norm(b);
}

/** Whether the state filters or sorts on a custom field (so its query needs the custom field definitions first). */
export function readsCustomFields(state: Pick<ListState, "filters" | "sort">): boolean {
  return state.sort.field.startsWith("custom.") || state.filters.some((f) => f.field.startsWith("custom."));
}

/** Whether a filter names a day, which for a datetime field runs in the member's zone (ListPlanOptions.timeZone). */
export function filtersOnDays(state: Pick<ListState, "filters">): boolean {
  return state.filters.some((f) => typeof f.value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(f.value));
}
