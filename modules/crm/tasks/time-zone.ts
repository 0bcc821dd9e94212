// The time zone task groups are computed in: the browser's zone, which a
// small client component (components/time-zone-cookie.tsx) stores in a
// cookie. A cookie rather than a query parameter because server components
// need it on every request (including the first render of /tasks and every
// record page) and shared links must not carry the sender's zone.

export const TIME_ZONE_COOKIE = "tz";

/** A valid IANA zone name, or UTC. */
export function resolveTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return "UTC";
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}
