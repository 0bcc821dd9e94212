"use client";

import Link from "next/link";
import { formatRelative } from "@/lib/time";
import { cn } from "@/lib/utils";
import type { NotificationItem } from "../queries";
import { notificationTypeLabel } from "../types";

/**
 * One notification: its title links to what it is about (and marks it read
 * on the way), with its kind, body and age. Unread ones carry a dot that is
 * also said in words.
 */
export function NotificationEntry(props: {
  item: NotificationItem;
  onOpen: (item: NotificationItem) => void;
  compact?: boolean;
  children?: React.ReactNode;
}) {
  const { item } = props;
  const title = item.link ? (
    <Link
      href={item.link}
      onClick={() => props.onOpen(item)}
      className="rounded-sm font-medium outline-none after:absolute after:inset-0 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      {item.title}
    </Link>
  ) : (
    <span className="font-medium">{item.title}</span>
  );
  return (
    <div
      data-notification={item.id}
      data-read={item.read}
      className={cn("relative flex gap-3 rounded-md", props.compact ? "p-2 hover:bg-accent" : "p-3")}
    >
      <span
        aria-hidden
        className={cn("mt-1.5 size-2 shrink-0 rounded-full", item.read ? "bg-transparent" : "bg-primary")}
      />
      <div className="grid min-w-0 flex-1 gap-0.5 text-sm">
        <div className={cn("min-w-0", props.compact && "truncate")}>
          {!item.read && <span className="sr-only">Unread: </span>}
          {title}
        </div>
        {item.body && (
          <p className={cn("text-muted-foreground", props.compact && "line-clamp-2")}>{item.body}</p>
        )}
        <p className="text-xs text-muted-foreground">
          {notificationTypeLabel(item.type)} ·{" "}
          <time dateTime={item.created_at} title={item.created_at}>
            {formatRelative(item.created_at)}
          </time>
        </p>
      </div>
      {props.children && <div className="relative z-10 flex shrink-0 items-start">{props.children}</div>}
    </div>
  );
}
