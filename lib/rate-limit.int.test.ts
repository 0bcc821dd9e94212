import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/tests/support/db";
import { hitRateLimits } from "./rate-limit";

useTestDatabase();

describe("rate limits", () => {
  it("allow up to the limit, then say how long to wait", async () => {
    const rule = { bucket: `signin:email:${randomUUID()}@example.test`, max: 3, windowSeconds: 300 };
    for (let i = 0; i < 3; i++) expect(await hitRateLimits([rule])).toBe(0);
    const wait = await hitRateLimits([rule]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(300);
  });

  it("count each bucket on its own and report the longest wait", async () => {
    const tight = { bucket: `signin:ip:${randomUUID()}`, max: 1, windowSeconds: 60 };
    const loose = { bucket: `signin:email:${randomUUID()}`, max: 100, windowSeconds: 60 };
    expect(await hitRateLimits([tight, loose])).toBe(0);
    expect(await hitRateLimits([tight, loose])).toBeGreaterThan(0);
    expect(await hitRateLimits([{ ...loose }])).toBe(0);
  });
});
