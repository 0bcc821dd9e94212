// gmail-push: the push endpoint of the Pub/Sub subscription Gmail publishes
// mailbox changes to (users.watch). Thin: the token check, storing the raw
// event and queueing the sync are modules/gmail/push.ts; the mail is
// fetched by the gmail.sync job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   GMAIL_PUSH_TOKEN                    the secret in the subscription's endpoint URL (?token=)
import { handleGmailPush } from "../../../modules/gmail/push.ts";
import { serveInbound } from "../_shared/serve-inbound.ts";

serveInbound({
  name: "gmail-push",
  requires: ["GMAIL_PUSH_TOKEN"],
  maxConnections: 4,
  handle: (req, { sql, env, log }) => handleGmailPush(req, { sql, token: env("GMAIL_PUSH_TOKEN"), log }),
});
