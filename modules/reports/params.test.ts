import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/errors";
import { parseReportParams, reportQuery } from "./params";

const parse = (q: string, today = "2026-03-10") => parseReportParams(new URLSearchParams(q), today);

describe("report parameters", () => {
  it("count presets back from the reader's today, both ends included", () => {
    expect(parse("")).toMatchObject({ preset: "30d", from: "2026-02-09", to: "2026-03-10", granularity: "day" });
    expect(parse("range=7d")).toMatchObject({ from: "2026-03-04", to: "2026-03-10" });
    expect(parse("range=90d&by=week")).toMatchObject({ from: "2025-12-11", to: "2026-03-10", granularity: "week" });
    expect(parse("range=month")).toMatchObject({ from: "2026-03-01", to: "2026-03-10" });
    // Across a leap day.
    expect(parse("range=7d", "2028-03-02")).toMatchObject({ from: "2028-02-25" });
  });

  it("take a custom range from its days, grouping a range longer than a year by month unless asked", () => {
    expect(parse("from=2026-01-01&to=2026-01-31")).toMatchObject({ preset: "custom", from: "2026-01-01", to: "2026-01-31", granularity: "day" });
    expect(parse("from=2024-01-01&to=2026-01-31")).toMatchObject({ granularity: "month" });
    expect(parse("from=2026-01-01&to=2026-01-01")).toMatchObject({ from: "2026-01-01", to: "2026-01-01" });
  });

  it("refuse what they cannot read, naming the parameter", () => {
    const refused = (q: string) => {
      try {
        parse(q);
      } catch (e) {
        if (isDomainError(e)) return { code: e.code, fields: Object.keys(e.details ?? {}) };
      }
      return null;
    };
    expect(refused("from=2026-01-02&to=2026-01-01")).toEqual({ code: "invalid_query", fields: ["from"] });
    expect(refused("from=2026-01-01")).toEqual({ code: "invalid_query", fields: ["to"] });
    expect(refused("from=2026-13-01&to=2027-01-01")).toEqual({ code: "invalid_query", fields: ["from"] });
    expect(refused("from=2026-01-01&to=tomorrow")).toEqual({ code: "invalid_query", fields: ["to"] });
    expect(refused("from=2000-01-01&to=2026-01-01&by=month")).toEqual({ code: "invalid_query", fields: ["from"] });
    expect(refused("range=ytd")).toEqual({ code: "invalid_query", fields: ["range"] });
    expect(refused("by=quarter")).toEqual({ code: "invalid_query", fields: ["by"] });
    expect(refused("pipeline=1")).toEqual({ code: "invalid_query", fields: ["pipeline"] });
    expect(refused("stage=x")).toEqual({ code: "invalid_query", fields: ["stage"] });
  });

  it("write back the query that asks for them", () => {
    const id = "0b5f4f6e-0000-4000-8000-000000000001";
    expect(reportQuery(parse(`range=90d&by=week&pipeline=${id}`))).toBe(`range=90d&by=week&pipeline=${id}`);
    expect(reportQuery(parse("from=2026-01-01&to=2026-01-31"), { granularity: "month" })).toBe("from=2026-01-01&to=2026-01-31&by=month");
  });
});
