// twilio-sms: Twilio's messaging webhooks, the URL set as "A message comes
// in" on each number (POST /twilio-sms) and the StatusCallback of each send
// (POST /twilio-sms/status). Thin: the signature check, storing the raw text
// and queueing its job, or recording a status, are modules/sms/webhook.ts;
// the text lands on a record in the sms.receive job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   COVEY_SECRET_KEYS                   opens each org's auth token, which signs its webhooks
//   TWILIO_WEBHOOK_BASE_URL             the public base Twilio calls (https://<project>.supabase.co/functions/v1);
//                                       without it the URL is rebuilt from X-Forwarded-Host/Proto
import { parseKeyring, type Keyring } from "../../../lib/crypto/envelope.ts";
import { handleTwilioSmsWebhook } from "../../../modules/sms/edge.ts";
import { serveInbound } from "../_shared/serve-inbound.ts";

// Parsed once: importing the keys is the costly part of opening a token.
let keyring: Promise<Keyring> | null = null;

serveInbound({
  name: "twilio-sms",
  requires: ["COVEY_SECRET_KEYS"],
  handle: (req, { sql, env, log }) =>
    handleTwilioSmsWebhook(req, {
      sql,
      keyring: () => (keyring ??= parseKeyring(env("COVEY_SECRET_KEYS"))),
      webhookBaseUrl: env("TWILIO_WEBHOOK_BASE_URL").replace(/\/+$/, "") || null,
      log,
    }),
});
