import { sql, type Tx } from "@/lib/db";
import type { FormField, FormInput } from "./schema";

export interface FormCounts {
  accepted: number;
  spam: number;
  rejected: number;
}

export interface FormSummary extends FormCounts {
  id: string;
  name: string;
  key: string;
  enabled: boolean;
  created_at: Date;
  last_submission_at: Date | null;
}

/** The org's forms with how many submissions each accepted, caught as spam and rejected. */
export async function listForms(tx: Tx): Promise<FormSummary[]> {
  const rows = await tx
    .selectFrom("web_forms as f")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("web_form_submissions")
          .select((s) => [
            "form_id",
            sql<number>`count(*) filter (where outcome = 'accepted')::int`.as("accepted"),
            sql<number>`count(*) filter (where outcome = 'spam')::int`.as("spam"),
            sql<number>`count(*) filter (where outcome = 'rejected')::int`.as("rejected"),
            s.fn.max("created_at").as("last_submission_at"),
          ])
          .groupBy("form_id")
          .as("c"),
      (join) => join.onRef("c.form_id", "=", "f.id"),
    )
    .select(["f.id", "f.name", "f.key", "f.enabled", "f.created_at", "c.accepted", "c.spam", "c.rejected", "c.last_submission_at"])
    .orderBy("f.created_at")
    .execute();
  return rows.map((r) => ({
    ...r,
    accepted: r.accepted ?? 0,
    spam: r.spam ?? 0,
    rejected: r.rejected ?? 0,
    last_submission_at: r.last_submission_at ? new Date(r.last_submission_at) : null,
  }));
}

export interface FormDetail extends FormInput {
  id: string;
  key: string;
  counts: FormCounts;
}

export async function getForm(tx: Tx, id: string): Promise<FormDetail | null> {
  const row = await tx
    .selectFrom("web_forms")
    .select([
      "id", "key", "name", "fields", "allowed_origins", "thank_you_message", "redirect_url", "honeypot_field", "min_fill_seconds",
      "ip_rate_limit_per_minute", "rate_limit_per_minute", "turnstile_enabled", "enabled",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const counts = await tx
    .selectFrom("web_form_submissions")
    .select([
      sql<number>`count(*) filter (where outcome = 'accepted')::int`.as("accepted"),
      sql<number>`count(*) filter (where outcome = 'spam')::int`.as("spam"),
      sql<number>`count(*) filter (where outcome = 'rejected')::int`.as("rejected"),
    ])
    .where("form_id", "=", id)
    .executeTakeFirstOrThrow();
  return { ...row, fields: row.fields as unknown as FormField[], counts };
}

export interface SubmissionRow {
  id: string;
  created_at: Date;
  outcome: "accepted" | "spam" | "rejected";
  spam_reason: string | null;
  errors: Record<string, string[]> | null;
  data: Record<string, string>;
  utm: Record<string, string>;
  origin: string | null;
  lead_id: string | null;
}

export const SUBMISSIONS_SHOWN = 50;

/** The form's latest submissions, newest first. */
export async function listSubmissions(tx: Tx, formId: string): Promise<SubmissionRow[]> {
  const rows = await tx
    .selectFrom("web_form_submissions")
    .select(["id", "created_at", "outcome", "spam_reason", "errors", "data", "utm", "origin", "lead_id"])
    .where("form_id", "=", formId)
    .orderBy("id", "desc")
    .limit(SUBMISSIONS_SHOWN)
    .execute();
  return rows.map((r) => ({ ...r, id: String(r.id), created_at: new Date(r.created_at) }) as SubmissionRow);
}

/** The lead custom fields a form field may fill. */
export async function listLeadCustomFields(tx: Tx): Promise<{ key: string; label: string }[]> {
  return tx
    .selectFrom("custom_field_definitions")
    .select(["key", "label"])
    .where("object_type", "=", "lead")
    .where("archived_at", "is", null)
    .orderBy("position")
    .execute();
}
