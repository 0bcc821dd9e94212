// Per-key token buckets, in this process. A key's limit is requests per
// minute with bursts up to that many; the API answers 429 with Retry-After
// when the bucket is empty. Kept in memory rather than in Postgres because a
// shared counter row would serialise every request of a busy key on one row
// lock; with several app instances each holds its own bucket, so the
// effective limit is per instance (documented in the API reference).

interface Bucket {
  tokens: number;
  at: number;
}

const buckets = new Map<string, Bucket>();
const MAX_BUCKETS = 100_000;

/** Takes one request from the key's bucket: 0 when allowed, else seconds to wait. */
export function takeToken(keyId: string, perMinute: number, now = Date.now()): number {
  const perMs = perMinute / 60_000;
  let b = buckets.get(keyId);
  if (!b) {
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
    b = { tokens: perMinute, at: now };
    buckets.set(keyId, b);
  }
  b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
}

/** Forgets every bucket (tests). */
export function resetRateLimits() {
  buckets.clear();
}
