// twilio-voice: Twilio's voice webhooks, the URLs set as "A call comes in"
// (POST /twilio-voice) and "Call status changes" (POST /twilio-voice/status)
// on each number, the TwiML's own <Dial> and <Record> callbacks, and the
// StatusCallback and RecordingStatusCallback of click-to-call. Thin: the
// signature check, the answer's TwiML, storing each callback and queueing
// the call's job are modules/calls/voice.ts; the call lands on a record in
// the call.receive job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   COVEY_SECRET_KEYS                   opens each org's auth token, which signs its webhooks
//   TWILIO_WEBHOOK_BASE_URL             the public base Twilio calls (https://<project>.supabase.co/functions/v1);
//                                       without it the URL is rebuilt from X-Forwarded-Host/Proto
import { parseKeyring, type Keyring } from "../../../lib/crypto/envelope.ts";
import { handleTwilioVoiceWebhook } from "../../../modules/calls/edge.ts";
import { serveInbound } from "../_shared/serve-inbound.ts";

// Parsed once: importing the keys is the costly part of opening a token.
let keyring: Promise<Keyring> | null = null;

serveInbound({
  name: "twilio-voice",
  requires: ["COVEY_SECRET_KEYS"],
  handle: (req, { sql, env, log }) =>
    handleTwilioVoiceWebhook(req, {
      sql,
      keyring: () => (keyring ??= parseKeyring(env("COVEY_SECRET_KEYS"))),
      webhookBaseUrl: env("TWILIO_WEBHOOK_BASE_URL").replace(/\/+$/, "") || null,
      log,
    }),
});
