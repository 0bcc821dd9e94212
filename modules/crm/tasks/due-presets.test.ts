import { afterEach, describe, expect, it } from "vitest";
import { dueDatePresets } from "./due-presets";

const dates = (zone: string, n: number, now: string) => {
  const p = dueDatePresets(zone, n, new Date(now));
  return [...p.fixed.map((f) => `${f.label} ${f.date}`), p.businessDays && `${p.businessDays.label} ${p.businessDays.date}`];
};

describe("due date presets", () => {
  const runtimeZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = runtimeZone;
  });

  it("counts from today in the given zone, not in UTC", () => {
    // Friday 22:30 in UTC is Saturday morning in Auckland.
    expect(dates("UTC", 3, "2026-12-11T22:30:00Z")).toEqual([
      "Today 2026-12-11",
      "Tomorrow 2026-12-12",
      "Next week 2026-12-14",
      "In 3 business days 2026-12-16",
    ]);
    expect(dates("Pacific/Auckland", 3, "2026-12-11T22:30:00Z")).toEqual([
      "Today 2026-12-12",
      "Tomorrow 2026-12-13",
      "Next week 2026-12-14",
      "In 3 business days 2026-12-16",
    ]);
    expect(dates("America/Los_Angeles", 1, "2026-12-12T03:00:00Z")).toEqual([
      "Today 2026-12-11",
      "Tomorrow 2026-12-12",
      "Next week 2026-12-14",
      "In 1 business day 2026-12-14",
    ]);
  });

  it("makes next week the coming Monday, a week on from a Monday, and skips weekends in business days", () => {
    const monday = dueDatePresets("Europe/Berlin", 5, new Date("2026-12-14T09:00:00Z"));
    expect(monday.fixed[2]).toEqual({ label: "Next week", date: "2026-12-21", hint: "Mon, Dec 21" });
    expect(monday.businessDays?.date).toBe("2026-12-21");
    expect(dueDatePresets("Europe/Berlin", 10, new Date("2026-12-14T09:00:00Z")).businessDays?.date).toBe("2026-12-28");
  });

  it("gives the same dates whatever zone the code runs in, across a daylight-saving change", () => {
    const now = "2026-03-06T20:00:00Z";
    const want = dates("America/New_York", 2, now);
    expect(want).toContain("In 2 business days 2026-03-10");
    for (const tz of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Europe/London"]) {
      process.env.TZ = tz;
      expect(dates("America/New_York", 2, now)).toEqual(want);
    }
  });

  it("offers no business-day date for a count that is not a whole number from 1 to 260, and reads a bad zone as UTC", () => {
    for (const n of [0, -1, 1.5, Number.NaN, 261]) expect(dueDatePresets("UTC", n).businessDays).toBeNull();
    expect(dueDatePresets("UTC", 260, new Date("2026-12-07T12:00:00Z")).businessDays?.date).toBe("2027-12-06");
    expect(dates("Not/AZone", 1, "2026-12-11T22:30:00Z")).toEqual(dates("UTC", 1, "2026-12-11T22:30:00Z"));
  });
});
