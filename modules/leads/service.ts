// Lead writes as the signed-in member (or API key), under RLS, inside the
// caller's transaction; the database adds the status history, timeline
// items, domain events and audit rows in that same transaction. User-caused
// refusals throw DomainError.

import { sql, type Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { conflict, invalidFields, invalidInput } from "@/lib/errors";
import { createCompany } from "@/modules/crm/companies";
import { createDeal } from "@/modules/crm/deals";
import type { DealInput } from "@/modules/crm/deals/ui";
import { createPerson } from "@/modules/crm/people";
import { inlineUpdate } from "@/modules/crm/records";
import { type Actor, asJsonb, defined, fromDbError, notFound, requireRole } from "@/modules/crm/records/ui";
import { normalizeCurrency, parseMoneyToMinor } from "@/modules/crm/values/ui";
import { convertLeadSchema, leadCreateSchema, leadUpdateSchema, leadUpsertSchema, NAME_EMAIL_OR_PHONE, type LeadValues } from "./schema";

const FK_FIELDS: Record<string, [string, string]> = {
  leads_org_id_source_fkey: ["source", "Choose one of your organization's lead sources"],
  leads_org_id_status_fkey: ["status", "Choose one of your organization's lead statuses"],
  leads_person_id_org_id_fkey: ["person_id", "Choose a person from your organization"],
  leads_company_id_org_id_fkey: ["company_id", "Choose a company from your organization"],
  leads_deal_id_org_id_fkey: ["deal_id", "Choose a deal from your organization"],
};

/** Database refusals the input caused, as DomainErrors naming the field. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = pgError(e) as { code?: string; constraint_name?: string } | null;
    const fk = err?.code === "23503" ? FK_FIELDS[err.constraint_name ?? ""] : undefined;
    if (fk) throw invalidFields({ [fk[0]]: fk[1] }, `${fk[1]}.`);
    if (err?.code === "23514" && err.constraint_name === "leads_contact_check") {
      throw invalidFields({ first_name: NAME_EMAIL_OR_PHONE }, NAME_EMAIL_OR_PHONE);
    }
    throw fromDbError(e, { owner: "Owner" });
  }
}

/** An active person with this email, else this phone: the one a lead is. */
export async function findPersonFor(tx: Tx, email: string | null, phone: string | null): Promise<string | null> {
  if (email) {
    const p = await tx
      .selectFrom("people")
      .select("id")
      .where("archived_at", "is", null)
      .where(sql<boolean>`(email operator(extensions.=) ${email}::extensions.citext
                           or ${email}::extensions.citext operator(extensions.=) any (additional_emails))`)
      .orderBy(sql`email operator(extensions.=) ${email}::extensions.citext`, "desc")
      .orderBy("created_at")
      .executeTakeFirst();
    if (p) return p.id;
  }
  if (phone) {
    const p = await tx
      .selectFrom("people")
      .select("id")
      .where("archived_at", "is", null)
      .where(sql<boolean>`(phone = ${phone} or ${phone} = any (additional_phones))`)
      .orderBy(sql`phone = ${phone}`, "desc")
      .orderBy("created_at")
      .executeTakeFirst();
    if (p) return p.id;
  }
  return null;
}

function columns(v: Partial<LeadValues>) {
  const { custom: _custom, utm, attribution, ...rest } = v;
  return {
    ...defined(rest),
    ...(utm !== undefined ? { utm: asJsonb(utm) } : {}),
    ...(attribution !== undefined ? { attribution: asJsonb(attribution) } : {}),
  };
}

/** A lead someone enters by hand (source manual unless named); linked to the person it already is. */
export async function createLead(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = leadCreateSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const v = parsed.data;
  const personId = await findPersonFor(tx, v.email ?? null, v.phone ?? null);
  return guarded(async () => {
    const row = await tx
      .insertInto("leads")
      .values({
        ...columns(v),
        org_id: actor.orgId,
        source: v.source ?? "manual",
        owner_id: v.owner_id === undefined ? actor.userId : v.owner_id,
        person_id: personId,
        custom: asJsonb(v.custom ?? {}),
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  });
}

/**
 * A lead another system knows by its own id (`external_id`): a new one is
 * created (`created`), the same source and id again updates that lead with
 * the fields sent. Concurrent sends of the same id make one lead.
 */
export async function upsertLead(tx: Tx, actor: Actor, input: unknown, defaultSource: string): Promise<{ id: string; created: boolean }> {
  const parsed = leadUpsertSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { external_id: externalId, ...v } = parsed.data;
  if (!externalId) return { ...(await createLead(tx, actor, { ...v, source: v.source ?? defaultSource })), created: true };
  const source = v.source ?? defaultSource;
  const personId = await findPersonFor(tx, v.email ?? null, v.phone ?? null);
  const inserted = await guarded(() =>
    tx
      .insertInto("leads")
      .values({
        ...columns(v),
        org_id: actor.orgId,
        source,
        external_id: externalId,
        owner_id: v.owner_id === undefined ? actor.userId : v.owner_id,
        person_id: personId,
        custom: asJsonb(v.custom ?? {}),
      } as never)
      .onConflict((oc) => oc.constraint("leads_external_key").doNothing())
      .returning("id")
      .executeTakeFirst(),
  );
  if (inserted) return { id: inserted.id, created: true };
  // Taken: by a lead committed before this statement, or by one whose insert this one waited for.
  const existing = await tx
    .selectFrom("leads")
    .select("id")
    .where("source", "=", source)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  const { source: _same, ...changes } = v;
  await updateLead(tx, actor, existing.id, changes);
  return { id: existing.id, created: false };
}

async function current(tx: Tx, id: string) {
  const row = await tx
    .selectFrom("leads")
    .select(["id", "converted_at", "archived_at", "person_id", "full_name", "first_name", "last_name", "email", "phone",
             "company_name", "state", "source", "owner_id", "company_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("lead");
  return row;
}

/** Changes the fields that were sent; others stay. Custom values merge into the stored ones. */
export async function updateLead(tx: Tx, _actor: Actor, id: string, input: unknown): Promise<void> {
  const parsed = leadUpdateSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  await current(tx, id);
  const set = columns(parsed.data);
  const custom = parsed.data.custom;
  if (!Object.keys(set).length && !custom) return;
  await guarded(() =>
    tx
      .updateTable("leads")
      .set({ ...set, ...(custom ? { custom: sql`custom || ${asJsonb(custom)}` } : {}) } as never)
      .where("id", "=", id)
      .execute(),
  );
}

/** The lead fields a list or the lead's page edits in place, keyed by list field key. */
const INLINE_FIELDS: Record<string, keyof LeadValues> = {
  first_name: "first_name",
  last_name: "last_name",
  email: "email",
  phone: "phone",
  company_name: "company_name",
  state: "state",
  message: "message",
  source: "source",
  status: "status",
  owner: "owner_id",
};

/** One cell of the list or one property of the lead's page (custom fields `custom.<key>`). */
export const updateLeadField = inlineUpdate(updateLead, INLINE_FIELDS);

async function ensureAllFound(tx: Tx, ids: string[]) {
  const found = await tx.selectFrom("leads").select("id").where("id", "in", ids).execute();
  if (found.length !== new Set(ids).size) {
    throw notFound(ids.length === 1 ? "lead" : "selection of leads (some no longer exist; reload the list)");
  }
}

/** Moves the leads to `status` (one history row each that changes); returns how many changed. */
export async function setLeadStatus(tx: Tx, _actor: Actor, ids: string[], status: string): Promise<number> {
  await ensureAllFound(tx, ids);
  const r = await guarded(() =>
    tx.updateTable("leads").set({ status }).where("id", "in", ids).where("status", "<>", status).executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

/** Gives the leads to `userId` (or nobody); returns how many changed hands. */
export async function assignLeads(tx: Tx, actor: Actor, ids: string[], userId: string | null): Promise<number> {
  requireRole(actor, "records.assign", "Only managers, admins and owners can reassign leads.");
  await ensureAllFound(tx, ids);
  const r = await guarded(() =>
    tx
      .updateTable("leads")
      .set({ owner_id: userId })
      .where("id", "in", ids)
      .where(sql<boolean>`owner_id is distinct from ${userId}::uuid`)
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

async function setArchived(tx: Tx, actor: Actor, ids: string[], archived: boolean): Promise<number> {
  requireRole(actor, "records.archive", `Only managers, admins and owners can ${archived ? "archive" : "restore"} leads.`);
  await ensureAllFound(tx, ids);
  const r = await guarded(() =>
    tx
      .updateTable("leads")
      .set({ archived_at: archived ? new Date() : null })
      .where("id", "in", ids)
      .where("archived_at", archived ? "is" : "is not", null)
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

export const archiveLeads = (tx: Tx, actor: Actor, ids: string[]) => setArchived(tx, actor, ids, true);
export const restoreLeads = (tx: Tx, actor: Actor, ids: string[]) => setArchived(tx, actor, ids, false);

/** Deletes for good; the person, company and deal a conversion made stay. */
export async function deleteLeads(tx: Tx, actor: Actor, ids: string[]): Promise<number> {
  requireRole(actor, "records.delete", "Only admins and owners can delete leads.");
  await ensureAllFound(tx, ids);
  const r = await tx.deleteFrom("leads").where("id", "in", ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Mailbox providers whose domain says nothing about the lead's company.
const FREE_MAIL = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "aol.com",
  "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "mail.com", "yandex.com",
  "zoho.com", "fastmail.com", "hey.com", "qq.com", "163.com",
]);

function companyDomain(email: string | null): string | null {
  const domain = email?.split("@")[1]?.toLowerCase();
  return domain && !FREE_MAIL.has(domain) ? domain : null;
}

async function findCompany(tx: Tx, name: string | null, domain: string | null): Promise<string | null> {
  if (name) {
    const c = await tx
      .selectFrom("companies")
      .select("id")
      .where("archived_at", "is", null)
      .where(sql<boolean>`lower(name) = lower(${name})`)
      .orderBy("created_at")
      .executeTakeFirst();
    if (c) return c.id;
  }
  if (domain) {
    const c = await tx
      .selectFrom("companies")
      .select("id")
      .where("archived_at", "is", null)
      .where(sql<boolean>`domain operator(extensions.=) ${domain}::extensions.citext`)
      .orderBy("created_at")
      .executeTakeFirst();
    if (c) return c.id;
  }
  return null;
}

async function dealFor(
  tx: Tx,
  deal: NonNullable<ReturnType<typeof convertLeadSchema.parse>["deal"]>,
  fallbackName: string,
): Promise<Omit<DealInput, "ownerId" | "companyId" | "personId">> {
  const stages = await tx
    .selectFrom("pipeline_stages")
    .select(["id", "is_won", "is_lost"])
    .where("pipeline_id", "=", deal.pipelineId)
    .orderBy("position")
    .execute();
  if (!stages.length) throw invalidFields({ "deal.pipelineId": "Choose a pipeline of your organization" }, "That pipeline was not found.");
  const stageId = deal.stageId ?? stages.find((s) => !s.is_won && !s.is_lost)?.id ?? stages[0].id;
  if (!stages.some((s) => s.id === stageId)) throw invalidFields({ "deal.stageId": "Choose a stage of that pipeline" });
  const cur = normalizeCurrency(deal.currency ?? "");
  if (!cur.ok) throw invalidFields({ "deal.currency": cur.message });
  const org = await tx.selectFrom("orgs").select("default_currency").executeTakeFirst();
  const currency = cur.value ?? (org?.default_currency?.trim() || "USD");
  const money = parseMoneyToMinor(deal.value ?? "", currency);
  if (!money.ok) throw invalidFields({ "deal.value": money.message });
  return {
    name: deal.name ?? fallbackName,
    pipelineId: deal.pipelineId,
    stageId,
    valueMinor: money.value ?? 0,
    currency,
    expectedCloseDate: null,
    tags: [],
    custom: {},
  };
}

export interface Conversion {
  personId: string;
  companyId: string | null;
  dealId: string | null;
  personCreated: boolean;
  companyCreated: boolean;
}

/**
 * Turns the lead into a customer in one transaction: the person it is (its
 * linked person, else the active person with its email, then its phone, else
 * a new one: never a second person for an email), their company (chosen, the
 * person's, one with the lead's company name or email domain, else a new one
 * when the lead names a company), and a deal when a pipeline is chosen. The
 * lead is marked converted and linked to all three; the database writes
 * lead.converted and a timeline item the person, company and deal show too.
 * Any refusal on the way leaves nothing written (the caller's transaction
 * rolls back).
 */
export async function convertLead(tx: Tx, actor: Actor, id: string, input: unknown): Promise<Conversion> {
  const parsed = convertLeadSchema.safeParse(input ?? {});
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const opts = parsed.data;
  // Locked, so two conversions of one lead cannot both go ahead.
  const lead = await tx
    .selectFrom("leads")
    .select(["id", "converted_at", "archived_at", "person_id", "full_name", "first_name", "last_name",
             sql<string | null>`email::text`.as("email"), "phone", "company_name", "state", "source", "owner_id"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!lead) throw notFound("lead");
  if (lead.converted_at) throw conflict("This lead is already converted.");
  if (lead.archived_at) throw conflict("Restore the lead before converting it.");

  let personId = lead.person_id ?? (await findPersonFor(tx, lead.email, lead.phone));
  const personCreated = !personId;
  if (!personId) {
    const source = await tx.selectFrom("lead_sources").select("label").where("key", "=", lead.source).executeTakeFirst();
    personId = (
      await createPerson(tx, actor, {
        first_name: lead.first_name,
        last_name: lead.last_name,
        email: lead.email,
        phone: lead.phone,
        state: lead.state,
        source: source?.label ?? lead.source,
        owner_id: lead.owner_id,
      })
    ).id;
  }
  const person = await tx.selectFrom("people").select(["company_id", "full_name"]).where("id", "=", personId).executeTakeFirstOrThrow();

  let companyId = opts.companyId ?? null;
  let companyCreated = false;
  if (companyId) {
    const c = await tx.selectFrom("companies").select("id").where("id", "=", companyId).executeTakeFirst();
    if (!c) throw invalidFields({ companyId: "Choose a company from your organization" });
  } else {
    const domain = companyDomain(lead.email);
    companyId = person.company_id ?? (await findCompany(tx, lead.company_name, domain));
    if (!companyId && lead.company_name) {
      companyId = (await createCompany(tx, actor, { name: lead.company_name, domain, owner_id: lead.owner_id })).id;
      companyCreated = true;
    }
  }
  if (companyId && !person.company_id) {
    await tx.updateTable("people").set({ company_id: companyId }).where("id", "=", personId).execute();
  }

  let dealId: string | null = null;
  if (opts.deal) {
    const fallbackName = lead.company_name || lead.full_name || person.full_name || "New deal";
    const deal = await dealFor(tx, opts.deal, fallbackName);
    dealId = (await createDeal(tx, actor, { ...deal, ownerId: lead.owner_id ?? actor.userId, companyId, personId })).id;
  }

  await guarded(() =>
    tx
      .updateTable("leads")
      .set({ converted_at: new Date(), person_id: personId, company_id: companyId, deal_id: dealId })
      .where("id", "=", id)
      .execute(),
  );
  return { personId, companyId, dealId, personCreated, companyCreated };
}

