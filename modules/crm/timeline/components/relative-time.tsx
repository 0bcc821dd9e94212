"use client";

import { useTimeZone } from "@/components/time-zone";
import { formatDateTime, formatRelative } from "@/lib/time";

const DAY_MS = 24 * 3600 * 1000;

/**
 * When an item happened: "5 minutes ago" within a day, with the moment in
 * the reader's zone on hover; older, the moment itself ("Mar 4, 2026,
 * 9:30 AM"), which a reader compares with the stage history and tasks, with
 * the distance on hover. The server and the browser may disagree on the
 * relative words when a minute turns between render and hydration, never on
 * the moment.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const zone = useTimeZone();
  const moment = formatDateTime(iso, zone);
  const relative = formatRelative(iso);
  const recent = Date.now() - new Date(iso).getTime() < DAY_MS;
  return (
    <time dateTime={iso} title={recent ? moment : relative} className={className} suppressHydrationWarning>
      {recent ? relative : moment}
    </time>
  );
}
