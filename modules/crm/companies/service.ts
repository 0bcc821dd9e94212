// Company writes. Each function runs inside the caller's transaction (one
// per request, as the signed-in member under RLS); the database adds the
// timeline entry, the domain event and the audit row in that same
// transaction. User-caused refusals throw DomainError.

import type { Tx } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import { bulkWrites, inlineUpdate, parseRecordInput, recordColumns, updateRecordRow } from "@/modules/crm/records";
import { type Actor, asJsonb, fromDbError, notFound, withNormalizedState } from "@/modules/crm/records/ui";
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

export async function createCompany(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = await parseRecordInput(tx, "company", companyCreateSchema, input, "create");
  const v = parsed.values;
  const custom = parsed.custom ?? {};
  return guarded(async () => {
    const row = await tx
      .insertInto("companies")
      .values({
        ...recordColumns(v),
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
  const parsed = await parseRecordInput(tx, "company", companyUpdateSchema, input, "update");
  const existing = await current(tx, id);
  let v: Partial<CompanyValues> = parsed.values;
  if (v.state !== undefined) {
    const issues: { path: PropertyKey[]; message: string }[] = [];
    v = withNormalizedState(v, v.country !== undefined ? v.country : existing.country, issues);
    if (issues.length) throw invalidInput(issues);
  }
  await guarded(() => updateRecordRow(tx, "companies", id, recordColumns(v), parsed.custom));
}

/** The company fields a list or the company's page can edit in place, keyed by list field key. */
const INLINE_FIELDS: Record<string, keyof CompanyValues> = {
  name: "name",
  domain: "domain",
  website: "website",
  email: "email",
  phone: "phone",
  industry: "industry",
  employee_count: "employee_count",
  address_line1: "address_line1",
  address_line2: "address_line2",
  city: "city",
  postal_code: "postal_code",
  state: "state",
  country: "country",
  tags: "tags",
  owner: "owner_id",
  last_contacted_at: "last_contacted_at",
  linkedin_url: "linkedin_url",
};

/** One cell of the list: `fieldKey` is the list field key (custom fields `custom.<key>`). */
export const updateCompanyField = inlineUpdate(updateCompany, INLINE_FIELDS);

const bulk = bulkWrites("companies", { one: "company", many: "companies" }, guarded);

export const archiveCompanies = bulk.archive;
export const restoreCompanies = (tx: Tx, actor: Actor, ids: string[]) => bulk.restore(tx, actor, ids);
/** Deletes for good; their people and deals stay, without the company. */
export const deleteCompanies = bulk.delete;
export const assignCompanies = bulk.assign;
export const tagCompanies = bulk.tag;
