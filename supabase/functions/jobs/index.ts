// jobs: runs due background jobs (modules/jobs) with the handlers of
// handlers.ts. Called by pg_net when a transaction enqueues work and by
// pg_cron every few seconds in production (retries, schedules), by the local
// host (supabase/local/functions.ts) in the embedded runtime. Thin: the
// shared drain handler (lib/http/drain.ts) checks the caller and runs the
// queue one run at a time.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   JOBS_SECRET                         callers send `Authorization: Bearer <it>`
//   JOBS_MAX_RUN_MS                     stop claiming after this long (default 25000)
//   JOBS_CONCURRENCY                    jobs run at once (default 10)
//   JOBS_LOCK_MS / JOBS_TIMEOUT_MS      how long a claim holds / a handler may run
//   DATABASE_PREPARE=false              no prepared statements (any transaction-mode pooler)
//   Whatever the handlers read through ctx.env (provider URLs and keys).
import postgres from "npm:postgres@^3.4.9";
import * as undici from "npm:undici@^8.14.1";
import { drainHandler } from "../../../lib/http/drain.ts";
import { preparedStatementsOn } from "../../../lib/db/prepare.ts";
import { type JobNetwork, runJobs, type RunSummary, type SqlClient } from "../../../modules/jobs/edge.ts";
import { pinnedFetch, type Undici } from "../../../modules/webhooks/pinned-fetch.ts";
import { handlers } from "./handlers.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const num = (name: string) => (env(name) ? Number(env(name)) : undefined);

const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");
const secret = env("JOBS_SECRET");
const concurrency = num("JOBS_CONCURRENCY");

const db = databaseUrl
  ? postgres(databaseUrl, {
      max: Math.max(2, Math.min(20, (concurrency ?? 10) + 1)),
      onnotice: () => {},
      connection: { role: "service_role", application_name: "jobs" },
    })
  : null;

// Requests to addresses an org chose (partners' webhooks) connect to the
// address the SSRF guard checked, as webhook-dispatch does.
const net: JobNetwork = {
  async resolve(host) {
    const answers = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
    return answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
  },
  send: pinnedFetch(undici as unknown as Undici),
};

// The queue and its handlers run the same few statements for every job
// (claim, the handler's reads and upsert, finish): prepared once per
// connection, Postgres no longer parses and plans them for each job. Not
// behind a transaction-mode pooler (lib/db/prepare.ts); postgres.js
// prepares only what `unsafe` is told to.
const prepare = preparedStatementsOn(databaseUrl, env("DATABASE_PREPARE") || undefined);
const queue: SqlClient | null = db ? { unsafe: (query, params) => db.unsafe(query, params ?? [], { prepare }) } : null;

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  drainHandler<RunSummary>({
    name: "jobs run",
    secret,
    missing: queue ? null : "DATABASE_URL (or SUPABASE_DB_URL) is not set",
    maxRunMs: num("JOBS_MAX_RUN_MS") ?? 25_000,
    start: () => ({
      pass: (budgetMs) =>
        runJobs(queue!, handlers, {
          concurrency,
          lockMs: num("JOBS_LOCK_MS"),
          timeoutMs: num("JOBS_TIMEOUT_MS"),
          maxRunMs: budgetMs,
          env,
          fetch,
          net,
        }),
    }),
  }),
);
