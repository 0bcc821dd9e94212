// jobs: runs due background jobs (modules/jobs) with the handlers of
// handlers.ts. Called by pg_net when a transaction enqueues work and by
// pg_cron every few seconds in production (retries, schedules), by the local
// host (supabase/local/functions.ts) in the embedded runtime. Thin: check the
// caller, run the queue.
//
// Environment:
//   DATABASE_URL (or SUPABASE_DB_URL)   a login that may `set role service_role`
//   JOBS_SECRET                         callers send `Authorization: Bearer <it>`
//   JOBS_MAX_RUN_MS                     stop claiming after this long (default 25000)
//   JOBS_CONCURRENCY                    jobs run at once (default 10)
//   JOBS_LOCK_MS / JOBS_TIMEOUT_MS      how long a claim holds / a handler may run
//   Whatever the handlers read through ctx.env (provider URLs and keys).
import postgres from "npm:postgres@^3.4.9";
import { runJobs, type RunSummary } from "../../../modules/jobs/edge.ts";
import { handlers } from "./handlers.ts";

const env = (name: string) => Deno.env.get(name) ?? "";
const num = (name: string) => (env(name) ? Number(env(name)) : undefined);

const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");
const secret = env("JOBS_SECRET");
const concurrency = num("JOBS_CONCURRENCY");

const db = databaseUrl
  ? postgres(databaseUrl, {
      max: Math.max(2, Math.min(20, (concurrency ?? 10) + 1)),
      prepare: false,
      onnotice: () => {},
      connection: { role: "service_role", application_name: "jobs" },
    })
  : null;

function authorized(req: Request): boolean {
  const given = new TextEncoder().encode(req.headers.get("authorization") ?? "");
  const want = new TextEncoder().encode(`Bearer ${secret}`);
  if (!secret || given.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= given[i] ^ want[i];
  return diff === 0;
}

const maxRunMs = num("JOBS_MAX_RUN_MS") ?? 25_000;

// One run at a time per instance: a nudge during a run asks it to look once
// more before it ends, instead of starting a second one.
let running: Promise<RunSummary> | null = null;
let again = false;

async function runUntilIdle(sql: NonNullable<typeof db>): Promise<RunSummary> {
  const total: RunSummary = { scheduled: 0, claimed: 0, succeeded: 0, failed: 0, dead: 0, ms: 0 };
  const started = Date.now();
  do {
    again = false;
    const s = await runJobs(sql, handlers, {
      concurrency,
      lockMs: num("JOBS_LOCK_MS"),
      timeoutMs: num("JOBS_TIMEOUT_MS"),
      maxRunMs: Math.max(0, maxRunMs - (Date.now() - started)),
      env,
      fetch,
    });
    total.scheduled += s.scheduled;
    total.claimed += s.claimed;
    total.succeeded += s.succeeded;
    total.failed += s.failed;
    total.dead += s.dead;
  } while (again && Date.now() - started < maxRunMs);
  total.ms = Date.now() - started;
  return total;
}

Deno.serve(
  {
    port: Number(env("PORT") || 8000),
    hostname: env("HOSTNAME") || "0.0.0.0",
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
  async (req) => {
    if (req.method !== "POST") return Response.json({ error: "method_not_allowed" }, { status: 405 });
    if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
    if (!db) {
      return Response.json({ error: "not_configured", message: "DATABASE_URL (or SUPABASE_DB_URL) is not set" }, { status: 500 });
    }
    if (running) {
      again = true;
      return Response.json({ status: "running" }, { status: 202 });
    }
    running = runUntilIdle(db);
    try {
      return Response.json({ status: "done", ...(await running) });
    } catch (e) {
      console.error("jobs run failed:", e);
      return Response.json({ error: "run_failed", message: e instanceof Error ? e.message : String(e) }, { status: 500 });
    } finally {
      running = null;
    }
  },
);
