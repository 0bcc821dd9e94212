// Person writes. Each function runs inside the caller's transaction (one per
// request, as the signed-in member under RLS); the database adds the
// timeline entry, the domain event and the audit row in that same
// transaction. User-caused refusals throw DomainError.

import { sql, type Tx } from "@/lib/db";
import { isUniqueViolation, pgError } from "@/lib/db/errors";
import { conflict, type DomainError, invalidFields, invalidInput } from "@/lib/errors";
import { bulkWrites, inlineUpdate, parseRecordInput, recordColumns, updateRecordRow } from "@/modules/crm/records";
import { type Actor, asJsonb, fromDbError, notFound, withNormalizedState } from "@/modules/crm/records/ui";
import { NAME_OR_EMAIL, personCreateSchema, personUpdateSchema, type PersonValues } from "./schema";

const LABELS = { owner: "Owner", company: "Company" };

/** A clash with the person already using an address; `existing` lets the form link to them. */
export function duplicateEmail(existing: { id: string; name: string }): DomainError {
  const message = `Email is already used by ${existing.name}`;
  return conflict(message, { details: { email: [message] }, data: { existing } });
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUniqueViolation(e)) {
      // Lost a race with another write of the same address since the check.
      throw conflict("Email is already used by another person", { details: { email: ["Email is already used by another person"] } });
    }
    const err = pgError(e) as { code?: string; constraint_name?: string } | null;
    if (err?.code === "23514" && err.constraint_name === "people_check") {
      throw invalidFields({ first_name: NAME_OR_EMAIL }, NAME_OR_EMAIL);
    }
    throw fromDbError(e, LABELS);
  }
}

/** Throws duplicateEmail when an active person other than `self` has `email`. */
async function checkEmailFree(tx: Tx, email: string, self?: string) {
  let q = tx
    .selectFrom("people")
    .select(["id", "full_name", sql<string>`email::text`.as("email")])
    .where(sql<boolean>`email operator(extensions.=) ${email}::extensions.citext`)
    .where("archived_at", "is", null);
  if (self) q = q.where("id", "<>", self);
  const other = await q.executeTakeFirst();
  if (other) throw duplicateEmail({ id: other.id, name: other.full_name || other.email });
}

export async function createPerson(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = await parseRecordInput(tx, "person", personCreateSchema, input, "create");
  const v = parsed.values;
  const custom = parsed.custom ?? {};
  if (v.email) await checkEmailFree(tx, v.email);
  return guarded(async () => {
    const row = await tx
      .insertInto("people")
      .values({
        ...recordColumns(v),
        org_id: actor.orgId,
        owner_id: v.owner_id === undefined ? actor.userId : v.owner_id,
        custom: asJsonb(custom),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  });
}

/** Changes the fields that were sent; others stay. Custom values merge into the stored ones. */
export async function updatePerson(tx: Tx, _actor: Actor, id: string, input: unknown): Promise<void> {
  const parsed = await parseRecordInput(tx, "person", personUpdateSchema, input, "update");
  const existing = await tx.selectFrom("people").select(["id", "country", "archived_at"]).where("id", "=", id).executeTakeFirst();
  if (!existing) throw notFound("person");
  let v: Partial<PersonValues> = parsed.values;
  if (v.state !== undefined) {
    const issues: { path: PropertyKey[]; message: string }[] = [];
    v = withNormalizedState(v, v.country !== undefined ? v.country : existing.country, issues);
    if (issues.length) throw invalidInput(issues);
  }
  if (v.email && !existing.archived_at) await checkEmailFree(tx, v.email, id);
  await guarded(() => updateRecordRow(tx, "people", id, recordColumns(v), parsed.custom));
}

/** The person fields a list or the person's page can edit in place, keyed by list field key. */
const INLINE_FIELDS: Record<string, keyof PersonValues> = {
  first_name: "first_name",
  last_name: "last_name",
  email: "email",
  phone: "phone",
  title: "title",
  company: "company_id",
  source: "source",
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
  website: "website",
};

/** One cell of the list: `fieldKey` is the list field key (custom fields `custom.<key>`). */
export const updatePersonField = inlineUpdate(updatePerson, INLINE_FIELDS);

const bulk = bulkWrites("people", { one: "person", many: "people" }, guarded);

export const archivePeople = bulk.archive;

/**
 * Brings people back. Refused as a whole when one of them would share an
 * email with an active person, naming both.
 */
export async function restorePeople(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  return bulk.restore(tx, actor, ids, async () => {
    const clash = await tx
      .selectFrom("people as r")
      .innerJoin("people as a", (j) => j.onRef("a.email", "=", "r.email").onRef("a.id", "<>", "r.id"))
      .select(["r.full_name as restoring", sql<string>`r.email::text`.as("email"), "a.full_name as holder"])
      .where("r.id", "in", ids)
      .where("r.archived_at", "is not", null)
      .where((eb) => eb.or([eb("a.archived_at", "is", null), eb("a.id", "in", ids)]))
      .executeTakeFirst();
    if (clash) {
      throw conflict(`${clash.restoring || clash.email} can't be restored: ${clash.email} is already used by ${clash.holder || clash.email}.`);
    }
  });
}

/** Deletes for good; their deals, notes and tasks stay, without the person. */
export const deletePeople = bulk.delete;
export const assignPeople = bulk.assign;
export const tagPeople = bulk.tag;
