// webhook-dispatch: sends due webhook deliveries (modules/webhooks). Called
// by pg_net when events fan out and by pg_cron every few seconds in
// production, by the local scheduler (supabase/local/webhooks.ts) in the
// embedded runtime. Thin: check the caller, run the dispatcher.
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

function authorized(req: Request): boolean {
  const given = new TextEncoder().encode(req.headers.get("authorization") ?? "");
  const want = new TextEncoder().encode(`Bearer ${secret}`);
  if (!secret || given.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= given[i] ^ want[i];
  return diff === 0;
}

const maxRunMs = num("WEBHOOK_DISPATCH_MAX_RUN_MS") ?? 25_000;

// One run at a time per instance: a nudge during a run asks it to look once
// more before it ends, instead of starting a second one.
let running: Promise<DispatchSummary> | null = null;
let again = false;

async function dispatchUntilIdle(sql: NonNullable<typeof db>): Promise<DispatchSummary> {
  const total: DispatchSummary = { claimed: 0, succeeded: 0, failed: 0, dead: 0, disabled: [], ms: 0 };
  const started = Date.now();
  // Each request goes to the address the SSRF guard checked (see pinned-fetch.ts).
  const send = pinnedFetch(undici as unknown as Undici);
  try {
    do {
      again = false;
      const s = await runDispatch(sql, {
        allowLoopback: env("COVEY_WEBHOOKS_ALLOW_LOOPBACK") === "1",
        resolve,
        send,
        maxRunMs: Math.max(0, maxRunMs - (Date.now() - started)),
        lockMs: num("WEBHOOK_DISPATCH_LOCK_MS"),
        disableAfterFailures: num("WEBHOOK_DISABLE_AFTER_FAILURES"),
        disableAfterMs: num("WEBHOOK_DISABLE_AFTER_MS"),
      });
      total.claimed += s.claimed;
      total.succeeded += s.succeeded;
      total.failed += s.failed;
      total.dead += s.dead;
      total.disabled.push(...s.disabled);
    } while (again && Date.now() - started < maxRunMs);
  } finally {
    await send.close();
  }
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
    running = dispatchUntilIdle(db);
    try {
      return Response.json({ status: "done", ...(await running) });
    } catch (e) {
      console.error("webhook dispatch failed:", e);
      return Response.json({ error: "dispatch_failed", message: e instanceof Error ? e.message : String(e) }, { status: 500 });
    } finally {
      running = null;
    }
  },
);
