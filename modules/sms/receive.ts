// The `sms.receive` job: a text the twilio-sms function accepted lands on a
// record of the org that owns the number it was sent to. The sender is the
// org's person with that phone (their main phone first); else the open lead
// with it; else a new lead with the source `sms` (one per sender number, so
// a second text before anyone converts them lands on the same lead), owned
// by the number's default owner when routing gave it to nobody. The message,
// its timeline item, the opt-out keywords, the owner's notification and
// `sms.received` are one statement (private.sms_receive and its triggers),
// idempotent by MessageSid, so a retried job changes nothing.
//
// Web-standard: the jobs Edge Function runs it.
import { DomainError } from "../../lib/errors.ts";
import { type JobHandler, PermanentJobError, type SqlClient } from "../jobs/edge.ts";
import { findRecordByPhone, upsertExternalLead } from "../leads/edge.ts";
import type { InboundSms } from "./webhook.ts";

function payloadOf(payload: unknown): InboundSms {
  const p = payload as Partial<InboundSms> | null;
  if (!p || typeof p.sid !== "string" || typeof p.to !== "string" || typeof p.from !== "string") {
    throw new PermanentJobError("The job's payload has no MessageSid, To and From");
  }
  return { ...p, body: p.body ?? "", mediaUrls: p.mediaUrls ?? [], segments: p.segments ?? null } as InboundSms;
}

async function newLead(sql: SqlClient, orgId: string, sms: InboundSms, defaultOwner: string | null): Promise<string> {
  const raw = { MessageSid: sms.sid, From: sms.from, To: sms.to, Body: sms.body, MediaUrls: sms.mediaUrls };
  const base = { orgId, source: "sms", externalId: sms.from, raw };
  let result;
  try {
    result = await upsertExternalLead(sql, { ...base, fields: { phone: sms.from, message: sms.body || null } });
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== "validation_failed") throw e;
    // A sender number Covey cannot store as a phone (a short code, an odd
    // range) still makes a lead, named by the number so it can be found.
    result = await upsertExternalLead(sql, { ...base, fields: { firstName: sms.from, message: sms.body || null } });
  }
  if (result.created && defaultOwner) {
    await sql.unsafe("update public.leads set owner_id = $3 where id = $1 and org_id = $2 and owner_id is null", [result.leadId, orgId, defaultOwner]);
  }
  return result.leadId;
}

export const receiveSms: JobHandler = async (job, ctx) => {
  const sms = payloadOf(job.payload);
  if (!job.orgId) throw new PermanentJobError(`The text ${sms.sid} has no workspace`);
  const [phone] = await ctx.sql.unsafe("select id, default_owner_id from public.phones where number = $1 and org_id = $2", [sms.to, job.orgId]);
  if (!phone) throw new PermanentJobError(`${sms.to} is no longer a number of this workspace`);
  const [seen] = await ctx.sql.unsafe("select 1 from public.sms_messages where provider_sid = $1", [sms.sid]);
  if (seen) return;

  let { personId, leadId } = await findRecordByPhone(ctx.sql, job.orgId, sms.from);
  if (!personId && !leadId) leadId = await newLead(ctx.sql, job.orgId, sms, phone.default_owner_id);
  await ctx.sql.unsafe("select private.sms_receive($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10)", [
    job.orgId,
    phone.id,
    sms.sid,
    sms.to,
    sms.from,
    sms.body,
    sms.mediaUrls,
    sms.segments,
    personId,
    leadId,
  ]);
  await ctx.sql.unsafe("select private.record_integration_result($1, 'twilio', $2, true, null)", [job.orgId, sms.accountSid || sms.to]);
};
