// Turns list state into SQL that an object module composes into its own
// Kysely query. Values are always bound parameters; field names and ops are
// checked against the module's declared fields first, so user input never
// becomes SQL text.
//
//   const opts = { idRef: "p.id", pageSize: 50, userId: session.user.id };
//   const base = () => tx.selectFrom("people as p").leftJoin(...);
//   const rows = await applyListPlan(base().select([...]), fields, state, opts).execute();
//   const { rows: page, nextCursor } = pageFromRows(rows, opts);
//   const total = await countMatching(base(), fields, state, opts);
//
// Order is `<sort> <dir> NULLS LAST, <id> <dir>` (no NULLS LAST for fields
// declared notNull, so plain indexes serve them): the id makes it total, so
// keyset pagination (`after` = base64url JSON of [sortValue, id]) returns
// every row exactly once. Sort values travel as Postgres text, so timestamps
// keep their microseconds.

import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import { DomainError, isDomainError } from "@/lib/errors";
import { hasNul, isIsoDate } from "@/lib/validation";
import { currencyMinorDigits, normalizeCurrency } from "@/modules/crm/values/ui";
import { checkFilter, type FieldType, type ListFieldSql, ME, UUID_RE } from "./fields";
import { COUNT_CAP, type Filter, type ListIssue, type ListState } from "./state";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * Input a user can get wrong (bad filter, unknown sort, tampered cursor), as
 * the domain error: `invalid_cursor` when only the cursor is at fault, else
 * `invalid_query`; details per URL parameter, the cursor under the API's name
 * for it, `cursor` (the app's URL says `after`).
 */
export function listQueryError(issues: ListIssue[]): DomainError {
  const details: Record<string, string[]> = {};
  for (const i of issues) (details[i.param === "after" ? "cursor" : i.param] ??= []).push(i.message);
  const code = issues.every((i) => i.param === "after") ? "invalid_cursor" : "invalid_query";
  return new DomainError(code, issues.map((i) => i.message).join("; "), { details });
}

/** Whether `e` is the list engine's refusal of its input (listQueryError). */
export function isListQueryError(e: unknown): e is DomainError {
  return isDomainError(e) && (e.code === "invalid_query" || e.code === "invalid_cursor");
}

export interface ListPlanOptions {
  /** The row id column, e.g. "p.id": the unique tiebreaker and cursor half. */
  idRef: string;
  /** Rows per page, 1–200 (default 50). */
  pageSize?: number;
  /** Soft-delete column; default `<alias of idRef>.archived_at`; null when the object has none. */
  archivedRef?: string | null;
  /** The signed-in member, for user filters with the value "me". */
  userId?: string;
  /** The member's zone, from whose midnight to midnight a datetime filter's day runs; without one, the session's (UTC). */
  timeZone?: string;
}

/** The two helper columns applyListPlan adds (pageFromRows removes them). */
export interface ListCursorColumns {
  __sort: string | null;
  __id: string;
}

/** How a sort value is compared and bound. */
export type Kind = "numeric" | "date" | "timestamptz" | "boolean" | "text";

function kindOf(type: FieldType): Kind {
  switch (type) {
    case "number":
    case "money":
      return "numeric";
    case "date":
      return "date";
    case "datetime":
      return "timestamptz";
    case "checkbox":
      return "boolean";
    default:
      return "text";
  }
}

/**
 * A bound value cast in SQL. The parameter itself is always text: postgres.js
 * serialises a parameter by the type Postgres infers for it, and would turn
 * the string "true" into false for a boolean and round a timestamptz to
 * milliseconds through a JS Date.
 */
function typed(value: unknown, type: Kind | "uuid"): RawBuilder<unknown> {
  return sql`${value}::text::${sql.raw(type)}`;
}

/** `%`, `_` and the escape character itself match literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `text` holds `q`, ignoring case: what `text ILIKE '%q%'` tests (PostgreSQL
 * lower-cases both sides for it), written with strpos so that the planner
 * prices it sensibly. Under RLS the planner may not read a column's
 * statistics for LIKE (its function is not leakproof), so it prices a
 * pattern by its length alone: a seven-letter term counts as a handful of
 * rows, and a list then reads every match of the org and sorts them all
 * (0.9 s on 100,000 people for a term in every email). strpos is priced at a
 * third of the rows, so a list walks its sort index and stops once its page
 * is full; a term found nowhere still reads the org, as it did. `q` is
 * literal: no character in it is a wildcard.
 */
export function containsText(text: RawBuilder<unknown> | Expression<unknown>, q: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`strpos(lower((${text})::text), lower(${q}::text)) > 0`;
}

function pageSizeOf(opts: { pageSize?: number }): number {
  const n = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw listQueryError([{ param: "limit", message: `Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return n;
}

function archivedRefOf(opts: ListPlanOptions): string | null {
  if (opts.archivedRef !== undefined) return opts.archivedRef;
  const dot = opts.idRef.lastIndexOf(".");
  return dot < 0 ? "archived_at" : `${opts.idRef.slice(0, dot)}.archived_at`;
}

function fieldMap(fields: readonly ListFieldSql[]) {
  return new Map(fields.map((f) => [f.key, f]));
}

// Currencies whose minor unit is not the hundredth (JPY 0, BHD 3, …), from the
// runtime's ICU data, for the SQL that reads the org's currency.
let oddMinorDigits: [string, number][] | undefined;

/** Digits of `currency`'s minor unit as a SQL expression (2 unless listed). */
function minorDigitsSql(currency: RawBuilder<unknown>): RawBuilder<number> {
  oddMinorDigits ??= Intl.supportedValuesOf("currency")
    .map((c): [string, number] => [c, currencyMinorDigits(c)])
    .filter(([, d]) => d !== 2);
  return sql<number>`(case ${currency} ${sql.join(
    oddMinorDigits.map(([c, d]) => sql`when ${sql.lit(c)} then ${sql.lit(d)}`),
    sql` `,
  )} else 2 end)`;
}

/**
 * Minor units per major unit of the amounts typed into money filters: of the
 * currency the list is filtered to (`currency:eq:<code>`), else of the
 * caller's org's default currency (hundredths when there is no caller).
 */
function moneyScale(state: ListState): RawBuilder<unknown> {
  const named = state.filters.find((f) => f.field === "currency" && f.op === "eq" && typeof f.value === "string");
  const code = named ? normalizeCurrency(named.value as string) : null;
  if (code?.ok && code.value) return sql`${sql.lit(10 ** currencyMinorDigits(code.value))}::numeric`;
  const orgCurrency = sql`(select o.default_currency::text from public.orgs o where o.id = private.current_org_id())`;
  return sql`power(10::numeric, ${minorDigitsSql(orgCurrency)})`;
}

/** The SQL condition of one filter whose op and value were already checked. */
function filterSql(
  field: ListFieldSql,
  f: Filter,
  userId: string | undefined,
  moneyScaleOf: () => RawBuilder<unknown>,
  timeZone: string | undefined,
): Expression<SqlBool> {
  const { op } = f;
  let value = f.value;
  if (field.type === "user" && value !== undefined) {
    const resolve = (v: string) => {
      if (v !== ME) return v;
      if (!userId) throw listQueryError([{ param: "f", field: field.key, message: `${field.label}: "me" needs a signed-in member` }]);
      return userId;
    };
    value = Array.isArray(value) ? value.map(resolve) : resolve(value);
  }
  if (field.filter) return field.filter(op, value);

  const e = field.sql;
  const one = value as string;
  const many = Array.isArray(value) ? value : [];
  const type = field.type;

  switch (type) {
    case "text":
    case "url":
    case "email":
    case "phone": {
      if (op === "contains") return containsText(e, one ?? "");
      if (op === "not_contains") return sql<SqlBool>`(${e} is null or ${e} not ilike ${`%${escapeLike(one ?? "")}%`})`;
      if (op === "eq") return sql<SqlBool>`lower(${e}) = lower(${one}::text)`;
      if (op === "neq") return sql<SqlBool>`(${e} is null or lower(${e}) <> lower(${one}::text))`;
      if (op === "empty") return sql<SqlBool>`(${e} is null or ${e} = '')`;
      return sql<SqlBool>`(${e} is not null and ${e} <> '')`;
    }
    case "number":
    case "money": {
      // Money is stored in minor units; people type major units.
      const v = type === "money" ? sql`round(${typed(one, "numeric")} * ${moneyScaleOf()})` : sql`${typed(one, "numeric")}`;
      const cmp = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;
      if (op in cmp) return sql<SqlBool>`${e} ${sql.raw(cmp[op as keyof typeof cmp])} ${v}`;
      if (op === "neq") return sql<SqlBool>`${e} is distinct from ${v}`;
      if (op === "empty") return sql<SqlBool>`${e} is null`;
      return sql<SqlBool>`${e} is not null`;
    }
    case "date": {
      if (op === "eq") return sql<SqlBool>`${e} = ${typed(one, "date")}`;
      if (op === "before") return sql<SqlBool>`${e} < ${typed(one, "date")}`;
      if (op === "after") return sql<SqlBool>`${e} > ${typed(one, "date")}`;
      if (op === "empty") return sql<SqlBool>`${e} is null`;
      return sql<SqlBool>`${e} is not null`;
    }
    case "datetime": {
      if (op === "empty") return sql<SqlBool>`${e} is null`;
      if (op === "not_empty") return sql<SqlBool>`${e} is not null`;
      if (isIsoDate(one)) {
        // A day is the whole day, in the member's zone (else the database session's).
        const midnight = (day: RawBuilder<unknown>) =>
          timeZone ? sql`(${day})::timestamp at time zone ${timeZone}::text` : sql`(${day})::timestamptz`;
        const start = midnight(typed(one, "date"));
        const end = midnight(sql`${typed(one, "date")} + 1`);
        if (op === "eq") return sql<SqlBool>`(${e} >= ${start} and ${e} < ${end})`;
        if (op === "before") return sql<SqlBool>`${e} < ${start}`;
        return sql<SqlBool>`${e} >= ${end}`;
      }
      if (op === "eq") return sql<SqlBool>`${e} = ${typed(one, "timestamptz")}`;
      if (op === "before") return sql<SqlBool>`${e} < ${typed(one, "timestamptz")}`;
      return sql<SqlBool>`${e} > ${typed(one, "timestamptz")}`;
    }
    case "select": {
      const t = sql`(${e})::text`;
      const list = sql.join(many.map((v) => sql`${v}::text`));
      if (op === "eq") return sql<SqlBool>`${t} = ${one}::text`;
      if (op === "neq") return sql<SqlBool>`${t} is distinct from ${one}::text`;
      if (op === "in") return sql<SqlBool>`${t} in (${list})`;
      if (op === "not_in") return sql<SqlBool>`(${t} is null or ${t} not in (${list}))`;
      if (op === "empty") return sql<SqlBool>`(${t} is null or ${t} = '')`;
      return sql<SqlBool>`(${t} is not null and ${t} <> '')`;
    }
    case "multi_select":
    case "tags": {
      // A text[] column; fields stored otherwise bring their own `filter`.
      const arr = sql`array[${sql.join(many.map((v) => sql`${v}::text`))}]::text[]`;
      if (op === "in") return sql<SqlBool>`coalesce(${e} && ${arr}, false)`;
      if (op === "not_in") return sql<SqlBool>`not coalesce(${e} && ${arr}, false)`;
      if (op === "empty") return sql<SqlBool>`coalesce(cardinality(${e}), 0) = 0`;
      return sql<SqlBool>`coalesce(cardinality(${e}), 0) > 0`;
    }
    case "checkbox":
      return op === "is_true" ? sql<SqlBool>`${e} is true` : sql<SqlBool>`${e} is not true`;
    case "user":
    case "relation": {
      const list = sql.join(many.map((v) => sql`${typed(v, "uuid")}`));
      if (op === "eq") return sql<SqlBool>`${e} = ${typed(one, "uuid")}`;
      if (op === "neq") return sql<SqlBool>`${e} is distinct from ${typed(one, "uuid")}`;
      if (op === "in") return sql<SqlBool>`${e} in (${list})`;
      if (op === "not_in") return sql<SqlBool>`(${e} is null or ${e} not in (${list}))`;
      if (op === "empty") return sql<SqlBool>`${e} is null`;
      return sql<SqlBool>`${e} is not null`;
    }
  }
}

/**
 * The WHERE condition for the state's filters, quick search and archived
 * switch (no cursor). Throws listQueryError naming the field at fault.
 */
export function listWhere(fields: readonly ListFieldSql[], state: ListState, opts: ListPlanOptions): RawBuilder<SqlBool> {
  const byKey = fieldMap(fields);
  const issues: ListIssue[] = [];
  const parts: Expression<SqlBool>[] = [];

  for (const f of state.filters) {
    const field = byKey.get(f.field);
    if (!field) {
      issues.push({ param: "f", field: f.field, message: `Unknown field "${f.field}" in filter` });
      continue;
    }
    const problem = checkFilter(field, f);
    if (problem) issues.push({ param: "f", field: f.field, message: problem });
    else parts.push(filterSql(field, f, opts.userId, () => moneyScale(state), opts.timeZone));
  }
  if (issues.length) throw listQueryError(issues);

  const q = state.q?.trim();
  if (q) {
    const searchable = fields.filter((f) => f.searchable);
    if (searchable.length) {
      parts.push(sql<SqlBool>`(${sql.join(
        searchable.map((f) => containsText(f.sql, q)),
        sql` or `,
      )})`);
    }
  }

  const archivedRef = archivedRefOf(opts);
  if (archivedRef) {
    const col = sql.ref(archivedRef);
    parts.push(state.archived ? sql<SqlBool>`${col} is not null` : sql<SqlBool>`${col} is null`);
  }

  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`;
}

/** Applies filters, search and the archived switch (no order, no page): for counts, exports, "all matching" bulk actions. */
export function applyListFilters<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  fields: readonly ListFieldSql[],
  state: ListState,
  opts: ListPlanOptions,
): SelectQueryBuilder<DB, TB, O> {
  return qb.where(listWhere(fields, state, opts));
}

export function encodeCursor(sortValue: string | null, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id]), "utf8").toString("base64url");
}

