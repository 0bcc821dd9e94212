// What Settings → API does, for a given session: the server actions call
// these with the request's session, tests with a member of their own. The
// permission check here decides what the member is told; RLS decides again.
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { can } from "@/lib/auth/permissions";
import { asMember, type Session } from "@/lib/auth/session";
import { isInsufficientPrivilege, isRaised, pgError } from "@/lib/db/errors";
import { createKeySchema, expiryFrom, keyIdSchema, renameKeySchema } from "./schema";
import { createApiKey, renameApiKey, revokeApiKey } from "./service";

const NOT_ALLOWED = "Only owners and admins manage API keys.";
const GONE = "That key no longer exists or was already revoked.";

/** A refusal the database gave for the member's own input, or null for anything unexpected. */
function refusal(e: unknown): ActionResult<never> | null {
  if (isInsufficientPrivilege(e)) return fail(NOT_ALLOWED);
  const message = pgError(e)?.message;
  if (isRaised(e) && message) return fail(message);
  return null;
}

export interface CreatedKey {
  id: string;
  name: string;
  prefix: string;
  /** The whole token: returned by this call only, never stored or shown again. */
  token: string;
}

export async function createKey(session: Session, input: unknown): Promise<ActionResult<CreatedKey>> {
  if (!can(session.role, "api_keys.manage")) return fail(NOT_ALLOWED);
  const parsed = createKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { name, scopes, expiry, expiresOn } = parsed.data;
  try {
    const key = await asMember(session, (tx) =>
      createApiKey(
        tx,
        { orgId: session.org.id, userId: session.user.id },
        { name, scopes, expiresAt: expiryFrom(expiry, expiresOn) },
      ),
    );
    return ok({ ...key, name });
  } catch (e) {
    const known = refusal(e);
    if (known) return known;
    throw e;
  }
}

export async function revokeKey(session: Session, input: unknown): Promise<ActionResult> {
  if (!can(session.role, "api_keys.manage")) return fail(NOT_ALLOWED);
  const parsed = keyIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const done = await asMember(session, (tx) => revokeApiKey(tx, { userId: session.user.id }, parsed.data.id));
    return done ? ok() : fail(GONE);
  } catch (e) {
    const known = refusal(e);
    if (known) return known;
    throw e;
  }
}

export async function renameKey(session: Session, input: unknown): Promise<ActionResult> {
  if (!can(session.role, "api_keys.manage")) return fail(NOT_ALLOWED);
  const parsed = renameKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const done = await asMember(session, (tx) => renameApiKey(tx, parsed.data.id, parsed.data.name));
    return done ? ok() : fail(GONE);
  } catch (e) {
    const known = refusal(e);
    if (known) return known;
    throw e;
  }
}
