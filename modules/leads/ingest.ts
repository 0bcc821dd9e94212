// Leads arriving from outside (Meta lead ads, web forms, texts, calls): one
// function every ingest path calls, from Edge Functions (Deno) and jobs as
// well as from Node, so it is web-standard TypeScript on a postgres.js
// connection acting as service_role, inside the caller's transaction.
//
// Providers deliver at least once (Meta retries for a day), so a lead is
// keyed by (org, source, external id) and written with INSERT … ON CONFLICT:
// the same lead delivered twice, concurrently or a day apart, is one row,
// and only its first delivery is `created` (and emits lead.created, from the
// table's trigger). Nothing here is logged: leads are PII.
import { DomainError, type ErrorDetails } from "../../lib/errors.ts";
import { normalizeEmail, normalizePhone, normalizeUsState } from "../crm/values/edge.ts";

/** The part of a postgres.js `sql` (or transaction) this uses; it must act as service_role. */
export interface SqlClient {
  // deno-lint-ignore no-explicit-any
  unsafe(query: string, params?: any[]): PromiseLike<readonly Record<string, any>[]>;
}

export const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;
export const ATTRIBUTION_KEYS = ["ad_id", "adgroup_id", "campaign_id", "form_id", "page_id"] as const;

export type Utm = Partial<Record<(typeof UTM_KEYS)[number], string>>;
export type Attribution = Partial<Record<(typeof ATTRIBUTION_KEYS)[number], string>>;

export interface ExternalLeadFields {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  state?: string | null;
  message?: string | null;
}

export interface ExternalLead {
  orgId: string;
  /** A key of the org's lead sources: web_form, meta, sms, twilio_call, api, import, manual or its own. */
  source: string;
  /** The provider's id for the lead; without it every call makes a new lead. */
  externalId?: string | null;
  fields: ExternalLeadFields;
  utm?: Utm | null;
  attribution?: Attribution | null;
  /** What the provider sent, kept as it came. */
  raw: unknown;
  /** Custom field values by key, checked against the org's lead custom fields. */
  custom?: Record<string, unknown> | null;
}

const LIMITS = { firstName: 100, lastName: 100, companyName: 200, state: 100, message: 10000 } as const;
const COLUMN = {
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  phone: "phone",
  companyName: "company_name",
  state: "state",
  message: "message",
} as const;

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Only the known keys, as trimmed text; blanks dropped. */
function pick(value: Record<string, unknown> | null | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = value?.[k];
    const s = typeof v === "number" ? String(v) : text(v);
    if (s) out[k] = s.slice(0, 500);
  }
  return out;
}

export interface NormalizedLead {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company_name: string | null;
  state: string | null;
  message: string | null;
}

/**
 * The lead's fields as stored: email and phone (E.164) and a US state code
 * normalised as people's are. A value that cannot be stored is refused with
 * the field named (`DomainError` validation_failed), so a form can say which.
 */
export function normalizeLeadFields(fields: ExternalLeadFields): NormalizedLead {
  const details: ErrorDetails = {};
  const out = {} as NormalizedLead;
  for (const key of Object.keys(COLUMN) as (keyof typeof COLUMN)[]) {
    const raw = fields[key];
    if (raw != null && typeof raw !== "string") {
      details[COLUMN[key]] = ["Must be text"];
      continue;
    }
    let value = text(raw);
    if (value && key === "email") {
      const r = normalizeEmail(value);
      if (!r.ok) details.email = [r.message];
      value = r.ok ? r.value : null;
    } else if (value && key === "phone") {
      const r = normalizePhone(value);
      if (!r.ok) details.phone = [r.message];
      value = r.ok ? r.value : null;
    } else if (value && key === "state") {
      const r = normalizeUsState(value);
      // A region outside the US is kept as given; only a US-looking one is coded.
      value = r.ok ? r.value : value;
    }
    const limit = LIMITS[key as keyof typeof LIMITS];
    if (value && limit && value.length > limit) details[COLUMN[key]] = [`At most ${limit} characters`];
    out[COLUMN[key]] = value;
  }
  if (!out.first_name && !out.last_name && !out.email && !out.phone && !Object.keys(details).length) {
    details.email = ["A lead needs a name, an email address or a phone number"];
  }
  if (Object.keys(details).length) {
    throw new DomainError("validation_failed", "The lead's fields are not valid.", { details });
  }
  return out;
}

/** The active person with this email (then this phone), to link rather than duplicate. */
const FIND = `
  select
    exists (select 1 from public.lead_sources s where s.org_id = $1 and s.key = $2 and s.archived_at is null) as source_ok,
    coalesce(
      (select p.id from public.people p
       where p.org_id = $1 and p.archived_at is null and $3::text is not null
         and (p.email operator(extensions.=) $3::extensions.citext
              or $3::extensions.citext operator(extensions.=) any (p.additional_emails))
       order by (p.email operator(extensions.=) $3::extensions.citext) desc, p.created_at
       limit 1),
      (select p.id from public.people p
       where p.org_id = $1 and p.archived_at is null and $4::text is not null
         and (p.phone = $4 or $4 = any (p.additional_phones))
       order by (p.phone = $4) desc, p.created_at
       limit 1)
    ) as person_id`;

