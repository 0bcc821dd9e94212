/**
 * Request counting over fixed windows aligned to the clock (GoTrue's limits
 * are "N per 5 minutes"), per IP or per email. In memory: the local server
 * is one process, and a restart forgetting the counts is harmless.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(private readonly windowMs = 5 * 60 * 1000) {}

  /** Counts one request; false once `max` requests were seen in this window. */
  allow(key: string, max: number, now = Date.now()): boolean {
    const entry = this.hits.get(key);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      this.hits.set(key, { windowStart: now - (now % this.windowMs), count: 1 });
      this.sweep(now);
      return max >= 1;
    }
    entry.count += 1;
    return entry.count <= max;
  }

  /** Drops finished windows so the map stays as small as the active clients. */
  private sweep(now: number) {
    if (this.hits.size < 1000) return;
    for (const [key, entry] of this.hits) {
      if (now - entry.windowStart >= this.windowMs) this.hits.delete(key);
    }
  }
}
