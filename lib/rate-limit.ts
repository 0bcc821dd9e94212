import { database, sql } from "@/lib/db";

export interface RateLimitRule {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit against every rule; returns the longest wait in seconds
 * when any rule is exceeded, else 0. Kept in Postgres so the limit holds
 * across app instances.
 */
export async function hitRateLimits(rules: RateLimitRule[]): Promise<number> {
  return database().asService(async (tx) => {
    let wait = 0;
    for (const r of rules) {
      const { rows } = await sql<{ wait: number }>`
        select private.rate_limit_hit(${r.bucket}, ${r.max}, ${r.windowSeconds}) as wait`.execute(tx);
      wait = Math.max(wait, rows[0].wait);
    }
    return wait;
  });
}
