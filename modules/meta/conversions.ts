// The `meta.send_conversions` job: tells Meta's Conversions API when a lead
// from a Meta lead ad reaches a CRM stage (qualified, won, converted), so
// the ads optimise for leads that become business. Meta's CRM integration
// shape: `action_source: system_generated`, the Meta lead id and SHA-256
// hashes of the normalised email and phone in user_data, `event_source: crm`
// and `lead_event_source: Covey` in custom_data, and an event id Meta
// deduplicates by. Each lead and event is sent once (logged in
// meta_conversion_events); a failure is tried again on the next run, five
// times at most. Pages without a dataset id send nothing.
// Web-standard: the jobs Edge Function runs it every minute.
import { hex } from "../../lib/crypto/encoding.ts";
import { openSecret, parseKeyring } from "../../lib/crypto/envelope.ts";
import type { JobHandler } from "../jobs/edge.ts";
import { type ConversionEvent, GraphError, graphClient, metaConfig } from "./graph.ts";

export const SEND_CONVERSIONS_JOB = "meta.send_conversions";
const MAX_ATTEMPTS = 5;
const BATCH = 100;

/** Leads of Meta ads that reached a stage with no conversion event sent for it yet. */
const DUE = `
  select l.id, l.org_id, l.external_id, l.email::text as email, l.phone, e.name as event_name,
         p.id as page_row_id, p.page_id, p.conversions_dataset_id as dataset_id, s.secret,
         c.attempts
  from public.leads l
  join public.meta_pages p on p.org_id = l.org_id and p.page_id = l.attribution ->> 'page_id'
  join public.org_secrets s on s.id = p.token_secret_id and s.org_id = p.org_id
  cross join lateral (values
    ('qualified', l.status = 'qualified' or exists (select 1 from public.lead_status_history h
                                                   where h.lead_id = l.id and h.to_status = 'qualified')),
    ('won', l.status = 'won'),
    ('converted', l.converted_at is not null)) e(name, reached)
  left join public.meta_conversion_events c on c.lead_id = l.id and c.event_name = e.name
  where l.source = 'meta' and l.external_id ~ '^[0-9]+$' and p.conversions_dataset_id is not null and e.reached
    and (c.id is null or (c.status = 'failed' and c.attempts < ${MAX_ATTEMPTS}))
  order by l.id, e.name
  limit ${BATCH}`;

async function sha256(text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** Meta's normalisation before hashing: email trimmed and lower-cased; phone as digits with the country code. */
export async function hashedUserData(leadId: string, email: string | null, phone: string | null): Promise<ConversionEvent["user_data"]> {
  const data: ConversionEvent["user_data"] = { lead_id: Number(leadId) };
  if (email) data.em = [await sha256(email.trim().toLowerCase())];
  if (phone) data.ph = [await sha256(phone.replace(/\D/g, ""))];
  return data;
}

export const sendMetaConversions: JobHandler = async (_job, ctx) => {
  const due = await ctx.sql.unsafe(DUE);
  if (due.length === 0) return;
  const keyring = await parseKeyring(ctx.env("COVEY_SECRET_KEYS"));
  const graph = graphClient(metaConfig((n) => ctx.env(n) || undefined), ctx.fetch);
  let unreachable = 0;
  for (const row of due) {
    const eventId = `${row.id}:${row.event_name}`;
    let outcome: { status: "sent" | "failed"; received: number | null; trace: string | null; error: string | null };
    try {
      const token = await openSecret(keyring, row.secret as string, { orgId: row.org_id, purpose: `meta.page_token:${row.page_id}` });
      const event: ConversionEvent = {
        event_name: row.event_name as string,
        event_time: Math.floor(Date.now() / 1000),
        action_source: "system_generated",
        event_id: eventId,
        user_data: await hashedUserData(row.external_id as string, row.email as string | null, row.phone as string | null),
        custom_data: { event_source: "crm", lead_event_source: "Covey" },
      };
      const answer = await graph.sendEvents(row.dataset_id as string, token, [event]);
      outcome = { status: "sent", received: answer.events_received, trace: answer.fbtrace_id ?? null, error: null };
    } catch (e) {
      if (e instanceof GraphError && e.transient) unreachable++;
      outcome = { status: "failed", received: null, trace: null, error: (e instanceof Error ? e.message : String(e)).slice(0, 1000) };
    }
    await ctx.sql.unsafe(
      `insert into public.meta_conversion_events as c
         (org_id, lead_id, page_id, event_name, event_id, dataset_id, status, events_received, fbtrace_id, error)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (lead_id, event_name) do update
         set status = excluded.status, attempts = c.attempts + 1, events_received = excluded.events_received,
             fbtrace_id = excluded.fbtrace_id, error = excluded.error, sent_at = now(), dataset_id = excluded.dataset_id`,
      [row.org_id, row.id, row.page_row_id, row.event_name, eventId, row.dataset_id, outcome.status, outcome.received, outcome.trace, outcome.error],
    );
  }
  // The failed ones go again on the next run; saying so keeps an outage visible in the job's attempts.
  if (unreachable) throw new Error(`Meta could not be reached for ${unreachable} conversion event(s)`);
};
