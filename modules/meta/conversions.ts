// Meta's Conversions API for CRM leads: tells Meta when a lead from a Meta
// lead ad reaches a stage the org maps to a Meta CRM event
// (meta_conversion_stages: qualified, won and converted by default, or a
// stage of the pipeline its deal is on, migration 20261209610000), so the
// ads optimise for leads that become business. Meta's CRM integration shape:
// `action_source: system_generated`, the Meta lead id and SHA-256 hashes of
// the normalised email and phone in user_data, `event_source: crm` and
// `lead_event_source: Covey` in custom_data, and an event id Meta
// deduplicates by. Each lead and event is sent once (logged in
// meta_conversion_events); pages without a dataset id send nothing.
//
// Two jobs send: `meta.send_conversion`, one event, queued by the lead's
// change in its own transaction (migration 20261207192100) and retried by
// the queue; and `meta.send_conversions`, a quarter-hourly catch-up for the
// events no change queued (the dataset or the mapping came later) and for
// failures whose job has given up, five tries in all for a job plus three
// for the catch-up. Web-standard: the jobs Edge Function runs both.
import { hex } from "../../lib/crypto/encoding.ts";
import { openSecret, parseKeyring } from "../../lib/crypto/envelope.ts";
import { type JobContext, type JobHandler, PermanentJobError } from "../jobs/edge.ts";
import { type ConversionEvent, GraphError, graphClient, metaConfig } from "./graph.ts";

export const SEND_CONVERSION_JOB = "meta.send_conversion";
export const SEND_CONVERSIONS_JOB = "meta.send_conversions";
const MAX_ATTEMPTS = 8;
const BATCH = 100;

/** What one send needs, for one lead of a page with a dataset. */
const SENDABLE = `
  select l.id, l.org_id, l.external_id, l.email::text as email, l.phone,
         p.id as page_row_id, p.page_id, p.conversions_dataset_id as dataset_id, s.secret
  from public.leads l
  join public.meta_pages p on p.org_id = l.org_id and p.page_id = l.attribution ->> 'page_id'
  join public.org_secrets s on s.id = p.token_secret_id and s.org_id = p.org_id
  where l.source = 'meta' and l.external_id ~ '^[0-9]+$' and p.conversions_dataset_id is not null`;

/**
 * Stages Meta leads reached (now or in their status history, or converted,
 * or their deal's stage now or in its history) with no event sent for them
 * yet, and no job of their own still going.
 */
const DUE = `
  select distinct on (x.id, m.event_name) x.*, m.event_name
  from (${SENDABLE}) x
  join public.meta_conversion_stages m on m.org_id = x.org_id
  join public.leads l on l.id = x.id
  left join public.meta_conversion_events c on c.lead_id = x.id and c.event_name = m.event_name
  where (case when m.stage_id is not null
                then exists (select 1 from public.deals d where d.id = l.deal_id and d.stage_id = m.stage_id)
                     or exists (select 1 from public.deal_stage_history h where h.deal_id = l.deal_id and h.to_stage_id = m.stage_id)
              when m.status is null then l.converted_at is not null
              else l.status = m.status
                   or exists (select 1 from public.lead_status_history h where h.lead_id = l.id and h.to_status = m.status) end)
    and (c.id is null or (c.status = 'failed' and c.attempts < ${MAX_ATTEMPTS}))
    and not exists (select 1 from public.jobs j
                    where j.kind = '${SEND_CONVERSION_JOB}' and j.idempotency_key = x.id::text || ':' || m.event_name
                      and j.status in ('pending', 'running'))
  order by x.id, m.event_name
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

type Row = Record<string, unknown>;

/** Sends one event and logs Meta's answer; says whether Meta could not be reached. */
async function sendOne(ctx: JobContext, row: Row, eventName: string): Promise<"sent" | "refused" | "unreachable"> {
  const eventId = `${row.id}:${eventName}`;
  let outcome: { status: "sent" | "failed"; received: number | null; trace: string | null; error: string | null };
  let verdict: "sent" | "refused" | "unreachable" = "sent";
  try {
    const keyring = await parseKeyring(ctx.env("COVEY_SECRET_KEYS"));
    const graph = graphClient(metaConfig((n) => ctx.env(n) || undefined), ctx.fetch);
    const token = await openSecret(keyring, row.secret as string, { orgId: row.org_id as string, purpose: `meta.page_token:${row.page_id}` });
    const event: ConversionEvent = {
      event_name: eventName,
      event_time: Math.floor(Date.now() / 1000),
      action_source: "system_generated",
      event_id: eventId,
      user_data: await hashedUserData(row.external_id as string, row.email as string | null, row.phone as string | null),
      custom_data: { event_source: "crm", lead_event_source: "Covey" },
    };
    const answer = await graph.sendEvents(row.dataset_id as string, token, [event]);
    outcome = { status: "sent", received: answer.events_received, trace: answer.fbtrace_id ?? null, error: null };
  } catch (e) {
    verdict = e instanceof GraphError && e.transient ? "unreachable" : "refused";
    outcome = { status: "failed", received: null, trace: null, error: (e instanceof Error ? e.message : String(e)).slice(0, 1000) };
  }
  await ctx.sql.unsafe(
    `insert into public.meta_conversion_events as c
       (org_id, lead_id, page_id, event_name, event_id, dataset_id, status, events_received, fbtrace_id, error)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (lead_id, event_name) do update
       set status = excluded.status, attempts = c.attempts + 1, events_received = excluded.events_received,
           fbtrace_id = excluded.fbtrace_id, error = excluded.error, sent_at = now(), dataset_id = excluded.dataset_id`,
    [row.org_id, row.id, row.page_row_id, eventName, eventId, row.dataset_id, outcome.status, outcome.received, outcome.trace, outcome.error],
  );
  return verdict;
}

/** `meta.send_conversion`: one lead's event, queued by the change that reached the stage. */
export const sendMetaConversion: JobHandler = async (job, ctx) => {
  const { lead_id: leadId, event_name: eventName } = (job.payload ?? {}) as { lead_id?: string; event_name?: string };
  if (typeof leadId !== "string" || typeof eventName !== "string" || !job.orgId) {
    throw new PermanentJobError("The job names no lead and event");
  }
  // Gone since (the lead deleted, the page disconnected, its dataset cleared), or sent already: nothing to do.
  const [row] = await ctx.sql.unsafe(`${SENDABLE} and l.id = $1 and l.org_id = $2`, [leadId, job.orgId]);
  if (!row) return;
  const [logged] = await ctx.sql.unsafe(
    `select 1 from public.meta_conversion_events where lead_id = $1 and event_name = $2 and status = 'sent'`,
    [leadId, eventName],
  );
  if (logged) return;
  const verdict = await sendOne(ctx, row, eventName);
  // The queue tries again with backoff; the log row shows the latest answer meanwhile.
  if (verdict !== "sent") throw new Error(`Meta did not take the "${eventName}" event of lead ${leadId}; see the Meta settings for its answer`);
};

/** `meta.send_conversions`: the catch-up, every quarter of an hour. */
export const sendMetaConversions: JobHandler = async (_job, ctx) => {
  const due = await ctx.sql.unsafe(DUE);
  let unreachable = 0;
  for (const row of due) {
    if ((await sendOne(ctx, row, row.event_name as string)) === "unreachable") unreachable++;
  }
  // The failed ones go again on the next run; saying so keeps an outage visible in the job's attempts.
  if (unreachable) throw new Error(`Meta could not be reached for ${unreachable} conversion event(s)`);
};
