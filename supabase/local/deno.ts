// The embedded runtime's stand-in for Supabase Edge Functions, pg_net and
// pg_cron: runs a function under real Deno (the `deno` npm package), serves
// it on the local API as /functions/v1/<name>, restarts it when it crashes,
// and (for a function that works through a queue) calls it when a commit
// queued work (LISTEN <channel>) and every few seconds for retries.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "../..");
const DENO = path.join(root, "node_modules/.bin/deno");

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

export interface EdgeFunctionSpec {
  /** Served at /functions/v1/<name>. */
  name: string;
  /** Its index.ts. */
  file: string;
  /**
   * The variable the function reads its bearer secret from; a new secret is
   * made for each start of the runtime. None for a function a provider calls
   * (meta-webhook), which checks its callers' signatures itself.
   */
  secretEnv?: string;
  /** Work through a queue: called on every NOTIFY on this channel and every tick. */
  nudgeOn?: string;
  env?: Record<string, string>;
}

export interface HostOptions {
  /** The app's login (it may `set role service_role`); the function and LISTEN use it. */
  databaseUrl: string;
  /** How often a queue function is called for work that came due (default 5 s). */
  tickMs?: number;
  /** Extra environment for the function (thresholds, time limits). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface HostedFunction {
  name: string;
  /** The function's own address (what /functions/v1/<name> forwards to). */
  readonly functionUrl: string;
  /** Sent as `Authorization: Bearer <secret>` by callers of the function. */
  secret: string;
  /** Forwards a request on the local API to the function. */
  handle(req: Request): Promise<Response>;
  /** Asks a queue function to run now (coalesced with a call in flight). */
  nudge(): void;
  close(): Promise<void>;
}

export async function hostEdgeFunction(spec: EdgeFunctionSpec, opts: HostOptions): Promise<HostedFunction> {
  const log = opts.log ?? ((l: string) => console.log(`[${spec.name}] ${l}`));
  const secret = randomBytes(24).toString("base64url");
  const env = { ...spec.env, ...opts.env, DATABASE_URL: opts.databaseUrl, ...(spec.secretEnv ? { [spec.secretEnv]: secret } : {}) };
  let fn = await startDenoFunction(spec.file, env, log);
  let closing = false;
  // The function exited and is not running again yet: nothing is sent to it.
  let down = false;

  // A crashed function is started again; work it had claimed comes back when
  // its claims expire. Whether it crashed is decided after a pause: a Ctrl-C
  // in the terminal reaches the function and this process together, and the
  // function may exit before the stack's shutdown has closed the host. Exits
  // while closing are neither restarted nor reported.
  const watch = (f: DenoFunction) =>
    f.child.once("exit", (code, signal) => {
      if (closing) return;
      down = true;
      setTimeout(async () => {
        if (closing) return;
        log(`${spec.name} exited (${signal ?? code}); restarting`);
        try {
          fn = await startDenoFunction(spec.file, env, log);
          down = false;
          watch(fn);
          nudge();
        } catch (e) {
          log(`${spec.name} could not restart: ${e instanceof Error ? e.message : e}`);
        }
      }, 1000);
    });
  watch(fn);

  let inFlight = false;
  let dirty = false;
  // The restart nudges the new function in its turn.
  function nudge() {
    if (closing || down || !spec.nudgeOn) return;
    if (inFlight) {
      dirty = true;
      return;
    }
    inFlight = true;
    dirty = false;
    const target = fn;
    fetch(target.url, { method: "POST", headers: { authorization: `Bearer ${secret}` } })
      .then(async (res) => {
        if (res.status >= 500) log(`${spec.name} answered ${res.status}: ${await res.text()}`);
        else await res.body?.cancel();
      })
      .catch((e) => {
        // A request cut off by the function exiting is told by the exit (as a
        // crash, or not at all when stopping), which can be noticed a moment
        // after the broken connection.
        setTimeout(() => {
          if (!closing && target.child.exitCode === null && target.child.signalCode === null) {
            log(`${spec.name} unreachable: ${e instanceof Error ? e.message : e}`);
          }
        }, 500);
      })
      .finally(() => {
        inFlight = false;
        if (dirty) nudge();
      });
  }

  let listener: postgres.Sql | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  if (spec.nudgeOn) {
    listener = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await listener.listen(spec.nudgeOn, () => nudge());
    } catch (e) {
      closing = true;
      await fn.stop();
      await listener.end();
      throw e;
    }
    tick = setInterval(nudge, opts.tickMs ?? 5000);
    nudge();
  }

  const prefix = `/functions/v1/${spec.name}`;
  return {
    name: spec.name,
    get functionUrl() {
      return fn.url;
    },
    secret,
    async handle(req) {
      const url = new URL(req.url);
      const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || "/" : url.pathname;
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
      await listener?.end({ timeout: 1 });
      await fn.stop();
    },
  };
}