const NUMERIC_TEXT_RE = /^-?\d+(\.\d+)?$/;
const TIMESTAMPTZ_TEXT_RE = /^\d{4,}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2}){0,2}|Z)?$/;

const badCursor = () =>
  listQueryError([{ param: "after", message: "The page link is invalid or out of date. Start again from the first page." }]);

/** [sortValue, id] from a cursor, each checked against the sort field's type so it can be bound safely. */
export function decodeCursor(cursor: string, kind: Kind = "text"): [string | null, string] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor();
  const [value, id] = parsed as unknown[];
  if (typeof id !== "string" || !UUID_RE.test(id)) throw badCursor();
  if (value === null) return [null, id];
  if (typeof value !== "string") throw badCursor();
  const fits =
    kind === "numeric"
      ? NUMERIC_TEXT_RE.test(value)
      : kind === "date"
        ? isIsoDate(value)
        : kind === "timestamptz"
          ? TIMESTAMPTZ_TEXT_RE.test(value) && isIsoDate(value.slice(0, 10))
          : kind === "boolean"
            ? value === "true" || value === "false"
            : !hasNul(value);
  if (!fits) throw badCursor();
  return [value, id];
}

function sortOf(fields: readonly ListFieldSql[], state: ListState) {
  const field = fieldMap(fields).get(state.sort.field);
  if (!field) throw listQueryError([{ param: "sort", field: state.sort.field, message: `Unknown field "${state.sort.field}" in sort` }]);
  if (!field.sortable) throw listQueryError([{ param: "sort", field: field.key, message: `${field.label} cannot be sorted on` }]);
  const kind = kindOf(field.type);
  const raw = field.sortSql ?? field.sql;
  // Text-like sorts compare as text so the cursor can always be bound as text
  // (a uuid owner id or an enum would otherwise need its own cast).
  const expr = kind === "text" ? sql`(${raw})::text` : raw;
  return { field, kind, expr };
}

