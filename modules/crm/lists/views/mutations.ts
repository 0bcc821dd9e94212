// Saved-view writes for a given member; actions.ts exposes them to the
// browser with the session of the request. RLS decides whose views a member
// may change, so "not found" and "not yours" look the same.

import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { asMember, type Session } from "@/lib/auth/session";
import { isRaised, isUniqueViolation, pgError } from "@/lib/db/errors";
import { sql } from "@/lib/db";
import { currentLog } from "@/lib/log";
import { createViewSchema, renameViewSchema, updateViewStateSchema, viewIdSchema } from "./schema";

// Bound as text and cast in SQL: postgres.js would JSON-encode a string
// parameter it sees as jsonb a second time.
const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

const gone = () => fail("This view no longer exists, or only its owner can change it.");

function duplicate(name: string) {
  const message = `You already have a view named "${name}" for this list.`;
  return fail(message, { name: message });
}

async function refusal(e: unknown, fallback: string) {
  const message = pgError(e)?.message;
  if (isRaised(e) && message) return fail(message);
  (await currentLog()).error({ err: e }, fallback);
  return fail(fallback);
}

/** Saves list state under a name; shared views are visible to the whole team. */
export async function saveView(session: Session, input: unknown): Promise<ActionResult<{ id: string }>> {
  const parsed = createViewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { objectType, name, shared, state } = parsed.data;
  try {
    const row = await asMember(session, (tx) =>
      tx
        .insertInto("saved_views")
        .values({ org_id: session.org.id, object_type: objectType, name, shared, state: asJsonb(state) })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    return ok({ id: row.id });
  } catch (e) {
    if (isUniqueViolation(e)) return duplicate(name);
    return refusal(e, "Saving the view failed.");
  }
}

/** Replaces a view's filters, sort and columns with the given ones. */
export async function saveViewState(session: Session, input: unknown): Promise<ActionResult> {
  const parsed = updateViewStateSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("saved_views")
        .set({ state: asJsonb(parsed.data.state) })
        .where("id", "=", parsed.data.id)
        .returning("id")
        .executeTakeFirst(),
    );
    return row ? ok() : gone();
  } catch (e) {
    return refusal(e, "Updating the view failed.");
  }
}

/** Renames a view and optionally shares or unshares it. */
export async function changeView(session: Session, input: unknown): Promise<ActionResult> {
  const parsed = renameViewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { id, name, shared } = parsed.data;
  try {
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("saved_views")
        .set({ name, ...(shared === undefined ? {} : { shared }) })
        .where("id", "=", id)
        .returning("id")
        .executeTakeFirst(),
    );
    return row ? ok() : gone();
  } catch (e) {
    if (isUniqueViolation(e)) return duplicate(name);
    return refusal(e, "Renaming the view failed.");
  }
}

export async function removeView(session: Session, input: unknown): Promise<ActionResult> {
  const parsed = viewIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const row = await asMember(session, (tx) =>
      tx.deleteFrom("saved_views").where("id", "=", parsed.data.id).returning("id").executeTakeFirst(),
    );
    return row ? ok() : gone();
  } catch (e) {
    return refusal(e, "Deleting the view failed.");
  }
}
