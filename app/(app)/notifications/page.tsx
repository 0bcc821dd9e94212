import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { asMember, requireSession } from "@/lib/auth/session";
import { listNotifications, NotificationsNav, unreadCount } from "@/modules/notifications";
import { MarkAllReadButton, NotificationList, notificationFilterSchema } from "@/modules/notifications/ui";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<{ filter?: string; before?: string }>;
}) {
  const session = await requireSession();
  const params = await searchParams;
  const filter = notificationFilterSchema.parse(params.filter);
  const before = /^[1-9][0-9]{0,17}$/.test(params.before ?? "") ? Number(params.before) : null;
  const [{ items, hasMore }, unread] = await asMember(session, (tx) =>
    Promise.all([listNotifications(tx, { filter, before }), unreadCount(tx)]),
  );
  const older = new URLSearchParams({ ...(filter === "unread" ? { filter } : {}), before: String(items.at(-1)?.id ?? "") });

  return (
    <div className="grid min-w-0 grid-cols-1">
      <PageHeader
        title="Notifications"
        description="What needs your attention: assignments, partner answers and integration alerts."
        actions={<MarkAllReadButton disabled={unread === 0} />}
      />
      <NotificationsNav current={filter} unread={unread} />
      <Card>
        <CardContent className="p-2">
          {items.length === 0 ? (
            <p className="py-10 text-center text-sm text-muted-foreground">
              {filter === "unread" ? "You have read everything." : "No notifications yet."}{" "}
              <Link href="/settings/notifications" className="underline underline-offset-4">
                Choose what notifies you
              </Link>
              .
            </p>
          ) : (
            <NotificationList items={items} />
          )}
        </CardContent>
      </Card>
      {(hasMore || before) && (
        <div className="flex gap-2 pt-4">
          {before && (
            <Button asChild variant="outline" size="sm">
              <Link href={filter === "unread" ? "/notifications?filter=unread" : "/notifications"}>Newest</Link>
            </Button>
          )}
          {hasMore && (
            <Button asChild variant="outline" size="sm">
              <Link href={`/notifications?${older}`}>Older</Link>
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
