// What a member reads of their notifications. Every query runs in the
// caller's transaction under RLS, which shows a member only their own.

import { sql, type Tx } from "@/lib/db";
import type { NotificationFilter } from "./schema";
import { NOTIFICATION_TYPE_KEYS, type NotificationType } from "./types";

export const PAGE_SIZE = 50;

/** How many the bell's popover shows. */
export const LATEST_COUNT = 8;

export interface NotificationItem {
  id: number;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  read: boolean;
  created_at: string;
}

/**
 * The member's notifications, newest first, a page at a time: `before` is
 * the id of the last one shown. `hasMore` says whether an older page exists.
 */
export async function listNotifications(
  tx: Tx,
  opts: { filter?: NotificationFilter; before?: number | null; limit?: number } = {},
): Promise<{ items: NotificationItem[]; hasMore: boolean }> {
  const limit = opts.limit ?? PAGE_SIZE;
  let q = tx
    .selectFrom("notifications")
    .select(["id", "type", "title", "body", "link", "read_at", "created_at"])
    .where("user_id", "=", sql<string>`auth.uid()`)
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (opts.filter === "unread") q = q.where("read_at", "is", null);
  if (opts.before) q = q.where("id", "<", String(opts.before));
  const rows = await q.execute();
  return {
    items: rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      type: r.type,
      title: r.title,
      body: r.body,
      link: r.link,
      read: r.read_at !== null,
      created_at: r.created_at.toISOString(),
    })),
    hasMore: rows.length > limit,
  };
}

export async function unreadCount(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("notifications")
    .select(sql<string>`count(*)`.as("n"))
    .where("user_id", "=", sql<string>`auth.uid()`)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The bell's summary: the unread count and the latest few. */
export async function notificationSummary(tx: Tx) {
  const [unread, { items }] = await Promise.all([unreadCount(tx), listNotifications(tx, { limit: LATEST_COUNT })]);
  return { unread, latest: items };
}

/** Whether each type shows in the member's bell (on unless they turned it off). */
export async function notificationPreferences(tx: Tx): Promise<Record<NotificationType, boolean>> {
  const rows = await tx
    .selectFrom("notification_settings")
    .select(["type", "in_app"])
    .where("user_id", "=", sql<string>`auth.uid()`)
    .execute();
  const off = new Set(rows.filter((r) => !r.in_app).map((r) => r.type));
  return Object.fromEntries(NOTIFICATION_TYPE_KEYS.map((t) => [t, !off.has(t)])) as Record<NotificationType, boolean>;
}
