"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { getSession, type Session } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import * as commands from "./commands";

async function run<T>(what: string, fn: (session: Session) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await fn(session);
    revalidatePath("/settings/api");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `${what} failed. Try again.`);
  }
}

export async function createApiKeyAction(input: unknown) {
  return run("Creating the key", async (session) => commands.createKey(session, input, await getTimeZone()));
}

export async function revokeApiKeyAction(input: unknown) {
  return run("Revoking the key", (session) => commands.revokeKey(session, input));
}

export async function renameApiKeyAction(input: unknown) {
  return run("Renaming the key", (session) => commands.renameKey(session, input));
}
