// Twilio's messaging webhooks, as the twilio-sms Edge Function serves them:
//
// - POST /twilio-sms         a text to one of an org's numbers ("A message
//                            comes in" in the number's configuration);
// - POST /twilio-sms/status  a sent message's status callback.
//
// Both are checked before anything is stored, as twilio-voice checks calls
// (modules/twilio's verifyTwilioWebhook): the org is found by its number
// (`To` of a text, `From` of a callback), the number's account must be the
// one that signed (AccountSid), and X-Twilio-Signature must be that
// account's auth token's signature of the public URL Twilio was given and
// the parameters. Anything else is a 403 with nothing stored.
//
// Through the shared inbound pipeline (modules/jobs' receiveInbound), a
// text is stored raw once by its MessageSid (private.inbound_events), one
// sms.receive job is queued for it in the same transaction, and Twilio gets
// an empty TwiML answer at once: matching the sender, the lead, the
// timeline and the notification happen in the job. A callback is stored
// once by its SID and status and recorded (private.sms_status_callback),
// which applies it to the message now or when the send records that SID.
//
// Web-standard code on a postgres.js connection acting as service_role.
import type { Keyring } from "../../lib/crypto/envelope.ts";
import { enqueueJob, inboundRefusal, receiveInbound, type TransactionalSql } from "../jobs/edge.ts";
import { type TwilioWebhookOrigin, twilioRefusal, verifyTwilioWebhook } from "../twilio/edge.ts";

export const RECEIVE_SMS_JOB = "sms.receive";
export const SMS_FUNCTION = "twilio-sms";
/** Twilio's webhooks are a few KB (1,600 characters of text, ten media URLs). */
const MAX_BODY_BYTES = 64_000;
const SID = /^(SM|MM)[0-9a-f]{32}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export interface SmsWebhookDeps {
  /** service_role; `begin` runs one transaction. */
  sql: TransactionalSql;
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

interface Verified {
  origin: TwilioWebhookOrigin;
  form: URLSearchParams;
  isStatus: boolean;
}

export function handleTwilioSmsWebhook(req: Request, deps: SmsWebhookDeps): Promise<Response> {
  const check = { sql: deps.sql, keyring: deps.keyring, webhookBaseUrl: deps.webhookBaseUrl, functionName: SMS_FUNCTION, log: deps.log };
  return receiveInbound<Verified>(req, {
    sql: deps.sql,
    maxBodyBytes: MAX_BODY_BYTES,

    async verify(raw) {
      const form = new URLSearchParams(raw.text);
      const isStatus = new URL(req.url).pathname.replace(/\/+$/, "").endsWith("/status");
      const origin = await verifyTwilioWebhook(req, form, [isStatus ? form.get("From") : form.get("To")], check);
      return origin ? { origin, form, isStatus } : twilioRefusal();
    },

    event({ form, isStatus }) {
      if (isStatus) {
        const sid = form.get("MessageSid") ?? "";
        const status = (form.get("MessageStatus") ?? form.get("SmsStatus") ?? "").toLowerCase();
        if (!SID.test(sid) || !/^[a-z_]{1,20}$/.test(status)) return inboundRefusal(400, "bad_request", "MessageSid and MessageStatus are required.");
        return { provider: "twilio_sms_status", key: `${sid}:${status}` };
      }
      const sms = inboundOf(form);
      if (!sms) return inboundRefusal(400, "bad_request", "MessageSid, To and From are required.");
      return { provider: "twilio_sms", key: sms.sid };
    },

    async onFirst(tx, { origin, form, isStatus }) {
      if (isStatus) return;
      const sms = inboundOf(form)!;
      await enqueueJob(tx, { kind: RECEIVE_SMS_JOB, payload: sms, orgId: origin.orgId, key: `sms-receive:${sms.sid}` });
    },

    async onEvery(tx, { form, isStatus }) {
      if (!isStatus) return;
      const code = Number(form.get("ErrorCode"));
      await tx.unsafe("select private.sms_status_callback($1, $2, $3)", [
        form.get("MessageSid"),
        (form.get("MessageStatus") ?? form.get("SmsStatus") ?? "").toLowerCase(),
        Number.isInteger(code) && code > 0 ? code : null,
      ]);
    },

    answer: ({ isStatus }) =>
      isStatus
        ? new Response(null, { status: 204 })
        : new Response(EMPTY_TWIML, { status: 200, headers: { "content-type": "text/xml", "cache-control": "no-store" } }),
  });
}
