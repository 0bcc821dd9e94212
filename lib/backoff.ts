// When to try failed work again (a webhook delivery, a job): exponential
// backoff with jitter, from about 5 seconds after the first attempt to about
// 10 hours before the eighth, unless the other side asked for a time
// (Retry-After). Plain web-standard TypeScript: Edge Functions import it.

export const MAX_ATTEMPTS = 8;
const FIRST_DELAY_MS = 5_000;
const LAST_DELAY_MS = 10 * 3600_000;
/** A Retry-After further out than this is treated as this. */
export const MAX_RETRY_AFTER_MS = LAST_DELAY_MS;

/** The longest wait after failed attempt `attempt` (1-based): 5 s · 4.4^(attempt-1), up to 10 h. */
export function maxDelayMs(attempt: number): number {
  const factor = (LAST_DELAY_MS / FIRST_DELAY_MS) ** (1 / (MAX_ATTEMPTS - 2));
  return Math.min(LAST_DELAY_MS, FIRST_DELAY_MS * factor ** (attempt - 1));
}

/**
 * Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date),
 * clamped to [0, MAX_RETRY_AFTER_MS]; null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/**
 * When attempt `attempt + 1` is due after attempt `attempt` failed, or null
 * when that was the last of `maxAttempts` (the work is dead-lettered).
 * Jitter is "full" between the first delay and the attempt's maximum, so
 * retries of much work that failed together spread out.
 */
export function nextAttemptAt(
  attempt: number,
  now: number,
  retryAfter?: string | null,
  random: () => number = Math.random,
  maxAttempts: number = MAX_ATTEMPTS,
): Date | null {
  if (attempt >= maxAttempts) return null;
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== null) return new Date(now + asked);
  const max = maxDelayMs(attempt);
  return new Date(now + FIRST_DELAY_MS + random() * (max - FIRST_DELAY_MS));
}
