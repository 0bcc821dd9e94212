// The job queue's two ends: enqueueJob (any server code or Edge Function
// holding a service_role connection) and runJobs (the `jobs` Edge Function,
// and tests), which claims due jobs with FOR UPDATE SKIP LOCKED, runs each
// kind's handler with a concurrency limit and records every attempt. Plain
// web-standard TypeScript on a postgres.js connection, so Deno runs it.
//
// At-least-once: a claim only sets locked_until, so the jobs of a worker that
// dies are claimed again when their lease runs out. Handlers make their work
// idempotent (upsert by the provider's id, send with a dedupe key).
import { nextAttemptAt } from "../../lib/backoff.ts";

/** The part of a postgres.js `sql` the queue uses; it must act as service_role. */
export interface SqlClient {
  // deno-lint-ignore no-explicit-any
  unsafe(query: string, params?: any[]): PromiseLike<readonly Record<string, any>[]>;
}

export interface Job {
  id: string;
  kind: string;
  orgId: string | null;
  payload: unknown;
  /** 1 on the first run; counts from 1 again after an admin's retry. */
  attempt: number;
  /** The attempt that is the last: a handler that must act when its work is given up acts on it. */
  maxAttempts: number;
}

/**
 * Outbound requests to addresses an org chose (a partner's webhook): the
 * host's resolver and a fetch pinned to the address the SSRF guard checked
 * (modules/webhooks' checkUrl and pinnedFetch). The Edge Function supplies it.
 */
export interface JobNetwork {
  resolve: (hostname: string) => Promise<string[]>;
  send: (url: URL, address: string, init: RequestInit) => Promise<Response>;
}

export interface JobContext {
  /** postgres.js as service_role: RLS does not protect other orgs' rows here, so scope every query by `job.orgId`. */
  sql: SqlClient;
  /** The function's environment (provider URLs, keys); "" when unset. */
  env: (name: string) => string;
  fetch: typeof fetch;
  /** Aborted when the job has run for `timeoutMs`: pass it to fetch and long queries. */
  signal: AbortSignal;
  /** Absent where the host gives none (a handler that needs it fails permanently). */
  net?: JobNetwork;
}

/** Does the job's work; throws to fail it (retried with backoff unless PermanentJobError). */
export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

/** A failure that retrying cannot fix (bad payload, revoked access): the job is dead-lettered at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export interface EnqueueInput {
  kind: string;
  payload: unknown;
  orgId?: string | null;
  /** Unique per kind: enqueueing the same key again returns the first job's id and queues nothing. */
  key?: string | null;
  runAt?: Date | null;
  maxAttempts?: number;
}

/** Queues a job (idempotent by kind + key) and returns its id. */
export async function enqueueJob(sql: SqlClient, input: EnqueueInput): Promise<bigint | string> {
  const [row] = await sql.unsafe(
    "select private.enqueue_job($1, $2::text::jsonb, $3, $4, coalesce($5::timestamptz, now()), $6) as id",
    [
      input.kind,
      JSON.stringify(input.payload ?? {}),
      input.orgId ?? null,
      input.key ?? null,
      input.runAt ? input.runAt.toISOString() : null,
      input.maxAttempts ?? 8,
    ],
  );
  return row.id;
}

export interface RunOptions {
  /** Jobs run at once. */
  concurrency?: number;
  /** Jobs claimed per statement at most. */
  batchSize?: number;
  /** How long a claim holds before another worker may take the job. */
  lockMs?: number;
  /** A handler running longer than this fails (its signal is aborted). Keep it under lockMs. */
  timeoutMs?: number;
  /** No new job is claimed after this long (the caller's time limit). */
  maxRunMs?: number;
  env?: (name: string) => string;
  fetch?: typeof fetch;
  net?: JobNetwork;
  random?: () => number;
}

export interface RunSummary {
  /** Jobs queued by due schedules at the start of the run. */
  scheduled: number;
  claimed: number;
  succeeded: number;
  /** Failed and due to be retried. */
  failed: number;
  dead: number;
  ms: number;
}

