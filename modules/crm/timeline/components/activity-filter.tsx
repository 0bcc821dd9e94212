import Link from "next/link";
import { cn } from "@/lib/utils";
import { recordHref, type RecordRef } from "@/modules/crm/records/ui";
import type { TimelineCounts } from "../queries";
import { TIMELINE_ACTIVITIES, type TimelineActivity } from "../schema";

export const ACTIVITY_LABELS: Record<TimelineActivity | "all", string> = {
  all: "All",
  notes: "Notes",
  emails: "Emails",
  texts: "Texts",
  calls: "Calls",
  tasks: "Tasks",
  changes: "Changes",
};

/**
 * The timeline's kinds as chips with their counts, as HubSpot's activity
 * filters: plain links to `?activity=…`, so the filter survives a reload, is
 * shared with the URL, and works from the keyboard (Tab, Enter) and
 * without JavaScript.
 */
export function ActivityFilter({ subject, current, counts }: { subject: RecordRef; current: TimelineActivity | null; counts: TimelineCounts }) {
  const base = recordHref(subject.type, subject.id);
  return (
    <nav aria-label="Filter activity" className="flex flex-wrap gap-2">
      {(["all", ...TIMELINE_ACTIVITIES] as const).map((a) => {
        const active = (current ?? "all") === a;
        return (
          <Link
            key={a}
            href={a === "all" ? base : `${base}?activity=${a}`}
            scroll={false}
            aria-current={active ? "true" : undefined}
            data-testid={`activity-${a}`}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm font-medium transition-colors",
              "outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
              active ? "border-primary bg-primary text-primary-foreground" : "bg-background text-muted-foreground hover:bg-muted hover:text-foreground",
            )}
          >
            {ACTIVITY_LABELS[a]}{" "}
            <span className={cn("tabular-nums", active ? "text-primary-foreground/80" : "text-muted-foreground")}>{counts[a]}</span>
          </Link>
        );
      })}
    </nav>
  );
}
