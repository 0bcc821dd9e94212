// Company writes. Each function runs inside the caller's transaction (one
// per request, as the signed-in member under RLS); the database adds the
// timeline entry, the domain event and the audit row in that same
// transaction. User-caused refusals throw DomainError.

import { sql, type Tx } from "@/lib/db";
import { DomainError, invalidInput } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { customValuesSchema } from "@/modules/crm/custom-fields/ui";
import * as bulk from "@/modules/crm/records";
import { inlineError, inlineInput } from "@/modules/crm/records";
import { type Actor, asJsonb, defined, fromDbError, notFound, requireRole, withNormalizedState } from "@/modules/crm/records/ui";
import { companyCreateSchema, companyUpdateSchema, type CompanyValues } from "./schema";

const LABELS = { owner: "Owner" };

/** Runs a write, turning database refusals the input caused into DomainError. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw fromDbError(e, LABELS);
  }
}

/**
 * The custom values checked against the org's definitions, with issues at
 * `custom.<key>`; `undefined` when none were sent.
 */
async function parseCustom(tx: Tx, custom: unknown, mode: "create" | "update") {
  if (custom === undefined) return { data: undefined, issues: [] };
  const defs = await listCustomFieldDefs(tx, "company");
  const parsed = customValuesSchema(defs, { mode }).safeParse(custom);
  if (parsed.success) return { data: parsed.data, issues: [] };
  return { data: undefined, issues: parsed.error.issues.map((i) => ({ ...i, path: ["custom", ...i.path] })) };
}

/** Parses built-in and custom fields together, so the form shows every problem at once. */
async function parseAll<T>(
  tx: Tx,
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
  mode: "create" | "update",
) {
  const parsed = schema.safeParse(input);
  const sent = (input as { custom?: unknown } | null)?.custom;
  const custom = await parseCustom(tx, mode === "create" ? (sent ?? {}) : sent, mode);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...custom.issues];
  if (!parsed.success || issues.length) throw invalidInput(issues);
  return { values: parsed.data, custom: custom.data };
}

function columns(v: Partial<CompanyValues>) {
  const { custom: _custom, ...rest } = v;
  return defined(rest);
}

export async function createCompany(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = await parseAll(tx, companyCreateSchema, input, "create");
  const v = parsed.values;
  const custom = parsed.custom ?? {};
  return guarded(async () => {
    const row = await tx
      .insertInto("companies")
      .values({
        ...columns(v),
        name: v.name!,
        org_id: actor.orgId,
        owner_id: v.owner_id === undefined ? actor.userId : v.owner_id,
        custom: asJsonb(custom),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  });
}

async function current(tx: Tx, id: string) {
  const row = await tx
    .selectFrom("companies")
    .select(["id", "country", "archived_at", "owner_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("company");
  return row;
}

/** Changes the fields that were sent; others stay. Custom values merge into the stored ones. */
export async function updateCompany(tx: Tx, _actor: Actor, id: string, input: unknown): Promise<void> {
  const parsed = await parseAll(tx, companyUpdateSchema, input, "update");
  const existing = await current(tx, id);
  let v: Partial<CompanyValues> = parsed.values;
  if (v.state !== undefined) {
    const issues: { path: PropertyKey[]; message: string }[] = [];
    v = withNormalizedState(v, v.country !== undefined ? v.country : existing.country, issues);
    if (issues.length) throw invalidInput(issues);
  }
  const custom = parsed.custom;
  const set = columns(v);
  if (!Object.keys(set).length && !custom) return;
  await guarded(() =>
    tx
      .updateTable("companies")
      .set({
        ...set,
        ...(custom ? { custom: sql`custom || ${asJsonb(custom)}` } : {}),
      } as never)
      .where("id", "=", id)
      .execute(),
  );
}

/** The company fields a list can edit in place, keyed by list field key. */
const INLINE_FIELDS: Record<string, keyof CompanyValues> = {
  name: "name",
  domain: "domain",
  website: "website",
  email: "email",
  phone: "phone",
  industry: "industry",
  employee_count: "employee_count",
  city: "city",
  state: "state",
  country: "country",
  tags: "tags",
  owner: "owner_id",
  last_contacted_at: "last_contacted_at",
  linkedin_url: "linkedin_url",
};

/** One cell of the list: `fieldKey` is the list field key (custom fields `custom.<key>`). */
export async function updateCompanyField(tx: Tx, actor: Actor, id: string, fieldKey: string, value: string | null) {
  const input = inlineInput(fieldKey, value, INLINE_FIELDS);
  try {
    await updateCompany(tx, actor, id, input);
  } catch (e) {
    throw inlineError(e, fieldKey, INLINE_FIELDS);
  }
}

const NOUNS = { one: "company", many: "companies" };
const ensureAllFound = (tx: Tx, ids: string[]) => bulk.ensureAllFound(tx, "companies", NOUNS, ids);

export async function archiveCompanies(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.archive", "Only managers, admins and owners can archive companies.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.setArchived(tx, "companies", ids, true));
}

export async function restoreCompanies(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.archive", "Only managers, admins and owners can restore companies.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.setArchived(tx, "companies", ids, false));
}

/** Deletes for good; their people and deals stay, without the company. */
export async function deleteCompanies(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.delete", "Only admins and owners can delete companies.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.deleteRecords(tx, "companies", ids));
}

export async function assignCompanies(tx: Tx, actor: Actor, ids: string[], userId: string | null): Promise<number> {
  requireRole(actor, "records.assign", "Only managers, admins and owners can reassign companies.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.assignOwner(tx, "companies", ids, userId));
}

/** Adds `tag` to each company that lacks it (ignoring case). */
export async function tagCompanies(tx: Tx, _actor: Actor, ids: string[], tag: string): Promise<number> {
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.addTag(tx, "companies", ids, tag));
}
