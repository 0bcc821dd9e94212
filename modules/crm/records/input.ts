// Input pieces that people and companies share: text, address, owner and
// last-contacted fields, and the mapping of database refusals to messages
// that name the field.

import { z } from "zod";
import { sql } from "kysely";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { pgError } from "@/lib/db/errors";
import { DomainError, forbidden, invalidFields, notFound as missing } from "@/lib/errors";
import { isIsoDate, parseIsoDateTime, refuseNul, zString } from "@/lib/validation";
import { normalizeUsState, zLinkedIn, zTags, zUrl } from "@/modules/crm/values/ui";

export type { Actor };

export function notFound(what: string): DomainError {
  return missing(`That ${what} no longer exists or is not in your organization.`);
}

export function requireRole(actor: Actor, permission: "records.archive" | "records.delete" | "records.assign", message: string) {
  if (!can(actor.role, permission)) throw forbidden(message);
}

/** Free text: trimmed, blank → null, undefined left alone (an update keeps the field). */
export const zText = (label: string, max: number) =>
  zString(label, { error: `Enter ${label} as text` })
    .nullish()
    .transform((s) => (s == null ? s : s.trim() === "" ? null : s.trim()))
    .refine((s) => s == null || s.length <= max, `${label} is too long (${max} characters at most)`);

export const zId = (message: string) =>
  z
    .union([z.uuid(message), z.literal(""), z.null()])
    .optional()
    .transform((v) => (v === "" ? null : v));

/**
 * A last-contacted moment: an ISO time, or a calendar day. A day is stored at
 * 12:00 UTC so it reads as the same day in every time zone from UTC−11 to
 * UTC+11.
 */
export const zLastContacted = () =>
  z
    .union([z.string(), z.date(), z.null()], { error: "Enter a date, e.g. 2026-03-01" })
    .optional()
    .transform((v, ctx): Date | null | undefined => {
      if (v == null) return v;
      if (v instanceof Date) return v;
      const s = v.trim();
      if (s === "") return null;
      const d = isIsoDate(s) ? new Date(`${s}T12:00:00Z`) : parseIsoDateTime(s, { local: true });
      if (!d) {
        ctx.issues.push({ code: "custom", message: "Enter a date, e.g. 2026-03-01", input: v });
        return z.NEVER;
      }
      if (d.getTime() > Date.now() + 24 * 3600 * 1000) {
        ctx.issues.push({ code: "custom", message: "Last contacted can't be in the future", input: v });
        return z.NEVER;
      }
      return d;
    });

/** Custom values as sent; the org's definitions check them (see customValuesSchema). */
export const zCustom = () =>
  z
    .record(z.string(), z.unknown(), { error: "Custom fields must be an object" })
    .superRefine((v, ctx) => void refuseNul(v, ctx, "Custom field"))
    .optional();

export const addressShape = {
  address_line1: zText("Address", 200),
  address_line2: zText("Address line 2", 200),
  city: zText("City", 100),
  state: zText("State", 100),
  postal_code: zText("Postal code", 20),
  country: zText("Country", 100),
};

export const commonShape = {
  ...addressShape,
  website: zUrl(),
  linkedin_url: zLinkedIn(),
  tags: zTags(),
  owner_id: zId("Choose a member of your organization"),
  last_contacted_at: zLastContacted(),
  custom: zCustom(),
};

/**
 * A US address's state becomes its 2-letter code; elsewhere it stays as
 * typed. `country` is the record's country after the change. Adds an issue
 * at `state` when a US state is not recognised.
 */
export function withNormalizedState<T extends { state?: string | null }>(
  value: T,
  country: string | null | undefined,
  issues: { path: PropertyKey[]; message: string }[],
): T {
  if (value.state == null) return value;
  const r = normalizeUsState(value.state, country);
  if (!r.ok) {
    issues.push({ path: ["state"], message: r.message });
    return value;
  }
  return { ...value, state: r.value };
}

