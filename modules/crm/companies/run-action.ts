// The one way record actions run: the request's session, a permission
// check, one transaction as the member under RLS, and refusals turned into
// an ActionResult that names the fields. Server only.

import { type ActionResult, fail, ok } from "@/lib/action-result";
import { can, type Permission } from "@/lib/auth/permissions";
import { asMember, getSession } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import { currentLog } from "@/lib/log";
import { type Actor, isRecordInputError } from "./record-input";

export type RecordActionResult<T> = ActionResult<T> & { existing?: { id: string; name: string } };

export async function runRecordAction<T>(
  permission: Permission,
  fallback: string,
  fn: (tx: Tx, actor: Actor) => Promise<T>,
): Promise<RecordActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  if (!can(session.role, permission)) return fail("You don't have permission to do that.");
  const actor: Actor = { userId: session.user.id, orgId: session.org.id, role: session.role };
  try {
    return ok(await asMember(session, (tx) => fn(tx, actor)));
  } catch (e) {
    if (isRecordInputError(e)) {
      const fields = Object.keys(e.fieldErrors).length ? e.fieldErrors : undefined;
      const existing = (e as { existing?: { id: string; name: string } }).existing;
      return { ...fail(e.message, fields), ...(existing ? { existing } : {}) };
    }
    (await currentLog()).error({ err: e }, fallback);
    return fail(fallback);
  }
}
