"use server";

import { type ActionResult, fail } from "@/lib/action-result";
import { getSession } from "@/lib/auth/session";
import { changeView, removeView, saveView, saveViewState } from "./mutations";

const expired = () => fail("Your session has expired. Sign in again.");

export async function createView(input: unknown): Promise<ActionResult<{ id: string }>> {
  const session = await getSession();
  return session ? saveView(session, input) : expired();
}

export async function updateViewState(input: unknown): Promise<ActionResult> {
  const session = await getSession();
  return session ? saveViewState(session, input) : expired();
}

export async function renameView(input: unknown): Promise<ActionResult> {
  const session = await getSession();
  return session ? changeView(session, input) : expired();
}

export async function deleteView(input: unknown): Promise<ActionResult> {
  const session = await getSession();
  return session ? removeView(session, input) : expired();
}
