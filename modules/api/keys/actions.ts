"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail } from "@/lib/action-result";
import { getSession, type Session } from "@/lib/auth/session";
import { currentLog } from "@/lib/log";
import * as commands from "./commands";

async function run<T>(what: string, fn: (session: Session) => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const result = await fn(session);
    if (result.ok) revalidatePath("/settings/api");
    return result;
  } catch (e) {
    (await currentLog()).error({ err: e }, `${what} failed`);
    return fail(`${what} failed. Try again.`);
  }
}

export async function createApiKeyAction(input: unknown) {
  return run("Creating the key", (session) => commands.createKey(session, input));
}

export async function revokeApiKeyAction(input: unknown) {
  return run("Revoking the key", (session) => commands.revokeKey(session, input));
}

export async function renameApiKeyAction(input: unknown) {
  return run("Renaming the key", (session) => commands.renameKey(session, input));
}
