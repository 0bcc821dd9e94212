// Twilio's voice webhooks, as the twilio-voice Edge Function serves them:
//
// - POST /twilio-voice            a call to one of an org's numbers ("A call
//                                 comes in" in the number's configuration):
//                                 answered at once with the number's TwiML;
// - POST /twilio-voice/dial       the forward's <Dial action>: whether the
//                                 member took it, else voicemail;
// - POST /twilio-voice/hangup     the voicemail <Record action>: goodbye;
// - POST /twilio-voice/status     a call's status callback ("Call status
//                                 changes", and click-to-call's StatusCallback);
// - POST /twilio-voice/recording  a recording's status callback (voicemail,
//                                 and click-to-call's recordings). Twilio
//                                 names no number here, so the URL carries
//                                 `?number=<the org's number>` (it is signed
//                                 with the URL), else the call's row names it.
//
// Every one is checked as twilio-sms checks texts (modules/twilio's
// verifyTwilioWebhook: the org by its number, the account that signed,
// X-Twilio-Signature over the public URL); anything else is a 403 with
// nothing stored. Each delivery is stored raw once (private.inbound_events,
// by CallSid and what it reports) through the shared inbound pipeline.
// The call's row is written by the call.receive job queued with the call
// (matching the caller to a person or lead takes longer than Twilio
// waits); callbacks are kept by CallSid and applied to the row whenever it
// has that SID (private.call_status_callback and its siblings), so their
// order, and whether the row exists yet, do not matter.
//
// Web-standard code on a postgres.js connection acting as service_role.
import type { Keyring } from "../../lib/crypto/envelope.ts";
import { enqueueJob, inboundRefusal, receiveInbound, type SqlClient, type TransactionalSql } from "../jobs/edge.ts";
import { publicUrlCandidates, type TwilioWebhookOrigin, twilioRefusal, verifyTwilioWebhook } from "../twilio/edge.ts";
import { afterDialTwiml, answerTwiml, hangupTwiml, rejectTwiml, type VoiceRoutes, type VoiceSettings } from "./twiml.ts";

