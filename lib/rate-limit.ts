import { database, sql, type Tx } from "@/lib/db";

export interface RateLimitRule {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit against every rule, in one statement of `tx` (which must
 * act as service_role); returns the longest wait in seconds when any rule is
 * exceeded, else 0. Each rule is its own column, so every one is counted.
 */
export async function hitRateLimitsIn(tx: Tx, rules: RateLimitRule[]): Promise<number> {
  if (!rules.length) return 0;
  const calls = rules.map((r, i) => sql`private.rate_limit_hit(${r.bucket}, ${r.max}, ${r.windowSeconds}) as ${sql.ref(`w${i}`)}`);
  const { rows } = await sql<Record<string, number>>`select ${sql.join(calls)}`.execute(tx);
  return Math.max(0, ...Object.values(rows[0]));
}

/**
 * hitRateLimitsIn in a transaction of its own. Kept in Postgres so the limit
 * holds across app instances.
 */
export async function hitRateLimits(rules: RateLimitRule[]): Promise<number> {
  return database().asService((tx) => hitRateLimitsIn(tx, rules));
}
