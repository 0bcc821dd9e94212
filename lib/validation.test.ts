import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isIsoDate, isIsoDateTime, nulPath, parseIsoDateTime, refuseNul, zString } from "./validation";

describe("zString", () => {
  it("refuses NUL with a message naming the field, before its other checks", () => {
    const name = z.object({ name: zString("Name").trim().min(1, "Enter a name").max(3, "Too long") });
    const r = name.safeParse({ name: "\u0000abcdef" });
    expect(r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", "Name contains a character that is not allowed (NUL)"],
    ]);
    expect(name.parse({ name: "  ab " })).toEqual({ name: "ab" });
  });
});

describe("NUL in JSON values", () => {
  it("finds the path of the first string or key holding one", () => {
    expect(nulPath({ a: "ok", b: ["x", "y\u0000"] })).toEqual(["b", 1]);
    expect(nulPath({ "k\u0000": 1 })).toEqual(["k\u0000"]);
    expect(nulPath({ a: [1, true, null, { b: "fine" }] })).toBeNull();
  });

  it("adds the issue at that path", () => {
    const custom = z.record(z.string(), z.unknown()).superRefine((v, ctx) => void refuseNul(v, ctx, "Custom field"));
    const r = custom.safeParse({ nickname: "a\u0000b" });
    expect(r.success ? null : r.error.issues.map((i) => [i.path, i.message])).toEqual([
      [["nickname"], "Custom field contains a character that is not allowed (NUL)"],
    ]);
  });
});

describe("dates", () => {
  it("takes only calendar days that exist", () => {
    expect(["2026-03-31", "2024-02-29", "2000-02-29"].map(isIsoDate)).toEqual([true, true, true]);
    expect(["2026-02-31", "2026-02-29", "1900-02-29", "2026-13-01", "2026-1-01", "2026-01-01T00:00:00Z", ""].map(isIsoDate)).toEqual(
      Array(7).fill(false),
    );
  });

  it("takes date-times with an offset on days that exist, to the minute or finer", () => {
    expect(["2026-03-03T15:30Z", "2026-03-03T15:30:00Z", "2026-03-03T15:30:00.123+02:00"].map((s) => isIsoDateTime(s))).toEqual([true, true, true]);
    expect(["2026-02-31T10:00:00Z", "2026-03-03T25:00:00Z", "2026-03-03T15:30:00", "2026-03-03"].map((s) => isIsoDateTime(s))).toEqual(
      Array(4).fill(false),
    );
    expect(isIsoDateTime("2026-03-03T15:30:00", { local: true })).toBe(true);
    expect(isIsoDateTime("2026-04-31T15:30", { local: true })).toBe(false);
  });

  it("parses to the instant named, never a rolled-forward one", () => {
    expect(parseIsoDateTime("2026-03-03T15:30:00+02:00")?.toISOString()).toBe("2026-03-03T13:30:00.000Z");
    expect(parseIsoDateTime("2026-02-31T10:00:00Z")).toBeNull();
  });
});
