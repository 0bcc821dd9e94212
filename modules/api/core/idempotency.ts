import { createHash } from "node:crypto";
import type { ApiKeyClaims, Tx } from "@/lib/db";
import { sql } from "@/lib/db";
import { DomainError } from "@/lib/errors";

/** An operation's answer as it is stored and replayed (operation.ts's OperationResult). */
interface StoredResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Keys are remembered this long; after it the same key starts afresh. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * Runs a POST once per Idempotency-Key. The key row is inserted in the
 * request's own transaction before the work, so a concurrent repeat waits on
 * it and then replays the stored answer; a failed request rolls its key back
 * and may be retried. Reusing a key for a different request is refused.
 */
export async function withIdempotency(
  tx: Tx,
  claims: ApiKeyClaims,
  req: { key: string; method: string; path: string; body: string },
  run: () => Promise<StoredResult>,
): Promise<StoredResult & { replayed: boolean }> {
  if (req.key.length < 1 || req.key.length > 255) {
    throw new DomainError("invalid_query", "Idempotency-Key must be 1 to 255 characters", { details: {
      "Idempotency-Key": ["1 to 255 characters"],
    } });
  }
  const hash = createHash("sha256").update(`${req.method} ${req.path}\n${req.body}`).digest();
  const { rows: inserted } = await sql<{ key: string }>`
    insert into public.api_idempotency_keys (org_id, api_key_id, key, method, path, request_hash)
    values (${claims.org_id}, ${claims.api_key_id}, ${req.key}, ${req.method}, ${req.path}, ${hash})
    on conflict (api_key_id, key) do update
      set method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
          status = null, response = null, created_at = now()
      where api_idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
    returning key`.execute(tx);
  if (inserted.length === 0) {
    const { rows } = await sql<{ request_hash: Buffer; status: number | null; response: unknown }>`
      select request_hash, status, response from public.api_idempotency_keys
      where api_key_id = ${claims.api_key_id} and key = ${req.key}`.execute(tx);
    const prior = rows[0];
    if (!prior || !Buffer.from(prior.request_hash).equals(hash)) {
      throw new DomainError("idempotency_key_reused", "This Idempotency-Key was already used for a different request");
    }
    return { status: prior.status ?? 200, body: prior.response, replayed: true };
  }
  const result = await run();
  await sql`
    update public.api_idempotency_keys set status = ${result.status ?? 200}, response = ${JSON.stringify(result.body ?? null)}::text::jsonb
    where api_key_id = ${claims.api_key_id} and key = ${req.key}`.execute(tx);
  return { ...result, replayed: false };
}
