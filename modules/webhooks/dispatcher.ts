// The webhook dispatcher: claims due deliveries, sends each as a signed
// Standard Webhooks request, and records every attempt. Runs in the
// webhook-dispatch Edge Function (Deno) and in tests (Node); plain
// web-standard TypeScript on a postgres.js connection.
//
// At-least-once: a claim only sets locked_until, so deliveries claimed by a
// worker that dies become due again when it expires and are sent again with
// the same webhook-id (the event's id), which receivers use to deduplicate.
import { nextAttemptAt } from "../../lib/backoff.ts";
import { buildPayload, type WebhookEvent } from "./payload.ts";
import { signWebhook } from "./sign.ts";
import type { PinnedFetch } from "./pinned-fetch.ts";
import { checkUrl, type Resolver, type UrlCheck } from "./ssrf.ts";

/** The part of a postgres.js `sql` the dispatcher uses; it must act as service_role. */
export interface SqlClient {
  // deno-lint-ignore no-explicit-any
  unsafe(query: string, params?: any[]): PromiseLike<readonly Record<string, any>[]>;
}

export interface DispatchOptions {
  /** The embedded runtime: receivers on loopback are allowed (see ssrf.ts). */
  allowLoopback: boolean;
  /** Host name → addresses (Deno.resolveDns, node:dns). */
  resolve: Resolver;
  /** Sends each request to the address its URL was checked against (pinnedFetch). */
  send: PinnedFetch;
  /** Deliveries claimed per statement. */
  batchSize?: number;
  /** Requests in flight per batch. */
  concurrency?: number;
  /** Batches in flight at once. */
  lanes?: number;
  /** Per request, headers and the body excerpt included. */
  timeoutMs?: number;
  /** How long a claim holds before another worker may take the delivery. */
  lockMs?: number;
  /** No new batch is claimed after this long (the caller's time limit). */
  maxRunMs?: number;
  /** An endpoint is disabled after this many failed attempts in a row... */
  disableAfterFailures?: number;
  /** ...that have gone on for at least this long. */
  disableAfterMs?: number;
  random?: () => number;
}

export interface DispatchSummary {
  claimed: number;
  succeeded: number;
  failed: number;
  dead: number;
  /** Endpoints disabled by this run for failing. */
  disabled: string[];
  ms: number;
}

interface Claimed extends WebhookEvent {
  delivery_id: string | number;
  attempt: number;
  endpoint_id: string;
  url: string;
  secrets: string[];
}

export interface AttemptResult {
  delivery_id: string | number;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  succeeded: boolean;
  next_attempt_at: string | null;
}

const EXCERPT_BYTES = 1024;
const USER_AGENT = "Covey-Webhooks/1.0";

export const DEFAULTS = {
  batchSize: 100,
  concurrency: 50,
  lanes: 4,
  timeoutMs: 10_000,
  lockMs: 60_000,
  maxRunMs: 25_000,
  disableAfterFailures: 20,
  disableAfterMs: 3600_000,
} as const;

// Postgres text cannot hold NUL.
const clean = (s: string) => s.replaceAll("\u0000", "");

async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off by the timeout or a reset: the status already decided.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, EXCERPT_BYTES));
  let at = 0;
  for (const c of chunks) {
    if (at >= bytes.length) break;
    bytes.set(c.subarray(0, bytes.length - at), at);
    at += c.byteLength;
  }
  return clean(new TextDecoder().decode(bytes)).slice(0, EXCERPT_BYTES);
}

/** A failed request's cause, as `<code>: <detail>` for the delivery log. */
export function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError" || err?.cause?.name === "TimeoutError") {
    return `timeout: no response within ${timeoutMs / 1000} s`;
  }
  const code = err?.cause?.code ?? "";
  const text = `${err?.message ?? ""} ${err?.cause?.message ?? ""}`.toLowerCase();
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || /reset|closed|broken pipe|incomplete message|eof/.test(text)) {
    return "connection_reset: the receiver closed the connection";
  }
  if (code === "ECONNREFUSED" || text.includes("refused")) return "connection_refused: nothing accepts connections there";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || /dns|lookup|name resolution/.test(text)) {
    return "dns: the host name does not resolve";
  }
  if (/certificate|tls|ssl|handshake/.test(text) || code.startsWith("ERR_TLS") || code.includes("CERT")) {
    return `tls: ${clean(err?.cause?.message ?? err?.message ?? "handshake failed")}`.slice(0, 300);
  }
  return `network: ${clean(err?.cause?.message ?? err?.message ?? String(e))}`.slice(0, 300);
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the order. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Claims and sends due deliveries until none are left or `maxRunMs` has
 * passed. Never throws for anything a receiver does; database errors
 * propagate (claims then simply expire).
 */
