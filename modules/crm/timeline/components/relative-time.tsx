"use client";

import { formatDistanceToNowStrict } from "date-fns";

const absolute = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

/**
 * "5 minutes ago", with the exact moment on hover. The server renders it in
 * its zone and the browser in the reader's, so hydration may differ by
 * design.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={absolute.format(date)} className={className} suppressHydrationWarning>
      {formatDistanceToNowStrict(date, { addSuffix: true })}
    </time>
  );
}
