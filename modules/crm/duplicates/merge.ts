// Merging two people or two companies: the side-by-side comparison the
// merge dialog shows, and the merge itself (public.merge_people /
// merge_companies in 20261201013000_custom_fields_merge.sql do the work in
// one transaction and check role and org again).

import { z } from "zod";
import type { SessionActor } from "@/lib/auth/actor";
import { can, type Role } from "@/lib/auth/permissions";
import { type Database, sql, type Tx } from "@/lib/db";
import { isUniqueViolation, pgError, pgHint } from "@/lib/db/errors";
import { conflict, DomainError, type ErrorCode, forbidden, invalidFields, parseInput } from "@/lib/errors";
import { formatCustomValue, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import type { DuplicateObject } from "./queries";

/** Merging is for managers and up (like archiving); the database checks the same. */
export const canMerge = (role: Role | null | undefined) => can(role, "records.archive");

interface FieldSpec {
  key: string;
  label: string;
  /** The column read for display when it differs from the stored one (a name for an id). */
  display?: string;
}

const PERSON_FIELDS: FieldSpec[] = [
  { key: "first_name", label: "First name" },
  { key: "last_name", label: "Last name" },
  { key: "email", label: "Email" },
  { key: "phone", label: "Phone" },
  { key: "title", label: "Title" },
  { key: "company_id", label: "Company", display: "company_name" },
  { key: "owner_id", label: "Owner", display: "owner_name" },
  { key: "linkedin_url", label: "LinkedIn" },
  { key: "website", label: "Website" },
  { key: "address_line1", label: "Address" },
  { key: "address_line2", label: "Address line 2" },
  { key: "city", label: "City" },
  { key: "state", label: "State" },
  { key: "postal_code", label: "Postal code" },
  { key: "country", label: "Country" },
  { key: "source", label: "Source" },
];

const COMPANY_FIELDS: FieldSpec[] = [
  { key: "name", label: "Name" },
  { key: "domain", label: "Domain" },
  { key: "website", label: "Website" },
  { key: "email", label: "Email" },
  { key: "phone", label: "Phone" },
  { key: "industry", label: "Industry" },
  { key: "employee_count", label: "Employees" },
  { key: "owner_id", label: "Owner", display: "owner_name" },
  { key: "linkedin_url", label: "LinkedIn" },
  { key: "description", label: "Description" },
  { key: "address_line1", label: "Address" },
  { key: "address_line2", label: "Address line 2" },
  { key: "city", label: "City" },
  { key: "state", label: "State" },
  { key: "postal_code", label: "Postal code" },
  { key: "country", label: "Country" },
];

export interface MergeSide {
  id: string;
  name: string;
  createdAt: string;
  /** Notes, tasks and deals that move with it. */
  counts: { notes: number; tasks: number; deals: number; people?: number };
  tags: string[];
  /** Additional emails and phones (people), kept on the survivor either way. */
  extras: string[];
}

export interface MergeField {
  /** Key in `fields` of the merge: a column or `custom.<key>`. */
  key: string;
  label: string;
  a: string;
  b: string;
  /** Both have a value and they differ: the dialog asks which to keep. */
  conflict: boolean;
}

export interface MergePreview {
  type: DuplicateObject;
  a: MergeSide;
  b: MergeSide;
  fields: MergeField[];
}

const show = (v: unknown) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v));