const INSERT = `
  insert into public.leads (org_id, source, external_id, first_name, last_name, email, phone, company_name, state,
                            message, utm, attribution, raw, custom, person_id)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12::text::jsonb, $13::text::jsonb,
          $14::text::jsonb, $15)
  on conflict (org_id, source, external_id) do nothing
  returning id`;

// A delivery of a lead already here fills what the first one lacked and
// never overwrites what the team has since edited.
const FILL = `
  update public.leads l set
    first_name = coalesce(l.first_name, $2), last_name = coalesce(l.last_name, $3),
    email = coalesce(l.email, $4::extensions.citext), phone = coalesce(l.phone, $5),
    company_name = coalesce(l.company_name, $6), state = coalesce(l.state, $7), message = coalesce(l.message, $8),
    utm = $9::text::jsonb || l.utm, attribution = $10::text::jsonb || l.attribution,
    custom = $11::text::jsonb || l.custom, person_id = coalesce(l.person_id, $12), raw = coalesce(l.raw, $13::text::jsonb)
  where l.id = $1
    and (l.first_name, l.last_name, l.email::text, l.phone, l.company_name, l.state, l.message, l.utm, l.attribution,
         l.custom, l.person_id, l.raw is null)
        is distinct from
        (coalesce(l.first_name, $2), coalesce(l.last_name, $3), coalesce(l.email::text, $4), coalesce(l.phone, $5),
         coalesce(l.company_name, $6), coalesce(l.state, $7), coalesce(l.message, $8), $9::text::jsonb || l.utm,
         $10::text::jsonb || l.attribution, $11::text::jsonb || l.custom, coalesce(l.person_id, $12),
         l.raw is null and $13::text is null)`;

const PG_CODE = (e: unknown) => (e as { code?: string } | null)?.code;

/** A refusal by the database that the input caused, named by field. */
function refusal(e: unknown): unknown {
  const err = e as { code?: string; hint?: string; message?: string; constraint_name?: string } | null;
  if (PG_CODE(e) === "23514" && err?.hint?.startsWith("custom")) {
    return new DomainError("validation_failed", err.message ?? "A custom field is not valid.", {
      details: { [err.hint]: [err.message ?? "Not valid"] },
    });
  }
  if (PG_CODE(e) === "23514" && err?.constraint_name) {
    const field = /leads_(\w+?)_check/.exec(err.constraint_name)?.[1] ?? "_";
    return new DomainError("validation_failed", "The lead's fields are not valid.", {
      details: { [field === "contact" ? "email" : field]: ["Not a valid value"] },
    });
  }
  return e;
}

/**
 * Creates the lead, or finds the one this provider already delivered with
 * `externalId` and fills in what it lacked. Links an existing person with the
 * same email (then phone) and never creates one (Convert does). `created` is
 * true for exactly one of any number of concurrent deliveries.
 */
export async function upsertExternalLead(sql: SqlClient, input: ExternalLead): Promise<{ leadId: string; created: boolean }> {
  const fields = normalizeLeadFields(input.fields ?? {});
  const externalId = text(input.externalId);
  if (externalId && externalId.length > 200) {
    throw new DomainError("validation_failed", "The lead's id is too long.", { details: { external_id: ["At most 200 characters"] } });
  }
  const utm = JSON.stringify(pick(input.utm, UTM_KEYS));
  const attribution = JSON.stringify(pick(input.attribution, ATTRIBUTION_KEYS));
  const custom = JSON.stringify(input.custom ?? {});
  const raw = input.raw === undefined ? null : JSON.stringify(input.raw);

  const [found] = await sql.unsafe(FIND, [input.orgId, input.source, fields.email, fields.phone]);
  if (!found.source_ok) {
    throw new DomainError("validation_failed", `"${input.source}" is not a lead source of this organization.`, {
      details: { source: ["Unknown lead source"] },
    });
  }
  const personId: string | null = found.person_id ?? null;
  try {
    const inserted = await sql.unsafe(INSERT, [
      input.orgId, input.source, externalId, fields.first_name, fields.last_name, fields.email, fields.phone,
      fields.company_name, fields.state, fields.message, utm, attribution, raw, custom, personId,
    ]);
    if (inserted.length) return { leadId: inserted[0].id, created: true };
    const [existing] = await sql.unsafe(
      `select id from public.leads where org_id = $1 and source = $2 and external_id = $3`,
      [input.orgId, input.source, externalId],
    );
    await sql.unsafe(FILL, [
      existing.id, fields.first_name, fields.last_name, fields.email, fields.phone, fields.company_name, fields.state,
      fields.message, utm, attribution, custom, personId, raw,
    ]);
    return { leadId: existing.id, created: false };
  } catch (e) {
    throw refusal(e);
  }
}
