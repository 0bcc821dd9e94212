"use server";

import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { getSession, type Session } from "@/lib/auth/session";
import { changeView, removeView, saveView, saveViewState } from "./mutations";

async function run<T>(fallback: string, fn: (session: Session) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    return ok(await fn(session));
  } catch (e) {
    return actionFailure(e, fallback);
  }
}

export async function createView(input: unknown): Promise<ActionResult<{ id: string }>> {
  return run("Saving the view failed.", (session) => saveView(session, input));
}

export async function updateViewState(input: unknown): Promise<ActionResult<void>> {
  return run("Updating the view failed.", (session) => saveViewState(session, input));
}

export async function renameView(input: unknown): Promise<ActionResult<void>> {
  return run("Renaming the view failed.", (session) => changeView(session, input));
}

export async function deleteView(input: unknown): Promise<ActionResult<void>> {
  return run("Deleting the view failed.", (session) => removeView(session, input));
}
