// The `sms.send` job: a message a member wrote (queued in the transaction
// that wrote it) goes to Twilio through the adapter, with the org's sealed
// credentials and a StatusCallback to the twilio-sms function. Twilio's SID
// and first status are recorded with private.sms_record_send, which then
// applies any status callback that arrived first.
//
// Twilio refusing the message (a number it cannot reach, an opted-out
// recipient) marks it failed with Twilio's error code: retrying cannot help.
// Twilio down or throttling → the job throws and is retried with backoff;
// the last attempt marks the message failed rather than leaving it queued.
// A message already given a SID is never sent again.
//
// Web-standard: the jobs Edge Function runs it.
import { type Keyring, openSecret, parseKeyring, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import { type JobHandler, PermanentJobError, type SqlClient } from "../jobs/edge.ts";
import { twilioClient, twilioConfig, TwilioError } from "../twilio/edge.ts";
import { SMS_FUNCTION } from "./webhook.ts";

export const SEND_SMS_JOB = "sms.send";
/** private.enqueue_job's attempts for sms.send (the trigger queues it with 8). */
const LAST_ATTEMPT = 8;

let keyringCache: { spec: string; keyring: Promise<Keyring> } | null = null;
function keyringOf(spec: string): Promise<Keyring> {
  if (keyringCache?.spec !== spec) keyringCache = { spec, keyring: parseKeyring(spec) };
  return keyringCache.keyring;
}

async function fail(sql: SqlClient, id: string, orgId: string, code: number | null, message: string) {
  await sql.unsafe(
    "update public.sms_messages set status = 'failed', error_code = $3, error_message = $4 where id = $1 and org_id = $2 and provider_sid is null",
    [id, orgId, code, message.slice(0, 500)],
  );
}

export const sendSms: JobHandler = async (job, ctx) => {
  const id = (job.payload as { id?: unknown } | null)?.id;
  if (typeof id !== "string" || !job.orgId) throw new PermanentJobError("The job's payload has no message id");
  const orgId = job.orgId;
  const [m] = await ctx.sql.unsafe(
    `select m.org_number, m.contact_number, m.body, m.media_urls, m.status, m.provider_sid,
            exists (select 1 from public.sms_opt_outs o where o.org_id = m.org_id and o.org_number = m.org_number
                    and o.contact_number = m.contact_number and o.opted_out) as opted_out,
            a.account_sid, a.api_key_sid, t.secret as token, k.secret as key_secret
     from public.sms_messages m
     left join public.twilio_accounts a on a.org_id = m.org_id
     left join public.org_secrets t on t.id = a.auth_token_secret_id and t.org_id = a.org_id
     left join public.org_secrets k on k.id = a.api_key_secret_id and k.org_id = a.org_id
     where m.id = $1 and m.org_id = $2 and m.direction = 'outbound'`,
    [id, orgId],
  );
  if (!m) throw new PermanentJobError(`Message ${id} no longer exists`);
  if (m.provider_sid || m.status !== "queued") return;
  // The contact may have texted STOP since the message was written.
  if (m.opted_out) return fail(ctx.sql, id, orgId, 21610, "The recipient has opted out of texts from this number (STOP).");
  if (!m.account_sid || !m.token) return fail(ctx.sql, id, orgId, null, "Twilio is not connected: connect it in Settings → Numbers.");

  const keyring = await keyringOf(ctx.env("COVEY_SECRET_KEYS"));
  let creds;
  try {
    creds = {
      accountSid: m.account_sid as string,
      authToken: await openSecret(keyring, m.token, { orgId, purpose: "twilio.auth_token" }),
      apiKeySid: m.api_key_sid as string | null,
      apiKeySecret: m.key_secret ? await openSecret(keyring, m.key_secret, { orgId, purpose: "twilio.api_key_secret" }) : null,
    };
  } catch (e) {
    if (!(e instanceof SecretDecryptError)) throw e;
    return fail(ctx.sql, id, orgId, null, "The stored Twilio credentials cannot be decrypted: connect Twilio again in Settings → Numbers.");
  }
  const config = twilioConfig((n) => ctx.env(n) || undefined);
  const record = (ok: boolean, error: string | null) =>
    ctx.sql.unsafe("select private.record_integration_result($1, 'twilio', $2, $3, $4)", [orgId, creds.accountSid, ok, error]);
  try {
    const sent = await twilioClient(creds, config, ctx.fetch).sendMessage({
      from: m.org_number,
      to: m.contact_number,
      body: m.body,
      mediaUrls: m.media_urls,
      statusCallback: config.webhookBaseUrl ? `${config.webhookBaseUrl}/${SMS_FUNCTION}/status` : null,
    });
    await ctx.sql.unsafe("select private.sms_record_send($1, $2, $3, $4)", [id, sent.sid, sent.status, sent.numSegments]);
  } catch (e) {
    if (!(e instanceof TwilioError)) throw e;
    await record(false, `Twilio ${e.code ?? e.status}: ${e.message}`.slice(0, 500));
    if (e.transient && job.attempt < LAST_ATTEMPT) throw e;
    return fail(ctx.sql, id, orgId, e.code, e.message);
  }
  await record(true, null);
};