export async function runDispatch(sql: SqlClient, opts: DispatchOptions): Promise<DispatchSummary> {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULTS, ...(given as DispatchOptions) };
  const random = opts.random ?? Math.random;
  const started = Date.now();
  const summary: DispatchSummary = { claimed: 0, succeeded: 0, failed: 0, dead: 0, disabled: [], ms: 0 };
  // One DNS answer per URL per run.
  const checks = new Map<string, Promise<UrlCheck>>();
  const check = (url: string) => {
    let c = checks.get(url);
    if (!c) {
      c = checkUrl(url, { allowLoopback: o.allowLoopback, resolve: o.resolve });
      checks.set(url, c);
    }
    return c;
  };

  const deliver = async (d: Claimed): Promise<AttemptResult> => {
    const startedAt = Date.now();
    const result = (r: Partial<AttemptResult> & { succeeded: boolean }, retryAfter?: string | null): AttemptResult => {
      const now = Date.now();
      return {
        delivery_id: d.delivery_id,
        attempt: d.attempt,
        started_at: new Date(startedAt).toISOString(),
        duration_ms: now - startedAt,
        status_code: null,
        error: null,
        response_excerpt: null,
        ...r,
        next_attempt_at: r.succeeded ? null : (nextAttemptAt(d.attempt, now, retryAfter, random)?.toISOString() ?? null),
      };
    };
    try {
      const target = await check(d.url);
      if (!target.ok) {
        const error = target.reason.startsWith("dns:") ? target.reason : `ssrf_blocked: ${target.reason}`;
        return result({ succeeded: false, error });
      }
      const body = JSON.stringify(buildPayload(d));
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = await signWebhook(d.secrets, d.event_id, timestamp, body);
      let res: Response;
      try {
        // Connected to the address just checked: resolving the name again
        // could give another answer (DNS rebinding) and reach an internal one.
        res = await o.send(target.url, target.address, {
          method: "POST",
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(o.timeoutMs),
          headers: {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": d.event_id,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": signature,
          },
        });
      } catch (e) {
        return result({ succeeded: false, error: describeFetchError(e, o.timeoutMs) });
      }
      const excerpt = await readExcerpt(res);
      const status = res.status;
      if (status >= 200 && status < 300) return result({ succeeded: true, status_code: status, response_excerpt: excerpt });
      const error =
        status >= 300 && status < 400
          ? `redirect: ${status} to ${clean(res.headers.get("location") ?? "nowhere")} (redirects are not followed)`.slice(0, 300)
          : `http_error: HTTP ${status}`;
      return result({ succeeded: false, status_code: status, error, response_excerpt: excerpt }, res.headers.get("retry-after"));
    } catch (e) {
      // Our own fault (a payload that cannot be built): logged like any failure.
      return result({ succeeded: false, error: `internal: ${clean(e instanceof Error ? e.message : String(e))}`.slice(0, 300) });
    }
  };

  const claim = async (): Promise<Claimed[]> =>
    (await sql.unsafe("select * from private.claim_webhook_deliveries($1, $2::interval)", [
      o.batchSize,
      `${o.lockMs} milliseconds`,
    ])) as Claimed[];

  const record = async (results: AttemptResult[]) => {
    const rows = await sql.unsafe(
      "select id from private.record_webhook_attempts($1::text::jsonb, $2, $3::interval) id",
      [JSON.stringify(results), o.disableAfterFailures, `${o.disableAfterMs} milliseconds`],
    );
    for (const r of results) {
      if (r.succeeded) summary.succeeded++;
      else {
        summary.failed++;
        if (!r.next_attempt_at) summary.dead++;
      }
    }
    summary.disabled.push(...rows.map((r) => String(r.id)));
  };

  const lane = async () => {
    while (Date.now() - started < o.maxRunMs) {
      const batch = await claim();
      if (batch.length === 0) return;
      summary.claimed += batch.length;
      await record(await mapBounded(batch, o.concurrency, deliver));
      if (batch.length < o.batchSize) return;
    }
  };

  await Promise.all(Array.from({ length: o.lanes }, lane));
  summary.ms = Date.now() - started;
  return summary;
}
