import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, maxDelayMs, nextAttemptAt, parseRetryAfter } from "./backoff.ts";

const now = Date.parse("2026-03-01T12:00:00Z");

describe("backoff", () => {
  it("grows from about 5 seconds to 10 hours over the attempts", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(maxDelayMs(1)).toBe(5_000);
    expect(maxDelayMs(MAX_ATTEMPTS - 1)).toBeCloseTo(10 * 3600_000, -3);
    for (let a = 2; a < MAX_ATTEMPTS; a++) expect(maxDelayMs(a)).toBeGreaterThan(maxDelayMs(a - 1));
  });

  it("jitters between the first delay and the attempt's maximum", () => {
    const low = nextAttemptAt(3, now, null, () => 0)!.getTime() - now;
    const high = nextAttemptAt(3, now, null, () => 0.999999)!.getTime() - now;
    expect(low).toBe(5_000);
    expect(high).toBeCloseTo(maxDelayMs(3), -1);
  });

  it("dead-letters after the last attempt", () => {
    expect(nextAttemptAt(MAX_ATTEMPTS - 1, now)).not.toBeNull();
    expect(nextAttemptAt(MAX_ATTEMPTS, now)).toBeNull();
    expect(nextAttemptAt(MAX_ATTEMPTS, now, "5")).toBeNull();
  });

  it("stops after the attempts the caller allows, on the same curve", () => {
    expect(nextAttemptAt(2, now, null, () => 0.5, 3)).not.toBeNull();
    expect(nextAttemptAt(3, now, null, () => 0.5, 3)).toBeNull();
    expect(nextAttemptAt(1, now, null, () => 0.5, 1)).toBeNull();
    // Past the eighth attempt the wait stays at its 10-hour ceiling.
    expect(maxDelayMs(20)).toBe(10 * 3600_000);
    expect(nextAttemptAt(20, now, null, () => 1, 30)!.getTime() - now).toBe(10 * 3600_000);
  });

  it("honours Retry-After in seconds or as a date, capped", () => {
    expect(nextAttemptAt(1, now, "120")!.getTime()).toBe(now + 120_000);
    expect(nextAttemptAt(1, now, "Sun, 01 Mar 2026 12:30:00 GMT")!.getTime()).toBe(now + 30 * 60_000);
    expect(parseRetryAfter("99999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
