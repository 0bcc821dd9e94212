// What the webhook settings pages read. Every query runs in the caller's
// transaction under RLS: only owners and admins see endpoints, deliveries and
// attempts, and only their org's.

import { sql, type Tx } from "@/lib/db";
import type { AttemptFilter } from "./schema";

export const PAGE_SIZE = 50;

/** Success rate and last outcome are measured over this window. */
export const STATS_DAYS = 7;

export type EndpointStatus = "enabled" | "disabled" | "failing";

export function endpointStatus(e: { enabled: boolean; disabled_reason: string | null }): EndpointStatus {
  if (e.enabled) return "enabled";
  return e.disabled_reason === "failing" ? "failing" : "disabled";
}

// A 2xx answer without a transport error is a delivered attempt.
const attemptSucceeded = sql<boolean>`(a.error is null and a.status_code between 200 and 299)`;

export interface EndpointSummary {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Date;
  status: EndpointStatus;
  last_attempt: { at: Date; succeeded: boolean; status_code: number | null; error: string | null } | null;
  /** Attempts and successful ones in the last STATS_DAYS days. */
  attempts: number;
  succeeded: number;
}

export async function listEndpoints(tx: Tx): Promise<EndpointSummary[]> {
  const rows = await tx
    .selectFrom("webhook_endpoints as e")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("webhook_attempts as a")
          .select(["a.started_at", "a.status_code", "a.error", attemptSucceeded.as("ok")])
          .whereRef("a.endpoint_id", "=", "e.id")
          .orderBy("a.started_at", "desc")
          .limit(1)
          .as("last"),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("webhook_attempts as a")
          .select([
            sql<string>`count(*)`.as("attempts"),
            sql<string>`count(*) filter (where ${attemptSucceeded})`.as("succeeded"),
          ])
          .whereRef("a.endpoint_id", "=", "e.id")
          .where("a.started_at", ">", sql<Date>`now() - make_interval(days => ${STATS_DAYS})`)
          .as("stats"),
      (join) => join.onTrue(),
    )
    .select([
      "e.id",
      "e.url",
      "e.description",
      "e.event_types",
      "e.enabled",
      "e.disabled_reason",
      "e.disabled_at",
      "e.created_at",
      "last.started_at as last_at",
      "last.status_code as last_status_code",
      "last.error as last_error",
      "last.ok as last_ok",
      "stats.attempts",
      "stats.succeeded",
    ])
    .orderBy("e.created_at")
    .orderBy("e.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    description: r.description,
    event_types: r.event_types,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    disabled_at: r.disabled_at,
    created_at: r.created_at,
    status: endpointStatus(r),
    last_attempt: r.last_at
      ? { at: r.last_at, succeeded: !!r.last_ok, status_code: r.last_status_code, error: r.last_error }
      : null,
    attempts: Number(r.attempts ?? 0),
    succeeded: Number(r.succeeded ?? 0),
  }));
}

/** Endpoints the dispatcher turned off after sustained failure. */
export function listFailingEndpoints(tx: Tx) {
  return tx
    .selectFrom("webhook_endpoints")
    .select(["id", "url", "disabled_at", "consecutive_failures"])
    .where("enabled", "=", false)
    .where("disabled_reason", "=", "failing")
    .orderBy("disabled_at", "desc")
    .limit(20)
    .execute();
}

export interface EndpointDetail {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  failing_since: Date | null;
  /** The previous secret still signs until then (null once expired). */
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  status: EndpointStatus;
  pending: number;
  dead: number;
}

