import { describe, expect, it } from "vitest";
import {
  dayKey,
  formatCalendarDate,
  formatDateTime,
  formatDateTimeWithZone,
  formatShortDay,
  isoInZone,
  isTimeZone,
  startOfDay,
  resolveTimeZone,
  timeKey,
  timeZoneChoices,
  userTimeZone,
} from "./time";

const at = new Date("2026-12-07T20:30:05Z");

describe("time zones", () => {
  it("accepts IANA names only", () => {
    for (const zone of ["Pacific/Auckland", "America/New_York", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ["", "+13:00", "Mars/Olympus_Mons", "Pacific/Auckland ", "../etc/passwd", "x".repeat(65), null, 5]) {
      expect(isTimeZone(zone), String(zone)).toBe(false);
    }
  });

  it("resolves the member's zone: the profile's, else the browser's, else UTC", () => {
    expect(userTimeZone("Pacific/Auckland", "America/New_York")).toBe("Pacific/Auckland");
    expect(userTimeZone(null, "America/New_York")).toBe("America/New_York");
    expect(userTimeZone(null, "nonsense")).toBe("UTC");
    expect(userTimeZone(undefined, undefined)).toBe("UTC");
    expect(resolveTimeZone("Not/A_Zone")).toBe("UTC");
  });

  it("offers UTC first and keeps a chosen zone the runtime spells another way", () => {
    const choices = timeZoneChoices("Asia/Kolkata");
    expect(choices[0]).toBe("UTC");
    expect(choices).toContain("Pacific/Auckland");
    expect(choices).toContain("Asia/Kolkata");
  });
});

describe("formatting in a zone", () => {
  it("shows one instant as each zone's clock", () => {
    expect(formatDateTime(at, "Pacific/Auckland")).toBe("Dec 8, 2026, 9:30 AM");
    expect(formatDateTime(at, "America/New_York")).toBe("Dec 7, 2026, 3:30 PM");
    expect(formatDateTime(at.toISOString(), "UTC", { seconds: true })).toBe("Dec 7, 2026, 8:30:05 PM");
    expect(formatDateTimeWithZone(at, "America/New_York")).toBe("Dec 7, 2026, 3:30 PM (America/New York time)");
    expect(dayKey(at, "Pacific/Auckland")).toBe("2026-12-08");
    expect(timeKey(at, "Pacific/Auckland")).toBe("09:30");
    expect(formatShortDay(at, "Pacific/Auckland", at)).toBe("Dec 8");
    expect(formatShortDay(at, "Pacific/Auckland", new Date("2025-06-01T00:00:00Z"))).toBe("Dec 8, 2026");
  });

  it("leaves calendar dates on their day, whatever the zone", () => {
    expect(formatCalendarDate("2026-12-07")).toBe("Dec 7, 2026");
    expect(formatCalendarDate(new Date("2026-12-07T00:00:00Z"))).toBe("Dec 7, 2026");
    expect(formatCalendarDate("not a date")).toBe("not a date");
  });

  it("writes ISO 8601 with the zone's offset at that instant", () => {
    expect(isoInZone(at, "Pacific/Auckland")).toBe("2026-12-08T09:30:05+13:00");
    expect(isoInZone(new Date("2026-07-01T13:00:00Z"), "Pacific/Auckland")).toBe("2026-07-02T01:00:00+12:00");
    expect(isoInZone(at, "America/St_Johns")).toBe("2026-12-07T17:00:05-03:30");
    expect(isoInZone(at, "UTC")).toBe("2026-12-07T20:30:05Z");
    expect(new Date(isoInZone(at, "Asia/Kathmandu")).getTime()).toBe(at.getTime());
  });

  it("finds the instant a day begins in a zone, on daylight saving days too", () => {
    expect(startOfDay("2026-12-08", "Pacific/Auckland").toISOString()).toBe("2026-12-07T11:00:00.000Z");
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDay("2026-12-08", "UTC").toISOString()).toBe("2026-12-08T00:00:00.000Z");
  });
});
