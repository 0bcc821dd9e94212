// What Settings → API does, for a given session: the server actions call
// these with the request's session, tests with a member of their own. The
// permission check here decides what the member is told; RLS decides again.
import type { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { asMember, type Session } from "@/lib/auth/session";
import { throwRefusal } from "@/lib/db/errors";
import { fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import { createKeySchema, expiryFrom, keyIdSchema, renameKeySchema } from "./schema";
import { createApiKey, renameApiKey, revokeApiKey } from "./service";

const notAllowed = () => forbidden("Only owners and admins manage API keys.");
const gone = () => notFound("That key no longer exists or was already revoked.");

/** The member may manage keys and the input parses; else the refusal is thrown. */
function allowedInput<S extends z.ZodType>(session: Session, schema: S, input: unknown): z.output<S> {
  if (!can(session.role, "api_keys.manage")) throw notAllowed();
  return parseInput(schema, input);
}

function refusal(e: unknown): never {
  throwRefusal(e, { forbidden: notAllowed });
}

export interface CreatedKey {
  id: string;
  name: string;
  prefix: string;
  /** The whole token: returned by this call only, never stored or shown again. */
  token: string;
}

/** `timeZone`: the member's, in which a chosen expiry date ends. */
export async function createKey(session: Session, input: unknown, timeZone?: string, now = new Date()): Promise<CreatedKey> {
  const { name, scopes, expiry, expiresOn } = allowedInput(session, createKeySchema, input);
  const expiresAt = expiryFrom(expiry, expiresOn, now, timeZone);
  // The schema knows only UTC's today; the member's may already be tomorrow.
  if (expiresAt && expiresAt <= now) throw fieldError("expiresOn", "The date is in the past");
  try {
    const key = await asMember(session, (tx) =>
      createApiKey(
        tx,
        { orgId: session.org.id, userId: session.user.id },
        { name, scopes, expiresAt },
      ),
    );
    return { ...key, name };
  } catch (e) {
    refusal(e);
  }
}

export async function revokeKey(session: Session, input: unknown): Promise<void> {
  const { id } = allowedInput(session, keyIdSchema, input);
  try {
    if (!(await asMember(session, (tx) => revokeApiKey(tx, { userId: session.user.id }, id)))) throw gone();
  } catch (e) {
    refusal(e);
  }
}

export async function renameKey(session: Session, input: unknown): Promise<void> {
  const { id, name } = allowedInput(session, renameKeySchema, input);
  try {
    if (!(await asMember(session, (tx) => renameApiKey(tx, id, name)))) throw gone();
  } catch (e) {
    refusal(e);
  }
}
