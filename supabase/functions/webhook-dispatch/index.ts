// webhook-dispatch: sends due webhook deliveries (modules/webhooks). Called
// by pg_net when events fan out and by pg_cron every few seconds in
// production, by the local scheduler (supabase/local/webhooks.ts) in the
// embedded runtime. Thin: the shared drain handler (lib/http/drain.ts)
// checks the caller and runs the dispatcher one run at a time.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   WEBHOOK_DISPATCH_SECRET             callers send `Authorization: Bearer <it>`
//   COVEY_WEBHOOKS_ALLOW_LOOPBACK=1     embedded runtime only: receivers on loopback
//   WEBHOOK_DISPATCH_MAX_RUN_MS         stop claiming after this long (default 25000)
//   WEBHOOK_DISABLE_AFTER_FAILURES / WEBHOOK_DISABLE_AFTER_MS   automatic disabling
//   WEBHOOK_DISPATCH_LOCK_MS            how long a claim holds (default 60000)
import postgres from "npm:postgres@^3.4.9";
import * as undici from "npm:undici@^8.14.1";
import { drainHandler } from "../../../lib/http/drain.ts";
import { type DispatchSummary, runDispatch } from "../../../modules/webhooks/dispatcher.ts";
import { pinnedFetch, type Undici } from "../../../modules/webhooks/pinned-fetch.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const num = (name: string) => (env(name) ? Number(env(name)) : undefined);

const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");
const secret = env("WEBHOOK_DISPATCH_SECRET");

const db = databaseUrl
  ? postgres(databaseUrl, {
      max: 8,
      prepare: false,
      onnotice: () => {},
      connection: { role: "service_role", application_name: "webhook-dispatch" },
    })
  : null;

async function resolve(host: string): Promise<string[]> {
  const answers = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
  return answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
}

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  drainHandler<DispatchSummary>({
    name: "webhook dispatch",
    secret,
    missing: db ? null : "DATABASE_URL (or SUPABASE_DB_URL) is not set",
    maxRunMs: num("WEBHOOK_DISPATCH_MAX_RUN_MS") ?? 25_000,
    start: () => {
      // Each request goes to the address the SSRF guard checked (see pinned-fetch.ts).
      const send = pinnedFetch(undici as unknown as Undici);
      return {
        pass: (budgetMs) =>
          runDispatch(db!, {
            allowLoopback: env("COVEY_WEBHOOKS_ALLOW_LOOPBACK") === "1",
            resolve,
            send,
            maxRunMs: budgetMs,
            lockMs: num("WEBHOOK_DISPATCH_LOCK_MS"),
            disableAfterFailures: num("WEBHOOK_DISABLE_AFTER_FAILURES"),
            disableAfterMs: num("WEBHOOK_DISABLE_AFTER_MS"),
          }),
        close: () => send.close(),
      };
    },
  }),
);
