// gmail-push: the push endpoint of the Pub/Sub subscription Gmail publishes
// mailbox changes to (users.watch). Thin: the token check, storing the raw
// event and queueing the sync are modules/gmail/push.ts; the mail is
// fetched by the gmail.sync job.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   GMAIL_PUSH_TOKEN                    the secret in the subscription's endpoint URL (?token=)
//
// Deploy with `--no-verify-jwt`: Pub/Sub sends no Supabase token; the URL's token is the credential.
import postgres from "npm:postgres@^3.4.9";
import { handleGmailPush } from "../../../modules/gmail/push.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");

const db = databaseUrl
  ? postgres(databaseUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role", application_name: "gmail-push" } })
  : null;

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  async (req) => {
    if (!db || !env("GMAIL_PUSH_TOKEN")) {
      return Response.json({ error: "not_configured", message: "Set DATABASE_URL and GMAIL_PUSH_TOKEN for gmail-push." }, { status: 503 });
    }
    try {
      return await handleGmailPush(req, { sql: db, token: env("GMAIL_PUSH_TOKEN"), log: (line) => console.error(`gmail-push: ${line}`) });
    } catch (e) {
      // Pub/Sub redelivers what it did not get a 2xx for; the body is never logged (it names a mailbox).
      console.error("gmail-push failed:", e instanceof Error ? e.message : String(e));
      return Response.json({ error: "internal_error" }, { status: 500 });
    }
  },
);
