// How an Edge Function that drains a queue (jobs, webhook-dispatch) answers
// its callers: pg_net on every commit that queues work, pg_cron every few
// seconds, the embedded runtime's host (supabase/local/deno.ts). Each sends
// `Authorization: Bearer <secret>`. Calls arrive far more often than a run
// ends, so an instance runs one drain at a time: a call during a run answers
// 202 at once and makes the run look once more before it ends, since work
// committed after the run's last claim would otherwise wait for the next
// tick. Web-standard (Request/Response, no Deno globals) so it is tested in
// Node and served by Deno.serve.

export interface DrainRun<S> {
  /** Works through what is due for at most `budgetMs`; its figures. */
  pass(budgetMs: number): Promise<S>;
  /** Releases what the run opened, after its last pass (also when one threw). */
  close?(): Promise<void>;
}

export interface DrainOptions<S> {
  /** The bearer secret callers send; when empty every call is refused. */
  secret: string;
  /** What the function lacks to run (its database URL), or null when it has it: answered 500 not_configured. */
  missing: string | null;
  /** No pass starts after the run has taken this long. */
  maxRunMs: number;
  /** Starts a run; its passes follow until no call came in during the last one. */
  start(): DrainRun<S>;
  /** Prefix of the log line when a run fails. */
  name: string;
}

/** A run's figures: numbers add up over its passes, lists are joined, `ms` is the whole run's. */
export type DrainSummary = { ms: number };

function add<S extends DrainSummary>(total: S, pass: S): S {
  const out: Record<string, unknown> = { ...total };
  for (const [k, v] of Object.entries(pass)) {
    const t = out[k];
    if (typeof v === "number" && typeof t === "number") out[k] = t + v;
    else if (Array.isArray(v) && Array.isArray(t)) out[k] = [...t, ...v];
    else out[k] = v;
  }
  return out as S;
}

/** Constant-time comparison of the Authorization header with the expected bearer. */
export function hasBearer(req: Request, secret: string): boolean {
  const given = new TextEncoder().encode(req.headers.get("authorization") ?? "");
  const want = new TextEncoder().encode(`Bearer ${secret}`);
  if (!secret || given.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= given[i] ^ want[i];
  return diff === 0;
}

/** The function's request handler (give it to Deno.serve). */
export function drainHandler<S extends DrainSummary>(o: DrainOptions<S>): (req: Request) => Promise<Response> {
  let running = false;
  let again = false;

  async function run(): Promise<S> {
    const started = Date.now();
    let session: DrainRun<S> | undefined;
    let total: S | null = null;
    try {
      session = o.start();
      do {
        again = false;
        const s = await session.pass(Math.max(0, o.maxRunMs - (Date.now() - started)));
        total = total ? add(total, s) : s;
      } while (again && Date.now() - started < o.maxRunMs);
    } finally {
      // Cleared in the same turn as the last look at `again`: a call that
      // arrives from here on starts a run of its own instead of being lost.
      running = false;
      await session?.close?.();
    }
    return { ...total, ms: Date.now() - started };
  }

  return async (req) => {
    if (req.method !== "POST") return Response.json({ error: "method_not_allowed" }, { status: 405 });
    if (!hasBearer(req, o.secret)) return Response.json({ error: "unauthorized" }, { status: 401 });
    if (o.missing) return Response.json({ error: "not_configured", message: o.missing }, { status: 500 });
    if (running) {
      again = true;
      return Response.json({ status: "running" }, { status: 202 });
    }
    running = true;
    try {
      return Response.json({ status: "done", ...(await run()) });
    } catch (e) {
      console.error(`${o.name} failed:`, e);
      return Response.json({ error: "run_failed", message: e instanceof Error ? e.message : String(e) }, { status: 500 });
    }
  };
}
