"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure, actorOf } from "@/lib/actions";
import type { Actor } from "@/lib/auth/actor";
import { asMember, getSession } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import * as service from "./service";

// Every member has notifications, whatever their role: no permission to check.
async function run<T>(what: string, fn: (tx: Tx, actor: Actor) => Promise<T>, path: string): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await asMember(session, (tx) => fn(tx, actorOf(session)));
    revalidatePath(path);
    return ok(data);
  } catch (e) {
    return actionFailure(e, `Could not ${what}. Try again.`);
  }
}

export async function markNotificationsRead(input: unknown) {
  return run("mark the notification read", (tx) => service.markRead(tx, input), "/notifications");
}

export async function markAllNotificationsRead() {
  return run("mark your notifications read", (tx) => service.markAllRead(tx), "/notifications");
}

export async function setNotificationPreference(input: unknown) {
  return run("save the setting", (tx, actor) => service.setPreference(tx, actor, input), "/settings/notifications");
}