export const VOICE_FUNCTION = "twilio-voice";
export const RECEIVE_CALL_JOB = "call.receive";
/** Twilio's voice webhooks are a few KB. */
const MAX_BODY_BYTES = 64_000;
const CALL_SID = /^CA[0-9a-f]{32}$/;
const RECORDING_SID = /^RE[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = new Set(["queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "failed", "canceled"]);

export interface VoiceWebhookDeps {
  sql: TransactionalSql;
  keyring: () => Promise<Keyring>;
  /** TWILIO_WEBHOOK_BASE_URL, the public base of the functions (…/functions/v1), if configured. */
  webhookBaseUrl: string | null;
  log?: (line: string) => void;
  /** The clock business hours are read on. */
  now?: () => Date;
}

/** What the call.receive job gets: the call as Twilio described it. */
export interface InboundCall {
  sid: string;
  accountSid: string;
  phoneId: string;
  to: string;
  from: string;
  status: string;
  startedAt: string;
}

type Route = "answer" | "dial" | "hangup" | "status" | "recording";

interface Verified {
  route: Route;
  origin: TwilioWebhookOrigin;
  form: URLSearchParams;
  sid: string;
  url: URL;
}

const twiml = (body: string) => new Response(body, { status: 200, headers: { "content-type": "text/xml", "cache-control": "no-store" } });

function routeOf(url: URL): Route | null {
  // Supabase hands the function its name and what follows; a host that strips the name, only what follows.
  let path = url.pathname.replace(/\/+$/, "");
  const at = path.indexOf(`/${VOICE_FUNCTION}`);
  if (at >= 0) path = path.slice(at + VOICE_FUNCTION.length + 1);
  const map: Record<string, Route> = { "": "answer", "/dial": "dial", "/hangup": "hangup", "/status": "status", "/recording": "recording" };
  return map[path] ?? null;
}

/** The function's own public address (…/twilio-voice), which the TwiML sends Twilio back to. */
function routesFor(req: Request, deps: VoiceWebhookDeps, number: string): VoiceRoutes {
  const [best] = publicUrlCandidates(req, { webhookBaseUrl: deps.webhookBaseUrl, functionName: VOICE_FUNCTION });
  const url = new URL(best);
  const at = url.pathname.indexOf(`/${VOICE_FUNCTION}`);
  const base = `${url.origin}${at >= 0 ? url.pathname.slice(0, at) : ""}/${VOICE_FUNCTION}`;
  return {
    dial: (member) => (member ? `${base}/dial?member=${member}` : `${base}/dial`),
    // The recording may come before call.receive wrote the row, and names no number itself.
    recording: `${base}/recording?number=${encodeURIComponent(number)}`,
    hangup: `${base}/hangup`,
  };
}

async function settingsOf(sql: SqlClient, phoneId: string, at: Date) {
  const [p] = await sql.unsafe(
    `select p.voice_enabled, p.voice_greeting, p.voice_greeting_url, p.voice_forward_timeout_seconds, p.voicemail_greeting,
            p.voicemail_max_seconds, p.after_hours_greeting, private.phone_open_at(p, $2::timestamptz) as open,
            p.default_owner_id, pr.phone as owner_phone,
            (select coalesce(json_agg(json_build_object('member', tm.user_id, 'phone', tp.phone) order by tm.created_at, tm.user_id), '[]')
             from public.team_members tm
             join public.teams t on t.id = tm.team_id and t.archived_at is null
             join public.profiles tp on tp.user_id = tm.user_id and tp.org_id = p.org_id
             where tm.team_id = p.default_team_id and tp.phone is not null) as team_phones
     from public.phones p
     left join public.profiles pr on pr.user_id = p.default_owner_id and pr.org_id = p.org_id
     where p.id = $1`,
    [phoneId, at.toISOString()],
  );
  if (!p) return null;
  const settings: VoiceSettings = {
    voiceGreeting: p.voice_greeting,
    voiceGreetingUrl: p.voice_greeting_url,
    forwardTimeoutSeconds: p.voice_forward_timeout_seconds,
    voicemailGreeting: p.voicemail_greeting,
    voicemailMaxSeconds: p.voicemail_max_seconds,
    afterHoursGreeting: p.after_hours_greeting,
  };
  return {
    settings,
    enabled: p.voice_enabled as boolean,
    open: p.open as boolean,
    // The default owner's phone, else every phone of the default team (a number names one or the other).
    forwardTo: (p.default_owner_id && p.owner_phone
      ? [{ member: p.default_owner_id, phone: p.owner_phone }]
      : p.team_phones) as { member: string; phone: string }[],
  };
}

/** The org's number a recording callback is about: the signed `?number=`, else the call's row. */
async function recordingNumber(sql: SqlClient, url: URL, sid: string): Promise<string | null> {
  const named = url.searchParams.get("number");
  if (named) return named;
  const [row] = await sql.unsafe("select org_number from public.calls where provider_sid = $1", [sid]);
  return (row?.org_number as string | undefined) ?? null;
}

const intOrNull = (v: string | null) => {
  const n = Number(v);
  return v !== null && v !== "" && Number.isInteger(n) && n >= 0 && n <= 86400 ? n : null;
};

function timestampOf(v: string | null): string | null {
  const t = v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function handleTwilioVoiceWebhook(req: Request, deps: VoiceWebhookDeps): Promise<Response> {
  const now = deps.now ?? (() => new Date());
  const check = { sql: deps.sql, keyring: deps.keyring, webhookBaseUrl: deps.webhookBaseUrl, functionName: VOICE_FUNCTION, log: deps.log };
  return receiveInbound<Verified>(req, {
    sql: deps.sql,
    maxBodyBytes: MAX_BODY_BYTES,

    async verify(raw) {
      const url = new URL(req.url);
      const route = routeOf(url);
      if (!route) return inboundRefusal(404, "not_found", "twilio-voice serves /, /dial, /hangup, /status and /recording.");
      const form = new URLSearchParams(raw.text);
      const sid = form.get("CallSid") ?? "";
      // An inbound call is to the org's number; a click-to-call's callbacks are from it.
      const numbers =
        route === "recording" ? [CALL_SID.test(sid) ? await recordingNumber(deps.sql, url, sid) : null]
        : route === "status" ? [form.get("To"), form.get("From")]
        : [form.get("To")];
      const origin = await verifyTwilioWebhook(req, form, numbers, check);
      if (!origin) return twilioRefusal();
      if (!CALL_SID.test(sid)) return inboundRefusal(400, "bad_request", "CallSid is required.");
      return { route, origin, form, sid, url };
    },

    event(v) {
      const f = v.form;
      switch (v.route) {
        case "answer":
          if (!f.get("From")) return inboundRefusal(400, "bad_request", "From is required.");
          return { provider: "twilio_voice", key: `${v.sid}:call` };
        case "dial":
          return { provider: "twilio_voice", key: `${v.sid}:dial` };
        case "hangup":
          return { provider: "twilio_voice", key: `${v.sid}:hangup` };
        case "status": {
          const status = (f.get("CallStatus") ?? "").toLowerCase();
          if (!STATUSES.has(status)) return inboundRefusal(400, "bad_request", "CallStatus is not one of Twilio's call statuses.");
          return { provider: "twilio_voice", key: `${v.sid}:status:${status}` };
        }
        case "recording": {
          const rec = f.get("RecordingSid") ?? "";
          if (!RECORDING_SID.test(rec)) return inboundRefusal(400, "bad_request", "RecordingSid is required.");
          return { provider: "twilio_voice", key: `${v.sid}:recording:${rec}:${(f.get("RecordingStatus") ?? "").slice(0, 20)}` };
        }
      }
    },

    async onFirst(tx, v) {
      if (v.route !== "answer") return;
      const call: InboundCall = {
        sid: v.sid,
        accountSid: v.origin.accountSid,
        phoneId: v.origin.phoneId,
        to: v.origin.number,
        from: v.form.get("From") ?? "",
        status: (v.form.get("CallStatus") ?? "ringing").toLowerCase(),
        startedAt: now().toISOString(),
      };
      await enqueueJob(tx, { kind: RECEIVE_CALL_JOB, payload: call, orgId: v.origin.orgId, key: `call-receive:${v.sid}` });
    },

    async onEvery(tx, v) {
      const f = v.form;
      if (v.route === "status") {
        await tx.unsafe("select private.call_status_callback($1, $2, $3, $4::timestamptz)", [
          v.sid,
          (f.get("CallStatus") ?? "").toLowerCase(),
          intOrNull(f.get("CallDuration")),
          timestampOf(f.get("Timestamp")),
        ]);
      } else if (v.route === "recording" && (f.get("RecordingStatus") ?? "completed") === "completed") {
        const url = f.get("RecordingUrl") ?? "";
        if (!/^https?:\/\/\S+$/.test(url) || url.length > 2000) return;
        await tx.unsafe("select private.call_recording_callback($1, $2, $3, $4, $5)", [
          v.sid,
          f.get("RecordingSid"),
          url,
          intOrNull(f.get("RecordingDuration")),
          // <Record> after the greeting is a voicemail; a recorded conversation is not.
          f.get("RecordingSource") === "RecordVerb",
        ]);
      } else if (v.route === "dial" && ["completed", "answered"].includes(f.get("DialCallStatus") ?? "")) {
        const member = v.url.searchParams.get("member") ?? "";
        if (!UUID.test(member)) return;
        const [m] = await tx.unsafe("select 1 from public.org_members where user_id = $1 and org_id = $2", [member, v.origin.orgId]);
        if (m) await tx.unsafe("select private.call_answered_callback($1, $2)", [v.sid, member]);
      }
    },

    async answer(v) {
      if (v.route === "status" || v.route === "recording") return new Response(null, { status: 204 });
      if (v.route === "hangup") return twiml(hangupTwiml());
      const found = await settingsOf(deps.sql, v.origin.phoneId, now());
      if (!found) return twiml(rejectTwiml());
      const routes = routesFor(req, deps, v.origin.number);
      if (v.route === "dial") {
        return twiml(afterDialTwiml(["completed", "answered"].includes(v.form.get("DialCallStatus") ?? ""), found.settings, routes));
      }
      if (!found.enabled) return twiml(rejectTwiml());
      const forward = found.forwardTo.length ? { to: found.forwardTo, callerId: v.origin.number } : null;
      return twiml(answerTwiml(found.settings, { open: found.open, forward, routes }));
    },
  });
}
