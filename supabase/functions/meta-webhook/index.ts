// meta-webhook: Meta's Lead Ads webhook (the callback URL of the app's
// `page` subscription to the `leadgen` field). Thin: the handshake, the
// signature check, storing the raw event and queueing the fetches are
// modules/meta/webhook.ts; the leads are made by the meta.fetch_lead job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   META_APP_SECRET                     signs every delivery (X-Hub-Signature-256)
//   META_VERIFY_TOKEN                   what the subscription handshake must present
//
// Deploy with `--no-verify-jwt`: Meta sends no Supabase token; the signature is the credential.
import postgres from "npm:postgres@^3.4.9";
import { handleMetaWebhook } from "../../../modules/meta/webhook.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");

const db = databaseUrl
  ? postgres(databaseUrl, {
      max: 8,
      prepare: false,
      onnotice: () => {},
      connection: { role: "service_role", application_name: "meta-webhook" },
    })
  : null;

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  async (req) => {
    if (!db || !env("META_APP_SECRET") || !env("META_VERIFY_TOKEN")) {
      return Response.json(
        { error: "not_configured", message: "Set DATABASE_URL, META_APP_SECRET and META_VERIFY_TOKEN for meta-webhook." },
        { status: 503 },
      );
    }
    try {
      return await handleMetaWebhook(req, {
        sql: db,
        appSecret: env("META_APP_SECRET"),
        verifyToken: env("META_VERIFY_TOKEN"),
        log: (line) => console.error(`meta-webhook: ${line}`),
      });
    } catch (e) {
      // Meta retries what it did not get a 200 for; the body is never logged (it is personal data).
      console.error("meta-webhook failed:", e instanceof Error ? e.message : String(e));
      return Response.json({ error: "internal_error" }, { status: 500 });
    }
  },
);
