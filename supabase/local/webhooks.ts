// The embedded runtime's stand-in for pg_net + pg_cron: runs the
// webhook-dispatch Edge Function under real Deno (the `deno` npm package),
// serves it on the local API as /functions/v1/webhook-dispatch, and calls it
// when a transaction fans out deliveries (LISTEN covey_webhooks) and every
// few seconds for retries that come due. Every 10 minutes it prunes the
// webhook history (private.prune_webhook_history, as pg_cron does in
// production).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "../..");
const DENO = path.join(root, "node_modules/.bin/deno");
export const WEBHOOK_DISPATCH_FUNCTION = path.join(root, "supabase/functions/webhook-dispatch/index.ts");

export interface WebhookSchedulerOptions {
  /** The app's login (it may `set role service_role`); the function and LISTEN use it. */
  databaseUrl: string;
  /** How often due retries are looked for (default 5 s). */
  tickMs?: number;
  /** How often the webhook history is pruned (default every 10 minutes, first a minute after start; 0: never). */
  pruneMs?: number;
  /** Extra environment for the function (thresholds, time limits). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface WebhookScheduler {
  /** The function's own address (what /functions/v1/webhook-dispatch forwards to). */
  functionUrl: string;
  /** Sent as `Authorization: Bearer <secret>` by callers of the function. */
  secret: string;
  /** Forwards a request on the local API to the function. */
  handle(req: Request): Promise<Response>;
  /** Asks for a dispatch now (coalesced with one already running). */
  nudge(): void;
  close(): Promise<void>;
}

export interface DenoFunction {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the Edge Function under Deno on a free loopback port. */
export function startDenoFunction(
  file: string,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<DenoFunction> {
  const child = spawn(
    DENO,
    ["run", "--allow-net", "--allow-env", "--allow-read", "--no-prompt", file],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: "0", HOSTNAME: "127.0.0.1", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const name = path.basename(path.dirname(file));
  createInterface({ input: child.stderr! }).on("line", (l) => log(`[${name}] ${l}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within 60 s`));
    }, 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let port: number | undefined;
      try {
        port = (JSON.parse(line) as { listening?: number }).listening;
      } catch {
        // not the listening line
      }
      if (port === undefined) {
        log(`[${name}] ${line}`);
        return;
      }
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        url: `http://127.0.0.1:${port}`,
        child,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        },
      });
    });
  });
}

export function denoAvailable(): boolean {
  return existsSync(DENO);
}

export async function startWebhookScheduler(opts: WebhookSchedulerOptions): Promise<WebhookScheduler> {
  const log = opts.log ?? ((l: string) => console.log(`[webhooks] ${l}`));
  const secret = randomBytes(24).toString("base64url");
  const env = {
    ...opts.env,
    DATABASE_URL: opts.databaseUrl,
    WEBHOOK_DISPATCH_SECRET: secret,
    COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1",
  };
  let fn = await startDenoFunction(WEBHOOK_DISPATCH_FUNCTION, env, log);
  let closing = false;
  // The function exited and is not running again yet: nothing is sent to it.
  let down = false;

  // A crashed function is started again; deliveries it had claimed come back
  // when their claims expire. Whether it crashed is decided after a pause: a
  // Ctrl-C in the terminal reaches the function and this process together,
  // and the function may exit before the stack's shutdown has closed the
  // scheduler. Exits while closing are neither restarted nor reported.
  const watch = (f: DenoFunction) =>
    f.child.once("exit", (code, signal) => {
      if (closing) return;
      down = true;
      setTimeout(async () => {
        if (closing) return;
        log(`webhook-dispatch exited (${signal ?? code}); restarting`);
        try {
          fn = await startDenoFunction(WEBHOOK_DISPATCH_FUNCTION, env, log);
          down = false;
          watch(fn);
          nudge();
        } catch (e) {
          log(`webhook-dispatch could not restart: ${e instanceof Error ? e.message : e}`);
        }
      }, 1000);
    });
  watch(fn);

  let inFlight = false;
  let dirty = false;
  // The restart nudges the new function in its turn.
  function nudge() {
    if (closing || down) return;
    if (inFlight) {
      dirty = true;
      return;
    }
    inFlight = true;
    dirty = false;
    const target = fn;
    fetch(target.url, { method: "POST", headers: { authorization: `Bearer ${secret}` } })
      .then(async (res) => {
        if (res.status >= 500) log(`webhook-dispatch answered ${res.status}: ${await res.text()}`);
        else await res.body?.cancel();
      })
      .catch((e) => {
        // A request cut off by the function exiting is told by the exit (as a
        // crash, or not at all when stopping), which can be noticed a moment
        // after the broken connection.
        setTimeout(() => {
          if (!closing && target.child.exitCode === null && target.child.signalCode === null) {
            log(`webhook-dispatch unreachable: ${e instanceof Error ? e.message : e}`);
          }
        }, 500);
      })
      .finally(() => {
        inFlight = false;
        if (dirty) nudge();
      });
  }

  const listener = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await listener.listen("covey_webhooks", () => nudge());
  } catch (e) {
    closing = true;
    await fn.stop();
    await listener.end();
    throw e;
  }
  const tick = setInterval(nudge, opts.tickMs ?? 5000);
  nudge();

  // On a connection of its own, as service_role: the listener's is busy listening.
  async function prune() {
    const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {}, connection: { role: "service_role", application_name: "webhook-prune" } });
    try {
      const [r] = await sql<{ deliveries: string; events: string }[]>`select deliveries, events from private.prune_webhook_history()`;
      if (Number(r.deliveries) || Number(r.events)) log(`webhook history pruned: ${r.deliveries} deliveries, ${r.events} domain events`);
    } catch (e) {
      if (!closing) log(`webhook history could not be pruned: ${e instanceof Error ? e.message : e}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  const pruneMs = opts.pruneMs ?? 600_000;
  const pruneTimers = pruneMs > 0 ? [setTimeout(prune, Math.min(pruneMs, 60_000)), setInterval(prune, pruneMs)] : [];

  return {
    get functionUrl() {
      return fn.url;
    },
    secret,
    async handle(req) {
      const url = new URL(req.url);
      const rest = url.pathname.replace(/^\/functions\/v1\/webhook-dispatch/, "") || "/";
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const headers = new Headers(req.headers);
      for (const h of ["host", "connection", "content-length", "transfer-encoding"]) headers.delete(h);
      return fetch(`${fn.url}${rest}${url.search}`, {
        method: req.method,
        headers,
        body: hasBody ? await req.arrayBuffer() : undefined,
      });
    },
    nudge,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(tick);
      for (const timer of pruneTimers) clearTimeout(timer);
      await listener.end({ timeout: 1 });
      await fn.stop();
    },
  };
}
