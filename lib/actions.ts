// The one way a server action runs and answers: the request's session, a
// permission check, one transaction as the member under RLS, and whatever
// it throws turned into an ActionResult. Server only.

import { type ActionFailure, type ActionResult, fail, failureOf, ok } from "@/lib/action-result";
import type { Actor } from "@/lib/auth/actor";
import { can, type Permission } from "@/lib/auth/permissions";
import { asMember, getSession, type Session } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { currentLog } from "@/lib/log";

/** A thrown error as the action's failure: a DomainError says what is wrong; anything else is logged and answered with `fallback`. */
export async function actionFailure(e: unknown, fallback: string): Promise<ActionFailure> {
  if (isDomainError(e)) return failureOf(e);
  (await currentLog()).error({ err: e }, fallback);
  return fail(fallback);
}

export type Guard = { session: Session; error?: never } | { session?: never; error: ActionFailure };

/** The session when it may do `permission`, else the failure to answer with. */
export async function authorize(permission: Permission): Promise<Guard> {
  const session = await getSession();
  if (!session) return { error: fail("Your session has expired. Sign in again.") };
  if (!can(session.role, permission)) return { error: fail("You don't have permission to do that.") };
  return { session };
}

export const actorOf = (session: Session): Actor => ({ userId: session.user.id, orgId: session.org.id, role: session.role });

/** Runs `fn` in one transaction as the session's member, when the member may do `permission`. */
export async function runAction<T>(
  permission: Permission,
  fallback: string,
  fn: (tx: Tx, actor: Actor, session: Session) => Promise<T>,
): Promise<ActionResult<T>> {
  const { session, error } = await authorize(permission);
  if (error) return error;
  try {
    return ok(await asMember(session, (tx) => fn(tx, actorOf(session), session)));
  } catch (e) {
    return actionFailure(e, fallback);
  }
}
