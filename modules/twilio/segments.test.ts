import { describe, expect, it } from "vitest";
import { countSegments } from "./segments";

describe("countSegments", () => {
  it("counts GSM-7 texts in 160 characters, then 153 per part, extension characters twice", () => {
    expect(countSegments("")).toMatchObject({ segments: 0, remaining: 160 });
    expect(countSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, remaining: 0 });
    expect(countSegments("a".repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 145 });
    expect(countSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("Café über ñ £5 @ home")).toMatchObject({ encoding: "GSM-7" });
  });

  it("falls back to UCS-2 for anything outside the alphabet: 70, then 67 per part, emoji as two units", () => {
    expect(countSegments("Olá, tudo bem? ção")).toMatchObject({ encoding: "UCS-2" });
    expect(countSegments("😀".repeat(35))).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1, remaining: 0 });
    expect(countSegments("a".repeat(70) + "😀")).toMatchObject({ units: 72, segments: 2, perSegment: 67, remaining: 62 });
  });
});
