"use client";

import { dayKey, formatShortDay, formatTime } from "@/lib/time";
import { cn } from "@/lib/utils";

/**
 * A task's due date as people say it. All-day tasks are a calendar date
 * (stored at midnight UTC), so their date is read in UTC; timed tasks in the
 * reader's zone.
 */
export function DueLabel({ dueAt, allDay, done, timeZone }: { dueAt: string | null; allDay: boolean; done: boolean; timeZone: string }) {
  if (!dueAt) return null;
  const due = new Date(dueAt);
  const now = new Date();
  const zone = allDay ? "UTC" : timeZone;
  const dueDay = dayKey(due, zone);
  const today = dayKey(now, timeZone);
  const overdue = !done && (allDay ? dueDay < today : due.getTime() < now.getTime());
  const time = allDay ? null : formatTime(due, zone);
  const date = dueDay === today ? "Today" : formatShortDay(due, zone, now);
  return (
    <time
      dateTime={dueAt}
      suppressHydrationWarning
      className={cn("text-xs whitespace-nowrap", overdue ? "font-medium text-destructive" : "text-muted-foreground")}
    >
      {overdue ? <span className="sr-only">Overdue: </span> : null}
      {time ? `${date}, ${time}` : date}
    </time>
  );
}
