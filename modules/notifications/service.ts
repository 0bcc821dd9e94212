// What a member does with their notifications, in the caller's transaction
// under RLS: a member can mark only their own, so ids of anyone else's
// notifications simply match nothing.

import { sql, type Tx } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { markReadSchema, preferenceSchema } from "./schema";

/** Marks the given notifications read; answers how many were unread. */
export async function markRead(tx: Tx, input: unknown): Promise<number> {
  const { ids } = parseInput(markReadSchema, input);
  const result = await tx
    .updateTable("notifications")
    .set({ read_at: sql`now()` })
    .where("id", "in", ids.map(String))
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks every unread notification of the member read; answers how many. */
export async function markAllRead(tx: Tx): Promise<number> {
  const result = await tx
    .updateTable("notifications")
    .set({ read_at: sql`now()` })
    .where("user_id", "=", sql<string>`auth.uid()`)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Turns one type on or off in the member's bell. */
export async function setPreference(tx: Tx, actor: Actor, input: unknown) {
  const { type, inApp } = parseInput(preferenceSchema, input);
  await tx
    .insertInto("notification_settings")
    .values({ org_id: actor.orgId, user_id: actor.userId, type, in_app: inApp })
    .onConflict((oc) => oc.columns(["user_id", "type"]).doUpdateSet({ in_app: inApp }))
    .execute();
  return { type, inApp };
}
