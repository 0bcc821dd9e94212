// Pieces the deal, pipeline, task and note resources share: role checks the
// app's actions make before writing, list queries that accept the record's
// own field names, and the app schemas' field errors under the API's names.
import { z } from "zod";
import { validationFailed } from "@/lib/api/errors";
import { can, type Permission, type Role } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { detailsFromIssues, DomainError, isDomainError } from "@/lib/errors";
import type { ListQuery } from "@/modules/api/core/list";

export const forbidden = (message: string) => new DomainError("forbidden", message);

/**
 * Refuses what the key's member may not do, as the app's server actions do
 * before they write (the database refuses again; this answers with a reason).
 */
export function requirePermission(role: string, permission: Permission, message: string) {
  if (!can(role as Role, permission)) throw forbidden(message);
}

/**
 * The list query with the record's field names (`stage_id`, `owner_id`)
 * accepted in `f` and `sort` beside the list engine's keys (`stage`, `owner`),
 * so a field read from a response can be filtered on as it is named there.
 */
export function aliasListQuery(query: ListQuery, aliases: Record<string, string>): ListQuery {
  const rename = (field: string) => aliases[field] ?? field;
  const filters = query.f === undefined ? undefined : Array.isArray(query.f) ? query.f : [query.f];
  return {
    ...query,
    f: filters?.map((f) => {
      const colon = f.indexOf(":");
      return colon < 0 ? f : rename(f.slice(0, colon)) + f.slice(colon);
    }),
    sort: query.sort && (query.sort.startsWith("-") ? `-${rename(query.sort.slice(1))}` : rename(query.sort)),
  };
}

/** A service's refusal with its fields as the API names them (`custom.<key>` stays); anything else as it is. */
export function renamedFields(e: unknown, names: Record<string, string>): unknown {
  if (!isDomainError(e) || !e.details) return e;
  const details: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(e.details)) (details[names[k] ?? k] ??= []).push(...v);
  return new DomainError(e.code, e.message, { details, data: e.data, headers: e.headers });
}

/** An app schema's refusal as a 422 naming the API's fields. */
export function invalidAs(error: z.ZodError, names: Record<string, string>): DomainError {
  const details: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(detailsFromIssues(error.issues))) {
    const [head, ...rest] = k.split(".");
    const key = [names[head] ?? head, ...rest].join(".");
    (details[key] ??= []).push(...v);
  }
  return validationFailed(details);
}

/** Full rows of `ids`, in the order of `ids` (a list page's order). */
export async function rowsInOrder(
  tx: Tx,
  table: "deals" | "tasks" | "notes",
  ids: string[],
): Promise<Record<string, unknown>[]> {
  if (!ids.length) return [];
  const { rows } = await sql<Record<string, unknown> & { id: string }>`
    select * from ${sql.table(`public.${table}`)} where id = any(${ids}::uuid[])`.execute(tx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** `z.iso.datetime` with an offset: the form every timestamp in a response takes. */
export const timestamp = () => z.iso.datetime({ offset: true });