export const DEFAULTS = {
  concurrency: 10,
  batchSize: 50,
  lockMs: 120_000,
  timeoutMs: 60_000,
  maxRunMs: 25_000,
} as const;

interface Claimed {
  id: string;
  kind: string;
  org_id: string | null;
  payload: unknown;
  attempt: number;
  max_attempts: number;
}

// Postgres text cannot hold NUL.
const clean = (s: string) => s.replaceAll("\u0000", "");

function describe(e: unknown): string {
  if (e instanceof Error) return clean(e.message || e.name).slice(0, 1000);
  return clean(String(e)).slice(0, 1000);
}

/**
 * Queues due schedules, then claims and runs due jobs until none are left
 * or `maxRunMs` has passed, and waits for the jobs it started. Never throws
 * for anything a handler does; database errors propagate (claims then
 * simply expire).
 */
export async function runJobs(sql: SqlClient, handlers: Record<string, JobHandler>, opts: RunOptions = {}): Promise<RunSummary> {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULTS, ...(given as RunOptions) };
  const random = opts.random ?? Math.random;
  const env = opts.env ?? (() => "");
  const doFetch = opts.fetch ?? fetch;
  const started = Date.now();
  const summary: RunSummary = { scheduled: 0, claimed: 0, succeeded: 0, failed: 0, dead: 0, ms: 0 };

  const [{ n }] = await sql.unsafe("select private.enqueue_due_job_schedules() as n");
  summary.scheduled = Number(n);

  const run = async (job: Claimed): Promise<void> => {
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    let error: string | null = null;
    let permanent = false;
    if (!handler) {
      error = `unknown_kind: no handler for "${job.kind}" in supabase/functions/jobs/handlers.ts`;
      permanent = true;
    } else {
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Rejected first: a handler that returns as soon as it is aborted still timed out.
          reject(new Error(`timeout: the handler ran longer than ${o.timeoutMs / 1000} s`));
          controller.abort(new DOMException("The job ran too long", "TimeoutError"));
        }, o.timeoutMs);
      });
      try {
        await Promise.race([
          handler(
            { id: String(job.id), kind: job.kind, orgId: job.org_id, payload: job.payload, attempt: job.attempt, maxAttempts: job.max_attempts },
            { sql, env, fetch: doFetch, signal: controller.signal, net: opts.net },
          ),
          timedOut,
        ]);
      } catch (e) {
        error = describe(e);
        permanent = e instanceof PermanentJobError || (e as Error)?.name === "PermanentJobError";
      } finally {
        clearTimeout(timer);
      }
    }
    const retryAt = error === null || permanent ? null : nextAttemptAt(job.attempt, Date.now(), null, random, job.max_attempts);
    const [row] = await sql.unsafe("select private.finish_job($1, $2, $3, $4, $5::timestamptz) as status", [
      job.id,
      job.attempt,
      error === null,
      error,
      retryAt?.toISOString() ?? null,
    ]);
    if (row.status === "succeeded") summary.succeeded++;
    else if (row.status === "pending") summary.failed++;
    else if (row.status === "dead") summary.dead++;
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let drained = false;
  while (failure === null) {
    const free = o.concurrency - inFlight.size;
    // Claims wait for half the slots to be free, so that one claim serves
    // several jobs instead of one statement per finished job.
    const worthClaiming = free > 0 && (inFlight.size === 0 || free >= o.concurrency / 2);
    if (worthClaiming && !drained && Date.now() - started < o.maxRunMs) {
      const batch = (await sql.unsafe("select * from private.claim_jobs($1, $2::interval)", [
        Math.min(free, o.batchSize),
        `${o.lockMs} milliseconds`,
      ])) as unknown as Claimed[];
      summary.claimed += batch.length;
      if (batch.length === 0) drained = true;
      for (const job of batch) {
        const p: Promise<void> = run(job)
          .catch((e) => {
            failure ??= e;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (batch.length > 0) continue;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
    // A finished job frees a slot, and jobs may have come due meanwhile.
    drained = false;
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  summary.ms = Date.now() - started;
  return summary;
}
