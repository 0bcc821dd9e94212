// Lead reads for the detail page, the API and the settings the lead UI
// offers (sources, statuses). Free of React/Next.

import { sql, type Tx } from "@/lib/db";

export interface LeadSource {
  key: string;
  label: string;
  builtIn: boolean;
  /** Kept by the leads that have it and in filters; not offered for others. */
  archived: boolean;
}

export interface LeadStatus {
  key: string;
  label: string;
  category: "open" | "won" | "lost";
  archived: boolean;
}

/** The org's lead sources in order: the active ones, or every one (for filters and badges). */
export async function listLeadSources(tx: Tx, options: { includeArchived?: boolean } = {}): Promise<LeadSource[]> {
  let q = tx.selectFrom("lead_sources").select(["key", "label", "built_in", "archived_at"]);
  if (!options.includeArchived) q = q.where("archived_at", "is", null);
  const rows = await q.orderBy(sql`archived_at is not null`).orderBy("position").orderBy("label").execute();
  return rows.map((r) => ({ key: r.key, label: r.label, builtIn: r.built_in, archived: r.archived_at !== null }));
}

/** The org's lead statuses in order: the active ones, or every one (for filters and badges). */
export async function listLeadStatuses(tx: Tx, options: { includeArchived?: boolean } = {}): Promise<LeadStatus[]> {
  let q = tx.selectFrom("lead_statuses").select(["key", "label", "category", "archived_at"]);
  if (!options.includeArchived) q = q.where("archived_at", "is", null);
  const rows = await q.orderBy(sql`archived_at is not null`).orderBy("position").orderBy("label").execute();
  return rows.map((r) => ({ key: r.key, label: r.label, category: r.category, archived: r.archived_at !== null }));
}

/** What a lead may be given: the active ones, and the one it has even when archived. */
export const offeredFor = <T extends { key: string; archived: boolean }>(all: T[], current?: string) =>
  all.filter((s) => !s.archived || s.key === current);

export interface LeadDetail {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  state: string | null;
  message: string | null;
  source: string;
  sourceLabel: string;
  status: string;
  statusLabel: string;
  statusCategory: "open" | "won" | "lost";
  ownerId: string | null;
  ownerName: string | null;
  utm: Record<string, string>;
  attribution: Record<string, string>;
  externalId: string | null;
  custom: Record<string, unknown>;
  person: { id: string; name: string } | null;
  company: { id: string; name: string } | null;
  deal: { id: string; name: string } | null;
  statusChangedAt: Date;
  lastContactedAt: Date | null;
  convertedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a lead is called wherever it is shown: its name, else its email, else its phone. */
export const leadName = (l: { full_name: string | null; email: string | null; phone: string | null }) =>
  l.full_name || l.email || l.phone || "Unnamed lead";

export async function getLead(tx: Tx, id: string): Promise<LeadDetail | null> {
  const r = await tx
    .selectFrom("leads as l")
    .leftJoin("lead_sources as src", (j) => j.onRef("src.org_id", "=", "l.org_id").onRef("src.key", "=", "l.source"))
    .innerJoin("lead_statuses as st", (j) => j.onRef("st.org_id", "=", "l.org_id").onRef("st.key", "=", "l.status"))
    .leftJoin("profiles as o", (j) => j.onRef("o.user_id", "=", "l.owner_id").onRef("o.org_id", "=", "l.org_id"))
    .leftJoin("people as p", "p.id", "l.person_id")
    .leftJoin("companies as c", "c.id", "l.company_id")
    .leftJoin("deals as d", "d.id", "l.deal_id")
    .select([
      "l.id", "l.first_name", "l.last_name", "l.full_name", sql<string | null>`l.email::text`.as("email"), "l.phone",
      "l.company_name", "l.state", "l.message", "l.source", "src.label as source_label", "l.status",
      "st.label as status_label", "st.category as status_category", "l.owner_id", "o.full_name as owner_name", "l.utm",
      "l.attribution", "l.external_id", "l.custom", "l.person_id", sql<string | null>`coalesce(nullif(p.full_name, ''), p.email::text)`.as("person_name"),
      "l.company_id", "c.name as company_name_linked", "l.deal_id", "d.name as deal_name", "l.status_changed_at",
      "l.last_contacted_at", "l.converted_at", "l.archived_at", "l.created_at", "l.updated_at",
    ])
    .where("l.id", "=", id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    name: leadName(r),
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    phone: r.phone,
    companyName: r.company_name,
    state: r.state,
    message: r.message,
    source: r.source,
    sourceLabel: r.source_label ?? r.source,
    status: r.status,
    statusLabel: r.status_label,
    statusCategory: r.status_category,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    utm: r.utm as Record<string, string>,
    attribution: r.attribution as Record<string, string>,
    externalId: r.external_id,
    custom: r.custom as Record<string, unknown>,
    person: r.person_id ? { id: r.person_id, name: r.person_name ?? "Person" } : null,
    company: r.company_id ? { id: r.company_id, name: r.company_name_linked ?? "Company" } : null,
    deal: r.deal_id ? { id: r.deal_id, name: r.deal_name ?? "Deal" } : null,
    statusChangedAt: r.status_changed_at,
    lastContactedAt: r.last_contacted_at,
    convertedAt: r.converted_at,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LeadStatusChange {
  from: string | null;
  fromLabel: string | null;
  to: string;
  toLabel: string;
  changedBy: string | null;
  changedAt: Date;
}

/** The lead's status changes, newest first. */
export async function leadStatusHistory(tx: Tx, leadId: string): Promise<LeadStatusChange[]> {
  const rows = await tx
    .selectFrom("lead_status_history as h")
    .leftJoin("lead_statuses as f", (j) => j.onRef("f.org_id", "=", "h.org_id").onRef("f.key", "=", "h.from_status"))
    .leftJoin("lead_statuses as t", (j) => j.onRef("t.org_id", "=", "h.org_id").onRef("t.key", "=", "h.to_status"))
    .leftJoin("profiles as u", (j) => j.onRef("u.user_id", "=", "h.changed_by").onRef("u.org_id", "=", "h.org_id"))
    .select(["h.from_status", "f.label as from_label", "h.to_status", "t.label as to_label", "u.full_name as changed_by",
             "h.changed_at"])
    .where("h.lead_id", "=", leadId)
    .orderBy("h.changed_at", "desc")
    .orderBy("h.id", "desc")
    .execute();
  return rows.map((r) => ({
    from: r.from_status,
    fromLabel: r.from_label ?? r.from_status,
    to: r.to_status,
    toLabel: r.to_label ?? r.to_status,
    changedBy: r.changed_by,
    changedAt: r.changed_at,
  }));
}
