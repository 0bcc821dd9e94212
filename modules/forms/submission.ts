// What a submission says, read against the form's fields: the values by
// field name, the field errors a visitor is shown, and the lead it makes.
// Pure: the endpoint (endpoint.ts) does the reading and the writing.
import type { ErrorDetails } from "@/lib/errors";
import type { ExternalLeadFields, Utm } from "@/modules/leads/edge";
import { type FormField, type LeadField, RESERVED } from "./schema";

const MAX_TEXT = 500;
const MAX_LONG_TEXT = 10_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A submission's body as name → text; a value that is not text (JSON only) is an error on its field. */
export type RawValues = Record<string, unknown>;

export interface ReadSubmission {
  /** The form's fields as submitted (trimmed; blanks left out). */
  data: Record<string, string>;
  errors: ErrorDetails;
  lead: ExternalLeadFields;
  custom: Record<string, string>;
}

const LEAD_KEYS: Record<LeadField, keyof ExternalLeadFields> = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  phone: "phone",
  company_name: "companyName",
  state: "state",
  message: "message",
};

const asText = (v: unknown): string | null =>
  typeof v === "string" ? v.trim() : typeof v === "number" || typeof v === "boolean" ? String(v) : v == null ? "" : null;

export function readSubmission(fields: FormField[], values: RawValues): ReadSubmission {
  const data: Record<string, string> = {};
  const errors: ErrorDetails = {};
  const lead: ExternalLeadFields = {};
  const custom: Record<string, string> = {};
  for (const f of fields) {
    const value = asText(values[f.name]);
    if (value === null) {
      errors[f.name] = [`${f.label}: must be text`];
      continue;
    }
    if (!value) {
      if (f.required) errors[f.name] = [`${f.label} is required`];
      continue;
    }
    data[f.name] = value;
    const max = f.type === "textarea" ? MAX_LONG_TEXT : MAX_TEXT;
    if (value.length > max) errors[f.name] = [`${f.label}: at most ${max} characters`];
    else if (f.type === "email" && !EMAIL.test(value)) errors[f.name] = [`${f.label}: enter an email address like name@example.com`];
    else if (f.type === "select" && !(f.options ?? []).includes(value)) errors[f.name] = [`${f.label}: choose one of the options`];
    if (errors[f.name] || !f.maps_to) continue;
    if (f.maps_to.startsWith("custom.")) custom[f.maps_to.slice("custom.".length)] = value;
    else lead[LEAD_KEYS[f.maps_to as LeadField]] = value;
  }
  return { data, errors, lead, custom };
}

/**
 * An error the lead's own checks raised (by lead column, `email`, or custom
 * field, `custom.budget`) as an error on the form field that fills it, so
 * the visitor sees it beside the right box.
 */
export function errorsOnFields(fields: FormField[], details: ErrorDetails): ErrorDetails {
  const out: ErrorDetails = {};
  for (const [key, messages] of Object.entries(details)) {
    const field = fields.find((f) => f.maps_to === key);
    const name = field?.name ?? "_";
    (out[name] ??= []).push(...messages.map((m) => (field ? `${field.label}: ${m.charAt(0).toLowerCase()}${m.slice(1)}` : m)));
  }
  return out;
}

/** UTM parameters from the submission's hidden fields, else from the page it came from. */
export function utmOf(values: RawValues, referrer: string | null): Utm {
  let fromPage: URLSearchParams | null = null;
  try {
    fromPage = referrer ? new URL(referrer).searchParams : null;
  } catch {
    fromPage = null;
  }
  const utm: Record<string, string> = {};
  for (const name of RESERVED.utm) {
    const own = asText(values[name]);
    const value = own || fromPage?.get(name)?.trim() || "";
    if (value) utm[name.slice("utm_".length)] = value.slice(0, 500);
  }
  return utm as Utm;
}
