// meta-webhook: Meta's Lead Ads webhook (the callback URL of the app's
// `page` subscription to the `leadgen` field). Thin: the handshake, the
// signature check, storing the raw event and queueing the fetches are
// modules/meta/webhook.ts; the leads are made by the meta.fetch_lead job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   META_APP_SECRET                     signs every delivery (X-Hub-Signature-256)
//   META_VERIFY_TOKEN                   what the subscription handshake must present
import { handleMetaWebhook } from "../../../modules/meta/webhook.ts";
import { serveInbound } from "../_shared/serve-inbound.ts";

serveInbound({
  name: "meta-webhook",
  requires: ["META_APP_SECRET", "META_VERIFY_TOKEN"],
  handle: (req, { sql, env, log }) =>
    handleMetaWebhook(req, { sql, appSecret: env("META_APP_SECRET"), verifyToken: env("META_VERIFY_TOKEN"), log }),
});