/** Both records side by side, or null when either is not (or no longer) there. */
export async function getMergePreview(tx: Tx, type: DuplicateObject, aId: string, bId: string): Promise<MergePreview | null> {
  const ids = [aId, bId];
  const rows =
    type === "person"
      ? await sql<Record<string, unknown>>`
          select p.*, coalesce(nullif(p.full_name, ''), p.email::text) as display_name, c.name as company_name,
                 coalesce(nullif(o.full_name, ''), o.email) as owner_name,
                 (select count(*)::int from public.notes n where n.person_id = p.id) as n_notes,
                 (select count(*)::int from public.tasks t where t.person_id = p.id) as n_tasks,
                 (select count(*)::int from public.deals d where d.person_id = p.id) as n_deals
          from public.people p
          left join public.companies c on c.id = p.company_id
          left join public.profiles o on o.user_id = p.owner_id
          where p.id = any(${ids}::uuid[])`.execute(tx)
      : await sql<Record<string, unknown>>`
          select c.*, c.name as display_name, coalesce(nullif(o.full_name, ''), o.email) as owner_name,
                 (select count(*)::int from public.notes n where n.company_id = c.id) as n_notes,
                 (select count(*)::int from public.tasks t where t.company_id = c.id) as n_tasks,
                 (select count(*)::int from public.deals d where d.company_id = c.id) as n_deals,
                 (select count(*)::int from public.people pe where pe.company_id = c.id) as n_people
          from public.companies c
          left join public.profiles o on o.user_id = c.owner_id
          where c.id = any(${ids}::uuid[])`.execute(tx);
  const a = rows.rows.find((r) => r.id === aId);
  const b = rows.rows.find((r) => r.id === bId);
  if (!a || !b || aId === bId) return null;

  const defs = await listCustomFieldDefs(tx, type);
  const fields: MergeField[] = [];
  for (const f of type === "person" ? PERSON_FIELDS : COMPANY_FIELDS) {
    const col = f.display ?? f.key;
    const av = show(a[col]);
    const bv = show(b[col]);
    const same = show(a[f.key]) === show(b[f.key]);
    if (av === "" && bv === "") continue;
    fields.push({ key: f.key, label: f.label, a: av, b: bv, conflict: !same && av !== "" && bv !== "" });
  }
  for (const d of defs) {
    const ac = (a.custom as Record<string, unknown>)?.[d.key];
    const bc = (b.custom as Record<string, unknown>)?.[d.key];
    const av = formatCustomValue(d, ac);
    const bv = formatCustomValue(d, bc);
    if (av === "" && bv === "") continue;
    fields.push({ key: `custom.${d.key}`, label: d.label, a: av, b: bv, conflict: JSON.stringify(ac) !== JSON.stringify(bc) && av !== "" && bv !== "" });
  }

  const side = (r: Record<string, unknown>): MergeSide => ({
    id: String(r.id),
    name: String(r.display_name ?? ""),
    createdAt: show(r.created_at),
    counts: {
      notes: Number(r.n_notes),
      tasks: Number(r.n_tasks),
      deals: Number(r.n_deals),
      ...(type === "company" ? { people: Number(r.n_people) } : {}),
    },
    tags: (r.tags as string[]) ?? [],
    extras: type === "person" ? [...((r.additional_emails as string[]) ?? []), ...((r.additional_phones as string[]) ?? [])] : [],
  });
  return { type, a: side(a), b: side(b), fields };
}

export const mergeSchema = z.object({
  type: z.enum(["person", "company"]),
  survivorId: z.uuid({ error: "Choose the record to keep" }),
  mergedId: z.uuid({ error: "Choose the record to merge into it" }),
  /** Per field key: which record's value to keep. Fields not named keep the survivor's, or fill its blanks. */
  fields: z.record(z.string().regex(/^(custom\.)?[a-z][a-z0-9_]*$/), z.enum(["survivor", "merged"])).default({}),
});
export type MergeInput = z.input<typeof mergeSchema>;

// What the merge functions refuse with (role, a gone record, a value the survivor cannot hold), by SQLSTATE.
const MERGE_REFUSALS: Record<string, ErrorCode> = { "42501": "forbidden", P0002: "not_found", "22023": "validation_failed", "23514": "validation_failed" };

/** Merges `mergedId` into `survivorId`; the merged record is deleted. */
export async function mergeRecords(db: Database, actor: SessionActor, input: unknown): Promise<{ survivorId: string }> {
  if (!canMerge(actor.role)) throw forbidden("Only managers, admins and owners can merge records.");
  const { type, survivorId, mergedId, fields } = parseInput(mergeSchema, input);
  if (survivorId === mergedId) throw invalidFields({ mergedId: "Choose another record" }, "Choose two different records to merge.");
  const fn = type === "person" ? sql`public.merge_people` : sql`public.merge_companies`;
  try {
    await db.asUser(actor.claims, (tx) =>
      sql`select ${fn}(${survivorId}::uuid, ${mergedId}::uuid, ${JSON.stringify(fields)}::text::jsonb)`.execute(tx),
    );
    return { survivorId };
  } catch (e) {
    const err = pgError(e);
    if (isUniqueViolation(e)) {
      throw conflict("Another active person already uses the email the merged record would keep. Keep the other email.", {
        details: { email: ["Already used by another person"] },
      });
    }
    const code = MERGE_REFUSALS[err?.code ?? ""];
    if (code && err?.message) {
      const hint = pgHint(e);
      throw new DomainError(code, err.message, hint?.startsWith("custom.") ? { details: { [hint]: [err.message] } } : {});
    }
    throw e;
  }
}