/**
 * Filters, orders and limits `qb` for one page (pageSize + 1 rows, so
 * pageFromRows knows whether another page follows). Adds the helper columns
 * `__sort` and `__id`. Throws listQueryError for input the user got wrong.
 */
export function applyListPlan<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  fields: readonly ListFieldSql[],
  state: ListState,
  opts: ListPlanOptions,
): SelectQueryBuilder<DB, TB, O & ListCursorColumns> {
  const pageSize = pageSizeOf(opts);
  const { field, kind, expr } = sortOf(fields, state);
  const notNull = !!field.notNull;
  const id = sql.ref(opts.idRef);
  const dir = state.sort.dir;
  let out = applyListFilters(qb, fields, state, opts);

  if (state.after) {
    const [value, afterId] = decodeCursor(state.after, kind);
    const cmp = sql.raw(dir === "asc" ? ">" : "<");
    const after = sql<SqlBool>`(${expr}, ${id}) ${cmp} (${typed(value, kind)}, ${typed(afterId, "uuid")})`;
    if (notNull) {
      if (value === null) throw badCursor();
      out = out.where(after);
    } else {
      // NULLS LAST in both directions: non-null sort values come first, so a
      // non-null cursor continues among them and then the whole NULL tail.
      out = out.where(
        value === null
          ? sql<SqlBool>`(${expr} is null and ${id} ${cmp} ${typed(afterId, "uuid")})`
          : sql<SqlBool>`(${after} or ${expr} is null)`,
      );
    }
  }

  return out
    .select([sql<string | null>`(${expr})::text`.as("__sort"), sql<string>`(${id})::text`.as("__id")] as never)
    .orderBy(expr, (ob) => {
      const ordered = dir === "asc" ? ob.asc() : ob.desc();
      return notNull ? ordered : ordered.nullsLast();
    })
    .orderBy(id, dir)
    .limit(pageSize + 1) as unknown as SelectQueryBuilder<DB, TB, O & ListCursorColumns>;
}

