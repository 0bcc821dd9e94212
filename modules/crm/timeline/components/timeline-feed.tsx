"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import Link from "next/link";
import { recordHref, type RecordRef } from "@/modules/crm/records/ui";
import { loadTimeline } from "../actions";
import type { TimelineItem, TimelinePage } from "../queries";
import type { TimelineActivity } from "../schema";
import { TimelineEntry, type TimelineViewer } from "./timeline-items";

const NOUN = { person: "person", company: "company", deal: "deal", lead: "lead" } as const;

/** What an empty filter says, per kind. */
function emptyText(activity: TimelineActivity, subject: RecordRef): string {
  const on = `this ${NOUN[subject.type]}`;
  switch (activity) {
    case "notes":
      return `No notes on ${on} yet.`;
    case "emails":
      return `No emails with ${on} yet.`;
    case "texts":
      return `No texts with ${on} yet.`;
    case "calls":
      return `No calls with ${on} yet.`;
    case "tasks":
      return `No tasks on ${on} yet.`;
    case "changes":
      return `No changes to ${on} yet.`;
  }
}

/**
 * The first page comes from the server render; "Load older" appends the next
 * ones, of the same activity when the timeline is filtered.
 */
export function TimelineFeed({
  subject,
  activity = null,
  initial,
  viewer,
}: {
  subject: RecordRef;
  activity?: TimelineActivity | null;
  initial: TimelinePage;
  viewer: TimelineViewer;
}) {
  const [older, setOlder] = useState<{ items: TimelineItem[]; cursor: string | null; after: string | null }>({
    items: [],
    cursor: initial.nextCursor,
    after: initial.nextCursor,
  });
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  // A fresh first page (after a save) restarts the older pages from its own cursor.
  const stale = older.after !== initial.nextCursor;
  const olderItems = stale ? [] : older.items;
  const cursor = stale ? initial.nextCursor : older.cursor;
  const seen = new Set(initial.items.map((i) => i.id));
  const items = [...initial.items, ...olderItems.filter((i) => !seen.has(i.id))];

  const loadMore = () =>
    start(async () => {
      setError(null);
      const result = await loadTimeline({ subject, before: cursor, activity: activity ?? undefined });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setOlder({ items: [...olderItems, ...result.data.items], cursor: result.data.nextCursor, after: initial.nextCursor });
    });

  if (items.length === 0) {
    if (!activity) return <p className="text-sm text-muted-foreground">Nothing has happened here yet.</p>;
    return (
      <p className="text-sm text-muted-foreground" data-testid="timeline-empty">
        {emptyText(activity, subject)}{" "}
        <Link href={recordHref(subject.type, subject.id)} scroll={false} className="font-medium text-foreground underline underline-offset-4">
          Show all activity
        </Link>
      </p>
    );
  }
  return (
    <div className="grid gap-4">
      <ol className="relative grid before:absolute before:top-2 before:bottom-2 before:left-3.5 before:w-px before:bg-border" aria-label="Timeline">
        {items.map((item) => (
          <TimelineEntry key={item.id} item={item} subject={subject} viewer={viewer} />
        ))}
      </ol>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      {cursor ? (
        <div>
          <Button type="button" variant="outline" size="sm" onClick={loadMore} disabled={pending}>
            {pending ? "Loading…" : "Load older"}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
