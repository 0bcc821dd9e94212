import Link from "next/link";
import { cn } from "@/lib/utils";
import type { NotificationFilter } from "../schema";

const TABS = [
  { key: "all", label: "All", href: "/notifications" },
  { key: "unread", label: "Unread", href: "/notifications?filter=unread" },
] as const satisfies readonly { key: NotificationFilter; label: string; href: string }[];

/** All / Unread on the notifications page. */
export function NotificationsNav({ current, unread }: { current: NotificationFilter; unread: number }) {
  return (
    <nav aria-label="Notification views" className="mb-4 inline-flex rounded-lg bg-muted p-1 text-sm">
      {TABS.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1.5 font-medium text-muted-foreground transition-colors hover:text-foreground",
            t.key === current && "bg-background text-foreground shadow-sm",
          )}
        >
          {t.label}
          {t.key === "unread" && unread > 0 ? ` (${unread})` : null}
        </Link>
      ))}
    </nav>
  );
}
