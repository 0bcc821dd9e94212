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
//
// Deploy with `--no-verify-jwt`: Twilio sends no Supabase token; the signature is the credential.
import postgres from "npm:postgres@^3.4.9";
import { type Keyring, parseKeyring } from "../../../lib/crypto/envelope.ts";
import { handleTwilioSmsWebhook } from "../../../modules/sms/edge.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");

const db = databaseUrl
  ? postgres(databaseUrl, {
      max: 8,
      prepare: false,
      onnotice: () => {},
      connection: { role: "service_role", application_name: "twilio-sms" },
    })
  : null;

// Parsed once: importing the keys is the costly part of opening a token.
let keyring: Promise<Keyring> | null = null;

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  async (req) => {
    if (!db || !env("COVEY_SECRET_KEYS")) {
      return Response.json({ error: "not_configured", message: "Set DATABASE_URL and COVEY_SECRET_KEYS for twilio-sms." }, { status: 503 });
    }
    try {
      return await handleTwilioSmsWebhook(req, {
        sql: db,
        keyring: () => (keyring ??= parseKeyring(env("COVEY_SECRET_KEYS"))),
        webhookBaseUrl: env("TWILIO_WEBHOOK_BASE_URL").replace(/\/+$/, "") || null,
        log: (line) => console.error(`twilio-sms: ${line}`),
      });
    } catch (e) {
      // Twilio retries what failed; the body is never logged (it is personal data).
      console.error("twilio-sms failed:", e instanceof Error ? e.message : String(e));
      return Response.json({ error: "internal_error" }, { status: 500 });
    }
  },
);