/** One endpoint without its secrets (those are read only on request: revealSecret). */
export async function getEndpoint(tx: Tx, id: string): Promise<EndpointDetail | null> {
  const row = await tx
    .selectFrom("webhook_endpoints as e")
    .select([
      "e.id",
      "e.url",
      "e.description",
      "e.event_types",
      "e.enabled",
      "e.disabled_reason",
      "e.disabled_at",
      "e.consecutive_failures",
      "e.failing_since",
      sql<Date | null>`case when e.previous_secret_expires_at > now() then e.previous_secret_expires_at end`.as(
        "previous_secret_expires_at",
      ),
      "e.created_at",
      "e.updated_at",
      (eb) =>
        eb
          .selectFrom("webhook_deliveries as d")
          .select(sql<string>`count(*)`.as("n"))
          .whereRef("d.endpoint_id", "=", "e.id")
          .where("d.status", "=", "pending")
          .as("pending"),
      (eb) =>
        eb
          .selectFrom("webhook_deliveries as d")
          .select(sql<string>`count(*)`.as("n"))
          .whereRef("d.endpoint_id", "=", "e.id")
          .where("d.status", "=", "dead")
          .as("dead"),
    ])
    .where("e.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return { ...row, status: endpointStatus(row), pending: Number(row.pending ?? 0), dead: Number(row.dead ?? 0) };
}

export function getEndpointSecret(tx: Tx, id: string) {
  return tx.selectFrom("webhook_endpoints").select(["secret"]).where("id", "=", id).executeTakeFirst();
}

export interface AttemptRow {
  id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  next_attempt_at: Date | null;
  succeeded: boolean;
}

export interface Page<T> {
  rows: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last. */
  next_cursor: string | null;
}

const isId = (s: string | undefined): s is string => !!s && /^\d{1,18}$/.test(s);

/**
 * An endpoint's attempts, newest first, keyset-paginated on
 * (started_at, id). The cursor is the last row's id; its position is read
 * back in SQL so timestamps keep their full precision.
 */
export async function listAttempts(
  tx: Tx,
  endpointId: string,
  opts: { status?: AttemptFilter; cursor?: string; limit?: number } = {},
): Promise<Page<AttemptRow>> {
  const limit = opts.limit ?? PAGE_SIZE;
  let q = tx
    .selectFrom("webhook_attempts as a")
    .innerJoin("webhook_deliveries as d", "d.id", "a.delivery_id")
    .select([
      "a.id",
      "a.delivery_id",
      "d.event_id",
      "d.event_type",
      "a.attempt",
      "a.started_at",
      "a.duration_ms",
      "a.status_code",
      "a.error",
      "a.response_excerpt",
      "a.next_attempt_at",
      attemptSucceeded.as("succeeded"),
    ])
    .where("a.endpoint_id", "=", endpointId)
    .orderBy("a.started_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit + 1);
  if (opts.status === "succeeded") q = q.where(attemptSucceeded);
  if (opts.status === "failed") q = q.where(sql<boolean>`not ${attemptSucceeded}`);
  if (isId(opts.cursor)) {
    q = q.where(
      sql<boolean>`(a.started_at, a.id) < (select c.started_at, c.id from public.webhook_attempts c where c.id = ${opts.cursor})`,
    );
  }
  const rows = await q.execute();
  return page(rows, limit);
}

export interface DeadLetterRow {
  id: string;
  event_id: string;
  event_type: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  dead_at: Date | null;
}

/**
 * Dead-lettered deliveries, most recently given up first, keyset-paginated on
 * (dead_at, id). A cursor whose delivery was replayed meanwhile starts over
 * from the newest.
 */
export async function listDeadLetters(
  tx: Tx,
  endpointId: string,
  opts: { cursor?: string; limit?: number } = {},
): Promise<Page<DeadLetterRow>> {
  const limit = opts.limit ?? PAGE_SIZE;
  let q = tx
    .selectFrom("webhook_deliveries as d")
    .select(["d.id", "d.event_id", "d.event_type", "d.attempts", "d.last_status_code", "d.last_error", "d.created_at", "d.dead_at"])
    .where("d.endpoint_id", "=", endpointId)
    .where("d.status", "=", "dead")
    .orderBy("d.dead_at", "desc")
    .orderBy("d.id", "desc")
    .limit(limit + 1);
  if (isId(opts.cursor)) {
    q = q.where(
      sql<boolean>`coalesce((d.dead_at, d.id) < (select c.dead_at, c.id from public.webhook_deliveries c
                                                  where c.id = ${opts.cursor} and c.status = 'dead'), true)`,
    );
  }
  const rows = await q.execute();
  return page(rows, limit);
}

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { rows: shown, next_cursor: more ? shown[shown.length - 1].id : null };
}
