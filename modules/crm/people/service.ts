// Person writes. Each function runs inside the caller's transaction (one per
// request, as the signed-in member under RLS); the database adds the
// timeline entry, the domain event and the audit row in that same
// transaction. User-caused refusals throw DomainError.

import { sql, type Tx } from "@/lib/db";
import { isUniqueViolation, pgError } from "@/lib/db/errors";
import { conflict, type DomainError, invalidFields, invalidInput } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { customValuesSchema } from "@/modules/crm/custom-fields/ui";
import * as bulk from "@/modules/crm/records";
import { inlineError, inlineInput } from "@/modules/crm/records";
import { type Actor, asJsonb, defined, fromDbError, notFound, requireRole, withNormalizedState } from "@/modules/crm/records/ui";
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

/**
 * The custom values checked against the org's definitions, with issues at
 * `custom.<key>`; `undefined` when none were sent.
 */
async function parseCustom(tx: Tx, custom: unknown, mode: "create" | "update") {
  if (custom === undefined) return { data: undefined, issues: [] };
  const defs = await listCustomFieldDefs(tx, "person");
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

function columns(v: Partial<PersonValues>) {
  const { custom: _custom, ...rest } = v;
  return defined(rest);
}

export async function createPerson(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = await parseAll(tx, personCreateSchema, input, "create");
  const v = parsed.values;
  const custom = parsed.custom ?? {};
  if (v.email) await checkEmailFree(tx, v.email);
  return guarded(async () => {
    const row = await tx
      .insertInto("people")
      .values({
        ...columns(v),
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
  const parsed = await parseAll(tx, personUpdateSchema, input, "update");
  const existing = await tx.selectFrom("people").select(["id", "country", "archived_at"]).where("id", "=", id).executeTakeFirst();
  if (!existing) throw notFound("person");
  let v: Partial<PersonValues> = parsed.values;
  if (v.state !== undefined) {
    const issues: { path: PropertyKey[]; message: string }[] = [];
    v = withNormalizedState(v, v.country !== undefined ? v.country : existing.country, issues);
    if (issues.length) throw invalidInput(issues);
  }
  const custom = parsed.custom;
  if (v.email && !existing.archived_at) await checkEmailFree(tx, v.email, id);
  const set = columns(v);
  if (!Object.keys(set).length && !custom) return;
  await guarded(() =>
    tx
      .updateTable("people")
      .set({
        ...set,
        ...(custom ? { custom: sql`custom || ${asJsonb(custom)}` } : {}),
      } as never)
      .where("id", "=", id)
      .execute(),
  );
}

/** The person fields a list can edit in place, keyed by list field key. */
const INLINE_FIELDS: Record<string, keyof PersonValues> = {
  first_name: "first_name",
  last_name: "last_name",
  email: "email",
  phone: "phone",
  title: "title",
  company: "company_id",
  source: "source",
  city: "city",
  state: "state",
  country: "country",
  tags: "tags",
  owner: "owner_id",
  last_contacted_at: "last_contacted_at",
  linkedin_url: "linkedin_url",
  website: "website",
};

/** One cell of the list: `fieldKey` is the list field key (custom fields `custom.<key>`). */
export async function updatePersonField(tx: Tx, actor: Actor, id: string, fieldKey: string, value: string | null) {
  const input = inlineInput(fieldKey, value, INLINE_FIELDS);
  try {
    await updatePerson(tx, actor, id, input);
  } catch (e) {
    throw inlineError(e, fieldKey, INLINE_FIELDS);
  }
}

const NOUNS = { one: "person", many: "people" };
const ensureAllFound = (tx: Tx, ids: string[]) => bulk.ensureAllFound(tx, "people", NOUNS, ids);

export async function archivePeople(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.archive", "Only managers, admins and owners can archive people.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.setArchived(tx, "people", ids, true));
}

/**
 * Brings people back. Refused as a whole when one of them would share an
 * email with an active person, naming both.
 */
export async function restorePeople(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.archive", "Only managers, admins and owners can restore people.");
  await ensureAllFound(tx, ids);
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
  return guarded(() => bulk.setArchived(tx, "people", ids, false));
}

/** Deletes for good; their deals, notes and tasks stay, without the person. */
export async function deletePeople(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.delete", "Only admins and owners can delete people.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.deleteRecords(tx, "people", ids));
}

export async function assignPeople(tx: Tx, actor: Actor, ids: string[], userId: string | null): Promise<number> {
  requireRole(actor, "records.assign", "Only managers, admins and owners can reassign people.");
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.assignOwner(tx, "people", ids, userId));
}

/** Adds `tag` to each person that lacks it (ignoring case). */
export async function tagPeople(tx: Tx, _actor: Actor, ids: string[], tag: string): Promise<number> {
  await ensureAllFound(tx, ids);
  return guarded(() => bulk.addTag(tx, "people", ids, tag));
}
