"use client";

import { CheckCheckIcon, CheckIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { announceShellStatusChanged } from "@/lib/shell-status";
import { markAllNotificationsRead, markNotificationsRead } from "../actions";
import type { NotificationItem } from "../queries";
import { NotificationEntry } from "./notification-item";

/** The notifications page's list, each with Mark read while unread. */
export function NotificationList({ items }: { items: NotificationItem[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const mark = (item: NotificationItem) =>
    start(async () => {
      const r = await markNotificationsRead({ ids: [item.id] });
      if (!r.ok) return void toast.error(r.error);
      announceShellStatusChanged();
      router.refresh();
    });
  return (
    <ul className="divide-y">
      {items.map((item) => (
        <li key={item.id}>
          <NotificationEntry item={item} onOpen={(i) => !i.read && void markNotificationsRead({ ids: [i.id] }).then(announceShellStatusChanged)}>
            {!item.read && (
              <Button variant="ghost" size="sm" disabled={pending} onClick={() => mark(item)} aria-label={`Mark “${item.title}” read`}>
                <CheckIcon aria-hidden />
                Mark read
              </Button>
            )}
          </NotificationEntry>
        </li>
      ))}
    </ul>
  );
}

export function MarkAllReadButton({ disabled }: { disabled: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={disabled || pending}
      onClick={() =>
        start(async () => {
          const r = await markAllNotificationsRead();
          if (!r.ok) return void toast.error(r.error);
          toast.success(r.data === 1 ? "1 notification marked read" : `${r.data} notifications marked read`);
          announceShellStatusChanged();
          router.refresh();
        })
      }
    >
      <CheckCheckIcon aria-hidden />
      Mark all read
    </Button>
  );
}
