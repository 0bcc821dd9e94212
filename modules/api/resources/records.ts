// The REST operations people and companies share: the two objects have the
// same life cycle (create, edit, archive, restore, delete) through services
// of the same shape, so one definition serves both and they cannot drift.

import { z } from "zod";
import { RawJson, recordNotFound } from "@/lib/api/errors";
import type { ApiFamily } from "@/lib/api/scopes";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/permissions";
import type { ApiKeyClaims, Tx } from "@/lib/db";
import { listQuerySchema, listStateFromQuery } from "@/modules/api/core/list";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import type { ListState } from "@/modules/crm/lists/ui";

export const idParams = z.object({ id: z.uuid() });

/** The member a key acts for, as the services know actors. */
export function actorOf(claims: ApiKeyClaims): Actor {
  return { userId: claims.sub, orgId: claims.org_id, role: claims.member_role as Role };
}

/** The fields a list request sorts or filters on. */
export function fieldsNamed(state: ListState): string[] {
  return [state.sort.field, ...state.filters.map((f) => f.field)];
}

/**
 * Whether a list request names a custom field. Most API pages do not; they
 * then plan with the built-in fields and skip reading the org's definitions.
 */
export function usesCustomFields(state: ListState): boolean {
  return fieldsNamed(state).some((f) => f.startsWith("custom."));
}

export interface RecordResourceSpec {
  object: "person" | "company";
  family: Extract<ApiFamily, "people" | "companies">;
  /** URL segment and word for many, e.g. "people". */
  path: string;
  /** Singular and plural names for operation ids and texts, e.g. Person / People. */
  one: string;
  many: string;
  createBody: z.ZodType;
  updateBody: z.ZodType;
  response: z.ZodType;
  /** One page in the list engine's order, each record as represent() JSON text, and the next page's cursor. */
  list(tx: Tx, state: ListState, opts: { pageSize: number; userId: string }): Promise<{ rows: { json: string }[]; nextCursor: string | null }>;
  /** One full row, or undefined when not visible (unknown id, other org). */
  load(tx: Tx, id: string): Promise<Record<string, unknown> | undefined>;
  create(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }>;
  update(tx: Tx, actor: Actor, id: string, input: unknown): Promise<void>;
  archive(tx: Tx, actor: Actor, ids: string[]): Promise<number>;
  restore(tx: Tx, actor: Actor, ids: string[]): Promise<number>;
  remove(tx: Tx, actor: Actor, ids: string[]): Promise<number>;
  /** Extra words for the list operation (fields to filter and sort on). */
  listDescription: string;
  createDescription: string;
}

export function recordOperations(spec: RecordResourceSpec) {
  const { object, family, path, one, many } = spec;
  const lower = one.toLowerCase();
  const read = `${family}:read` as const;
  const write = `${family}:write` as const;

  async function loadOne(tx: Tx, id: string) {
    const row = await spec.load(tx, id);
    if (!row) throw recordNotFound(one);
    return represent(object, row);
  }

  const list = defineOperation({
    id: `list${many}`,
    method: "get",
    path: `/${path}`,
    tag: many,
    summary: `List ${many.toLowerCase()}`,
    description: spec.listDescription,
    scope: read,
    query: listQuerySchema,
    response: z.object({ data: z.array(spec.response), next_cursor: z.string().nullable() }),
    async handle({ tx, query, actor }) {
      const state = listStateFromQuery(query);
      const page = await spec.list(tx, state, { pageSize: query.limit, userId: actor.userId });
      return new RawJson(`{"data":[${page.rows.map((r) => r.json).join(",")}],"next_cursor":${JSON.stringify(page.nextCursor)}}`);
    },
  });

  const get = defineOperation({
    id: `get${one}`,
    method: "get",
    path: `/${path}/{id}`,
    tag: many,
    summary: `Get a ${lower}`,
    scope: read,
    params: idParams,
    response: spec.response,
    handle: ({ tx, params }) => loadOne(tx, params.id),
  });

  const create = defineOperation({
    id: `create${one}`,
    method: "post",
    path: `/${path}`,
    tag: many,
    summary: `Create a ${lower}`,
    description: spec.createDescription,
    scope: write,
    body: spec.createBody,
    response: spec.response,
    status: 201,
    idempotent: true,
    async handle({ tx, claims, body }) {
      const { id } = await spec.create(tx, actorOf(claims), body);
      return loadOne(tx, id);
    },
  });

  const update = defineOperation({
    id: `update${one}`,
    method: "patch",
    path: `/${path}/{id}`,
    tag: many,
    summary: `Update a ${lower}`,
    description:
      "Changes only the fields sent; `null` clears a field. Custom values in `custom` merge into the stored ones (send a key with `null` to clear it).",
    scope: write,
    params: idParams,
    body: spec.updateBody,
    response: spec.response,
    async handle({ tx, claims, params, body }) {
      await spec.update(tx, actorOf(claims), params.id, body);
      return loadOne(tx, params.id);
    },
  });

  const archive = defineOperation({
    id: `archive${one}`,
    method: "post",
    path: `/${path}/{id}/archive`,
    tag: many,
    summary: `Archive a ${lower}`,
    description: `Hides the ${lower} from lists (see \`archived=1\`) until restored. Needs a key whose member is a manager, admin or owner. Archiving an archived ${lower} changes nothing.`,
    scope: write,
    params: idParams,
    response: spec.response,
    async handle({ tx, claims, params }) {
      await spec.archive(tx, actorOf(claims), [params.id]);
      return loadOne(tx, params.id);
    },
  });

  const restore = defineOperation({
    id: `restore${one}`,
    method: "post",
    path: `/${path}/{id}/restore`,
    tag: many,
    summary: `Restore an archived ${lower}`,
    description: "Needs a key whose member is a manager, admin or owner.",
    scope: write,
    params: idParams,
    response: spec.response,
    async handle({ tx, claims, params }) {
      await spec.restore(tx, actorOf(claims), [params.id]);
      return loadOne(tx, params.id);
    },
  });

  const remove = defineOperation({
    id: `delete${one}`,
    method: "delete",
    path: `/${path}/{id}`,
    tag: many,
    summary: `Delete a ${lower} for good`,
    description: "Cannot be undone; prefer archiving. Needs a key whose member is an admin or owner.",
    scope: write,
    params: idParams,
    status: 204,
    async handle({ tx, claims, params }) {
      await spec.remove(tx, actorOf(claims), [params.id]);
      return { status: 204, body: null };
    },
  });

  return { list, get, create, update, archive, restore, remove, all: [list, get, create, update, archive, restore, remove] as Operation[] };
}

const time = () => z.iso.datetime({ offset: true });

/** Response fields both objects have. */
export const recordResponseShape = {
  id: z.uuid(),
  created_at: time(),
  updated_at: time(),
  website: z.string().nullable(),
  linkedin_url: z.string().nullable(),
  address_line1: z.string().nullable(),
  address_line2: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string().nullable(),
  tags: z.array(z.string()),
  owner_id: z.uuid().nullable().describe("The member who owns the record"),
  last_contacted_at: time().nullable(),
  custom: z.record(z.string(), z.unknown()).describe("Custom field values by key"),
  archived_at: time().nullable(),
  created_by: z.uuid().nullable(),
};