/** In a schema's refinement: the state normalised against `country`, with an issue at `state` when not recognised. */
export function normalizeState<T extends { state?: string | null }>(value: T, country: string | null | undefined, ctx: z.RefinementCtx): T {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  const out = withNormalizedState(value, country, issues);
  for (const i of issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
  return out;
}

/**
 * For a schema's transform: the state normalised against the input's own
 * country. Transforms do not run once any field failed, so schemas report a
 * bad state in their superRefine (stateIssue) together with the rest.
 */
export function stateTransform<T extends { state?: string | null; country?: string | null }>(v: T): T {
  if (v.state == null) return v;
  const r = normalizeUsState(v.state, v.country);
  return r.ok ? { ...v, state: r.value } : v;
}

/**
 * Runs a record schema's cross-field check even when a field already failed,
 * so the form shows every problem at once (the values it reads may then be
 * raw input, hence the type checks in stateIssue).
 */
export const ALWAYS = { when: () => true };

/** In a superRefine: an issue at `state` when it is not a US state and the country is the US (or blank). */
export function stateIssue(v: { state?: unknown; country?: unknown }, ctx: z.RefinementCtx) {
  if (typeof v.state !== "string") return;
  const country = typeof v.country === "string" ? v.country : null;
  const r = normalizeUsState(v.state, country);
  if (!r.ok) ctx.addIssue({ code: "custom", path: ["state"], message: r.message });
}

/**
 * A jsonb parameter. postgres.js would JSON-encode a string parameter it sees
 * as jsonb a second time, so the text goes through ::text first.
 */
export const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

/** Drops keys whose value is undefined (not sent), so an update touches only what was sent. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const CONSTRAINT_FIELDS: Record<string, string> = {
  owner_id: "owner_id",
  company_id: "company_id",
  email: "email",
  phone: "phone",
  website: "website",
  linkedin_url: "linkedin_url",
  domain: "domain",
  name: "name",
};

/**
 * A database refusal the input caused, as a DomainError naming the
 * field; anything else is returned as is (a bug or an outage, for the caller
 * to log). `labels` gives the words for the composite FKs.
 */
export function fromDbError(e: unknown, labels: { owner: string; company?: string } = { owner: "Owner" }): unknown {
  const err = pgError(e) as { code?: string; message?: string; hint?: string; constraint_name?: string } | null;
  if (!err) return e;
  const constraint = err.constraint_name ?? "";
  if (err.code === "23503") {
    if (constraint.includes("owner_id")) {
      return invalidFields({ owner_id: "Choose a member of your organization" }, `${labels.owner} must be a member of your organization.`);
    }
    if (constraint.includes("company_id") && labels.company) {
      return invalidFields({ company_id: "Choose a company from your organization" }, `${labels.company} was not found in your organization.`);
    }
    return e;
  }
  if ((err.code === "23514" || err.code === "42501") && err.hint) {
    return new DomainError(err.code === "42501" ? "forbidden" : "validation_failed", err.message ?? "The change was refused.", {
      details: { [err.hint]: [err.message ?? "Not allowed"] },
    });
  }
  if (err.code === "23514") {
    const column = Object.keys(CONSTRAINT_FIELDS).find((c) => constraint.includes(`_${c}_`));
    if (column) {
      return invalidFields({ [CONSTRAINT_FIELDS[column]]: "This value is not valid" });
    }
  }
  return e;
}

/** A selection of records for a bulk action, and what assigning or tagging it takes. */
export const idsSchema = z.object({
  ids: z.array(z.uuid("Not a valid record")).min(1, "Select at least one record").max(1000, "Select at most 1,000 records at a time"),
});
export const assignSchema = idsSchema.extend({ userId: zId("Choose a member of your organization") });
export const tagSchema = idsSchema.extend({
  tag: zString("Tag").trim().min(1, "Enter a tag").max(50, "A tag is at most 50 characters"),
});
export const recordIdSchema = z.object({ id: z.uuid("Not a valid record") });
