"use client";

import { cn } from "@/lib/utils";

const ymd = (zone: string) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });

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
  const dueDay = ymd(zone).format(due);
  const today = ymd(timeZone).format(now);
  const overdue = !done && (allDay ? dueDay < today : due.getTime() < now.getTime());
  const time = allDay ? null : new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit" }).format(due);
  const date =
    dueDay === today
      ? "Today"
      : new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          month: "short",
          day: "numeric",
          ...(dueDay.slice(0, 4) === today.slice(0, 4) ? {} : { year: "numeric" }),
        }).format(due);
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
