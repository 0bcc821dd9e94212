// Every date and time the app shows, in one place: pages, client
// components, exports and email format through these functions, in the
// reader's time zone (the profile's, else the browser's: see
// lib/auth/time-zone.ts on the server and components/time-zone.tsx in the
// browser, which gets the zone from the server). One locale too ("en-US"),
// so the server's render and the browser's hydration print the same text.
// Client-safe.

import { TZDate } from "@date-fns/tz";
import { formatDistanceStrict, formatISO } from "date-fns";

/** The cookie in which the browser tells the server its zone, for members whose profile names none. */
export const TIME_ZONE_COOKIE = "tz";

export const DEFAULT_TIME_ZONE = "UTC";

const LOCALE = "en-US";
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * An IANA zone name ("Pacific/Auckland", "UTC"), as the profile stores it:
 * offsets and abbreviations ("+02:00") are refused, as they do not follow
 * daylight saving time.
 */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length > 64 || !IANA_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A valid IANA zone name, or UTC. */
export function resolveTimeZone(value: string | null | undefined): string {
  return isTimeZone(value) ? value : DEFAULT_TIME_ZONE;
}

/** The zone dates are shown in: the profile's when it names one, else the browser's, else UTC. */
export function userTimeZone(profileZone: string | null | undefined, browserZone: string | null | undefined): string {
  return isTimeZone(profileZone) ? profileZone : resolveTimeZone(browserZone);
}

/** The zones a person may choose, with `current` kept when the runtime's list spells it another way. */
export function timeZoneChoices(current?: string | null): string[] {
  const zones = new Set([DEFAULT_TIME_ZONE, ...Intl.supportedValuesOf("timeZone")]);
  if (isTimeZone(current)) zones.add(current);
  return [...zones].sort((a, b) => (a === DEFAULT_TIME_ZONE ? -1 : b === DEFAULT_TIME_ZONE ? 1 : a.localeCompare(b)));
}

/** "Pacific/Auckland" as people read it: "Pacific/Auckland", underscores as spaces ("America/New York"). */
export function zoneLabel(zone: string): string {
  return zone.replace(/_/g, " ");
}

type When = Date | string | number;

const toDate = (when: When): Date => (when instanceof Date ? when : new Date(when));

// Building an Intl formatter costs far more than formatting with one, and a
// list formats hundreds of cells: one formatter per zone and style.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: resolveTimeZone(zone) });
    formats.set(key, f);
  }
  return f;
}

function format(when: When, zone: string, options: Intl.DateTimeFormatOptions): string {
  const d = toDate(when);
  return Number.isNaN(d.getTime()) ? String(when) : formatter(zone, options).format(d);
}

/** "Dec 7, 2026, 9:30 AM" (with seconds: "9:30:05 AM") in `zone`. */
export function formatDateTime(when: When, zone: string, opts: { seconds?: boolean } = {}): string {
  return format(when, zone, { dateStyle: "medium", timeStyle: opts.seconds ? "medium" : "short" });
}

/** "Dec 7, 2026": the day an instant falls on in `zone`. */
export function formatDay(when: When, zone: string): string {
  return format(when, zone, { dateStyle: "medium" });
}

/** "Dec 7", with the year only when it is not `thisYearOf`'s year in `zone`. */
export function formatShortDay(when: When, zone: string, thisYearOf: When = new Date()): string {
  const sameYear = dayKey(when, zone).slice(0, 4) === dayKey(thisYearOf, zone).slice(0, 4);
  return format(when, zone, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}

/** "9:30 AM" in `zone`. */
export function formatTime(when: When, zone: string): string {
  return format(when, zone, { hour: "numeric", minute: "2-digit" });
}

/** "Dec 14, 2026, 9:30 AM (Pacific/Auckland time)": for text read away from the app, such as email. */
export function formatDateTimeWithZone(when: When, zone: string): string {
  return `${formatDateTime(when, zone)} (${zoneLabel(resolveTimeZone(zone))} time)`;
}

/** "Dec 7, 2026" for a calendar date (`YYYY-MM-DD`, or a Date at midnight UTC), which no zone shifts. */
export function formatCalendarDate(value: When): string {
  const s = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(value) : formatter("UTC", { dateStyle: "medium" }).format(d);
}

/** "Dec 7" for a calendar date, which no zone shifts. */
export function formatShortCalendarDate(value: string): string {
  const d = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? value : formatter("UTC", { month: "short", day: "numeric" }).format(d);
}

function parts(when: When, zone: string): Record<string, string> {
  const out: Record<string, string> = {};
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } as const;
  for (const p of formatter(zone, options).formatToParts(toDate(when))) out[p.type] = p.value;
  return out;
}

/** "2026-12-07": the day an instant falls on in `zone`, for comparing days and filling date inputs. */
export function dayKey(when: When, zone: string): string {
  const p = parts(when, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "09:30": the wall-clock time of an instant in `zone`, for time inputs. */
export function timeKey(when: When, zone: string): string {
  const p = parts(when, zone);
  return `${p.hour}:${p.minute}`;
}

/** The instant a calendar day (`YYYY-MM-DD`) begins in `zone`. */
export function startOfDay(day: string, zone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d, resolveTimeZone(zone)).getTime());
}

/**
 * ISO 8601 in `zone` with its offset: "2026-12-07T09:30:00+13:00" ("Z" in
 * UTC). Each value says its own offset, so a spreadsheet or script reads the
 * exact instant even across a daylight saving change, and a person reads
 * their own clock.
 */
export function isoInZone(when: When, zone: string): string {
  return formatISO(new TZDate(toDate(when).getTime(), resolveTimeZone(zone)));
}

/** "5 minutes ago", "in 2 days": the same in every zone. */
export function formatRelative(when: When, now: When = new Date()): string {
  return formatDistanceStrict(toDate(when), toDate(now), { addSuffix: true });
}
