"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect } from "react";
import { DEFAULT_TIME_ZONE, formatDateTime, formatDay, TIME_ZONE_COOKIE } from "@/lib/time";

const TimeZoneContext = createContext(DEFAULT_TIME_ZONE);

/**
 * The member's zone for client components, as the server resolved it
 * (lib/auth/time-zone.ts), so the browser formats what the server rendered
 * the same way instead of guessing its own. Also stores the browser's zone
 * in a cookie, which is the member's zone until their profile names one:
 * when it was missing or has changed (first visit, travel), the page is
 * rendered again, if the member follows their browser's zone.
 */
export function TimeZoneProvider(props: {
  zone: string;
  /** The cookie's value as the server read it. */
  browserZone: string | null;
  followsBrowser: boolean;
  children: React.ReactNode;
}) {
  const router = useRouter();
  const { browserZone, followsBrowser } = props;
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === browserZone) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    if (followsBrowser) router.refresh();
  }, [browserZone, followsBrowser, router]);
  return <TimeZoneContext.Provider value={props.zone}>{props.children}</TimeZoneContext.Provider>;
}

/** The zone to show dates and times in. */
export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

/** An instant in the reader's zone: "Dec 7, 2026, 9:30 AM", or with `day` only "Dec 7, 2026". */
export function ZonedTime({ at, day, className }: { at: Date | string; day?: boolean; className?: string }) {
  const zone = useTimeZone();
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return <span className={className}>{String(at)}</span>;
  return (
    <time dateTime={d.toISOString()} className={className}>
      {day ? formatDay(d, zone) : formatDateTime(d, zone)}
    </time>
  );
}
