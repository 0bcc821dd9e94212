"use client";

import { BellIcon, CheckCheckIcon } from "lucide-react";
import Link from "next/link";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { announceShellStatusChanged } from "@/lib/shell-status";
import { markAllNotificationsRead, markNotificationsRead } from "../actions";
import type { NotificationItem } from "../queries";
import { NotificationEntry } from "./notification-item";

export interface NotificationSummary {
  unread: number;
  latest: NotificationItem[];
}

const countLabel = (n: number) => (n > 99 ? "99+" : String(n));

/**
 * The top bar's bell: the unread count, and a popover with the latest few.
 * The shell keeps `summary` fresh; a mark here tells it to ask again.
 */
export function NotificationBell(props: { summary: NotificationSummary | null }) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const unread = props.summary?.unread ?? 0;
  const latest = props.summary?.latest ?? [];

  const markAll = () =>
    start(async () => {
      const r = await markAllNotificationsRead();
      if (!r.ok) return void toast.error(r.error);
      announceShellStatusChanged();
    });

  const opened = (item: NotificationItem) => {
    setOpen(false);
    if (item.read) return;
    void markNotificationsRead({ ids: [item.id] }).then((r) => {
      if (r.ok) announceShellStatusChanged();
    });
  };

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
          data-unread={unread}
        >
          <BellIcon aria-hidden />
          {unread > 0 && (
            <span
              aria-hidden
              className="absolute top-1 right-1 flex h-4 min-w-4 items-center justify-center rounded-full bg-primary px-1 text-[10px] leading-none font-semibold text-primary-foreground"
            >
              {countLabel(unread)}
            </span>
          )}
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="w-[22rem] p-0" aria-label="Notifications">
        <div className="flex items-center justify-between gap-2 border-b px-3 py-2">
          <h2 className="text-sm font-semibold">Notifications</h2>
          <Button variant="ghost" size="sm" disabled={pending || unread === 0} onClick={markAll}>
            <CheckCheckIcon aria-hidden />
            Mark all read
          </Button>
        </div>
        {latest.length === 0 ? (
          <p className="px-3 py-8 text-center text-sm text-muted-foreground">
            {props.summary ? "Nothing yet. Assignments and alerts will show up here." : "Loading…"}
          </p>
        ) : (
          <ul className="max-h-96 overflow-y-auto p-1">
            {latest.map((item) => (
              <li key={item.id}>
                <NotificationEntry item={item} onOpen={opened} compact />
              </li>
            ))}
          </ul>
        )}
        <div className="border-t p-1">
          <Button asChild variant="ghost" size="sm" className="w-full">
            <Link href="/notifications" onClick={() => setOpen(false)}>
              View all notifications
            </Link>
          </Button>
        </div>
      </PopoverContent>
    </Popover>
  );
}
