// Twilio's messaging webhooks, as the twilio-sms Edge Function serves them:
//
// - POST /twilio-sms         a text to one of an org's numbers ("A message
//                            comes in" in the number's configuration);
// - POST /twilio-sms/status  a sent message's status callback.
//
// Both are checked before anything is stored: the org is found by its number
// (`To` of a text, `From` of a callback), the number's account must be the
// one that signed (AccountSid), and X-Twilio-Signature must be that
// account's auth token's signature of the public URL Twilio was given
// (modules/twilio/signature.ts) and the parameters. Anything else is a 403
// with nothing stored.
//
// A text is stored raw once by its MessageSid (private.inbound_events), one
// sms.receive job is queued for it in the same transaction, and Twilio gets
// an empty TwiML answer at once: matching the sender, the lead, the timeline
// and the notification happen in the job. A callback is recorded by its SID
// and status (private.sms_status_callback), which applies it to the message
// now or when the send records that SID.
//
// Web-standard code on a postgres.js connection acting as service_role.
import { type Keyring, openSecret, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import { enqueueJob, type SqlClient } from "../jobs/edge.ts";
import { paramsOf, publicUrlCandidates, SIGNATURE_HEADER, validTwilioSignature } from "../twilio/edge.ts";

export const RECEIVE_SMS_JOB = "sms.receive";
export const SMS_FUNCTION = "twilio-sms";
/** Twilio's webhooks are a few KB (1,600 characters of text, ten media URLs). */
const MAX_BODY_BYTES = 64_000;
const SID = /^(SM|MM)[0-9a-f]{32}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export interface SmsWebhookDeps {
  /** service_role; `begin` runs one transaction. */
  sql: SqlClient & { begin<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> };
  keyring: () => Promise<Keyring>;
  /** TWILIO_WEBHOOK_BASE_URL, the public base of the functions (…/functions/v1), if configured. */
  webhookBaseUrl: string | null;
  /** Where refusals and failures are told (never with the body). */
  log?: (line: string) => void;
}

/** What the sms.receive job gets: the text as Twilio described it. */
export interface InboundSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  segments: number | null;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function twiml(status = 200): Response {
  return new Response(EMPTY_TWIML, { status, headers: { "content-type": "text/xml", "cache-control": "no-store" } });
}

function refuse(status: number, message: string): Response {
  return Response.json({ error: status === 403 ? "forbidden" : "bad_request", message }, { status, headers: { "cache-control": "no-store" } });
}

/** The number's org and the sealed auth token of that org's Twilio account. */
async function accountOf(sql: SqlClient, number: string) {
  const [row] = await sql.unsafe(
    `select p.org_id, a.account_sid, s.secret
     from public.phones p
     join public.twilio_accounts a on a.org_id = p.org_id
     join public.org_secrets s on s.id = a.auth_token_secret_id and s.org_id = a.org_id
     where p.number = $1`,
    [number],
  );
  return row as { org_id: string; account_sid: string; secret: string } | undefined;
}

export function inboundOf(form: URLSearchParams): InboundSms | null {
  const sid = form.get("MessageSid") ?? form.get("SmsSid") ?? "";
  const to = form.get("To") ?? "";
  const from = form.get("From") ?? "";
  if (!SID.test(sid) || !E164.test(to) || !E164.test(from)) return null;
  const media = Math.min(Number(form.get("NumMedia") ?? 0) || 0, 10);
  const mediaUrls: string[] = [];
  for (let i = 0; i < media; i++) {
    const url = form.get(`MediaUrl${i}`);
    if (url && /^https?:\/\//.test(url)) mediaUrls.push(url.slice(0, 2000));
  }
  const segments = Number(form.get("NumSegments"));
  return {
    sid,
    accountSid: form.get("AccountSid") ?? "",
    to,
    from,
    body: (form.get("Body") ?? "").slice(0, 1600),
    mediaUrls,
    segments: Number.isInteger(segments) && segments >= 0 && segments <= 100 ? segments : null,
  };
}

export async function handleTwilioSmsWebhook(req: Request, deps: SmsWebhookDeps): Promise<Response> {
  const log = deps.log ?? (() => {});
  if (req.method !== "POST") return Response.json({ error: "method_not_allowed" }, { status: 405 });
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return refuse(413, "The body is larger than any Twilio webhook.");
  const raw = await req.text();
  if (raw.length > MAX_BODY_BYTES) return refuse(413, "The body is larger than any Twilio webhook.");
  const form = new URLSearchParams(raw);
  const isStatus = new URL(req.url).pathname.replace(/\/+$/, "").endsWith("/status");

  const number = (isStatus ? form.get("From") : form.get("To")) ?? "";
  const account = E164.test(number) ? await accountOf(deps.sql, number) : undefined;
  const accountSid = form.get("AccountSid") ?? "";
  let authToken = "";
  if (account && account.account_sid === accountSid) {
    try {
      authToken = await openSecret(await deps.keyring(), account.secret, { orgId: account.org_id, purpose: "twilio.auth_token" });
    } catch (e) {
      if (!(e instanceof SecretDecryptError)) throw e;
      log(`the auth token of the account of ${number} cannot be decrypted with COVEY_SECRET_KEYS`);
    }
  }
  const candidates = publicUrlCandidates(req, { webhookBaseUrl: deps.webhookBaseUrl, functionName: SMS_FUNCTION });
  if (!authToken || !validTwilioSignature(authToken, req.headers.get(SIGNATURE_HEADER), candidates, paramsOf(form))) {
    log(!account ? "refused a webhook for a number no workspace has" : "refused a webhook whose X-Twilio-Signature does not match");
    return refuse(403, "X-Twilio-Signature is missing or does not match this request.");
  }

  if (isStatus) {
    const sid = form.get("MessageSid") ?? "";
    const status = (form.get("MessageStatus") ?? form.get("SmsStatus") ?? "").toLowerCase();
    if (!SID.test(sid) || !/^[a-z_]{1,20}$/.test(status)) return refuse(400, "MessageSid and MessageStatus are required.");
    const code = Number(form.get("ErrorCode"));
    await deps.sql.unsafe("select private.sms_status_callback($1, $2, $3)", [sid, status, Number.isInteger(code) && code > 0 ? code : null]);
    return new Response(null, { status: 204 });
  }

  const sms = inboundOf(form);
  if (!sms) return refuse(400, "MessageSid, To and From are required.");
  await deps.sql.begin(async (tx) => {
    const [stored] = await tx.unsafe(
      `insert into private.inbound_events (provider, dedupe_key, body) values ('twilio_sms', $1, $2)
       on conflict (provider, dedupe_key) do nothing returning id`,
      [sms.sid, raw],
    );
    // A redelivery of a text seen before queued its job then.
    if (stored) await enqueueJob(tx, { kind: RECEIVE_SMS_JOB, payload: sms, orgId: account!.org_id, key: `sms-receive:${sms.sid}` });
  });
  return twiml();
}
