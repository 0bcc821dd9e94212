// The `call.receive` job: an inbound call the twilio-voice function answered
// is written as a call row of the org that owns the number, on the caller's
// record: the org's person with that phone, else the open lead with it,
// else a new lead with the source `twilio_call` (one per caller number, as
// texts make one per sender), owned by the number's default owner when
// routing gave it to nobody. A withheld caller ID ("Anonymous") is no number
// to find anyone by: such calls share one lead per withheld value, named by
// it, and their rows carry no contact number, so a voicemail left by a caller
// who hides their number still reaches the owner. The row's triggers write the timeline item and
// `call.started`, and any callback Twilio sent meanwhile (the call may well
// be over by now) is applied to it in the same transaction. Idempotent by
// CallSid, so a retried job changes nothing.
//
// Web-standard: the jobs Edge Function runs it.
import { DomainError } from "../../lib/errors.ts";
import { type JobHandler, PermanentJobError, type SqlClient } from "../jobs/edge.ts";
import { findRecordByPhone, upsertExternalLead } from "../leads/edge.ts";
import type { InboundCall } from "./voice.ts";

const E164 = /^\+[1-9][0-9]{6,14}$/;

function payloadOf(payload: unknown): InboundCall {
  const p = payload as Partial<InboundCall> | null;
  if (!p || typeof p.sid !== "string" || typeof p.to !== "string" || typeof p.from !== "string" || typeof p.phoneId !== "string") {
    throw new PermanentJobError("The job's payload has no CallSid, To, From and number");
  }
  return p as InboundCall;
}

async function newLead(sql: SqlClient, orgId: string, call: InboundCall, defaultOwner: string | null): Promise<string> {
  const raw = { CallSid: call.sid, From: call.from, To: call.to };
  const base = { orgId, source: "twilio_call", externalId: call.from, raw };
  let result;
  try {
    result = await upsertExternalLead(sql, { ...base, fields: { phone: call.from } });
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== "validation_failed") throw e;
    // A caller number Covey cannot store as a phone still makes a lead, named by the number so it can be found.
    result = await upsertExternalLead(sql, { ...base, fields: { firstName: call.from } });
  }
  if (result.created && defaultOwner) {
    await sql.unsafe("update public.leads set owner_id = $3 where id = $1 and org_id = $2 and owner_id is null", [result.leadId, orgId, defaultOwner]);
  }
  return result.leadId;
}

export const receiveCall: JobHandler = async (job, ctx) => {
  const call = payloadOf(job.payload);
  if (!job.orgId) throw new PermanentJobError(`The call ${call.sid} has no workspace`);
  const withheld = !E164.test(call.from);
  const [phone] = await ctx.sql.unsafe("select id, default_owner_id from public.phones where id = $1 and org_id = $2", [call.phoneId, job.orgId]);
  if (!phone) throw new PermanentJobError(`${call.to} is no longer a number of this workspace`);
  const [seen] = await ctx.sql.unsafe("select 1 from public.calls where provider_sid = $1", [call.sid]);
  if (seen) return;

  let { personId, leadId } = withheld ? { personId: null, leadId: null } : await findRecordByPhone(ctx.sql, job.orgId, call.from);
  if (!personId && !leadId) leadId = await newLead(ctx.sql, job.orgId, call, phone.default_owner_id);
  const status = ["queued", "ringing", "in-progress"].includes(call.status) ? call.status : "ringing";
  await ctx.sql.unsafe(
    `insert into public.calls (org_id, direction, source, phone_id, org_number, contact_number, status, provider_sid,
                               person_id, lead_id, started_at)
     values ($1, 'inbound', 'twilio', $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)
     on conflict (provider_sid) do nothing`,
    [job.orgId, phone.id, call.to, withheld ? null : call.from, status, call.sid, personId, leadId, call.startedAt],
  );
  await ctx.sql.unsafe("select private.record_integration_result($1, 'twilio', $2, true, null)", [job.orgId, call.accountSid || call.to]);
};
