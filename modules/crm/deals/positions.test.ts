import { describe, expect, it } from "vitest";
import { needsRenumber, POSITION_STEP, positionBetween } from "./positions";

describe("card positions", () => {
  it("places a card at the edges and between neighbours", () => {
    expect(positionBetween(null, null)).toBe(POSITION_STEP);
    expect(positionBetween(null, 10)).toBe(10 - POSITION_STEP);
    expect(positionBetween(10, null)).toBe(10 + POSITION_STEP);
    expect(positionBetween(10, 20)).toBe(15);
  });

  it("asks for a renumber once repeated inserts exhaust the gap", () => {
    let lo = 0;
    const hi = 1;
    let n = 0;
    while (!needsRenumber(lo, hi)) {
      lo = positionBetween(lo, hi);
      n++;
    }
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(60);
    expect(needsRenumber(5, 5)).toBe(true);
    expect(needsRenumber(6, 5)).toBe(true);
    expect(needsRenumber(null, 5)).toBe(false);
  });
});