/** One page of rows without the helper columns, and the cursor of the next page (null on the last). */
export function pageFromRows<R extends ListCursorColumns>(
  rows: R[],
  opts: { pageSize?: number },
): { rows: Omit<R, keyof ListCursorColumns>[]; nextCursor: string | null } {
  const pageSize = pageSizeOf(opts);
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const nextCursor = rows.length > pageSize && last ? encodeCursor(last.__sort, last.__id) : null;
  return {
    rows: page.map(({ __sort: _s, __id: _i, ...rest }) => rest),
    nextCursor,
  };
}

/**
 * How many rows match the state's filters, search and archived switch
 * (ignores the cursor), counted up to COUNT_CAP + 1: beyond the cap the list
 * says "1,000+" rather than scanning every match. The rows are walked in the
 * page's own order, so the count takes the page's index path (an unordered
 * count let the planner bitmap-scan the whole org first).
 */
export async function countMatching<DB, TB extends keyof DB, O>(
  db: { selectFrom: Kysely<DB>["selectFrom"] },
  qb: SelectQueryBuilder<DB, TB, O>,
  fields: readonly ListFieldSql[],
  state: ListState,
  opts: ListPlanOptions,
): Promise<number> {
  const { field, expr } = sortOf(fields, state);
  const dir = state.sort.dir;
  const matching = applyListFilters(qb, fields, state, opts)
    .clearSelect()
    .select(sql<number>`1`.as("one") as never)
    .orderBy(expr, (ob) => {
      const ordered = dir === "asc" ? ob.asc() : ob.desc();
      return field.notNull ? ordered : ordered.nullsLast();
    })
    .orderBy(sql.ref(opts.idRef), dir)
    .limit(COUNT_CAP + 1)
    .as("matching");
  const row = await (db as unknown as Kysely<Record<string, never>>)
    .selectFrom(matching as never)
    .select(sql<string>`count(*)`.as("count"))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
