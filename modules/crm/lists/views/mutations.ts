// Saved-view writes for a given member; actions.ts exposes them to the
// browser with the session of the request. RLS decides whose views a member
// may change, so "not found" and "not yours" look the same.

import { asMember, type Session } from "@/lib/auth/session";
import { isUniqueViolation, throwRefusal } from "@/lib/db/errors";
import { sql } from "@/lib/db";
import { fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import { createViewSchema, renameViewSchema, updateViewStateSchema, viewIdSchema } from "./schema";

// Bound as text and cast in SQL: postgres.js would JSON-encode a string
// parameter it sees as jsonb a second time.
const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

const gone = () => notFound("This view no longer exists, or only its owner can change it.");

const duplicate = (name: string) => fieldError("name", `You already have a view named "${name}" for this list.`);

function refusal(e: unknown): never {
  throwRefusal(e, { forbidden: () => forbidden() });
}

/** Saves list state under a name; shared views are visible to the whole team. */
export async function saveView(session: Session, input: unknown): Promise<{ id: string }> {
  const { objectType, name, shared, state } = parseInput(createViewSchema, input);
  try {
    const row = await asMember(session, (tx) =>
      tx
        .insertInto("saved_views")
        .values({ org_id: session.org.id, object_type: objectType, name, shared, state: asJsonb(state) })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    return { id: row.id };
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(name);
    refusal(e);
  }
}

/** Replaces a view's filters, sort and columns with the given ones. */
export async function saveViewState(session: Session, input: unknown): Promise<void> {
  const { id, state } = parseInput(updateViewStateSchema, input);
  try {
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("saved_views")
        .set({ state: asJsonb(state) })
        .where("id", "=", id)
        .returning("id")
        .executeTakeFirst(),
    );
    if (!row) throw gone();
  } catch (e) {
    refusal(e);
  }
}

/** Renames a view and optionally shares or unshares it. */
export async function changeView(session: Session, input: unknown): Promise<void> {
  const { id, name, shared } = parseInput(renameViewSchema, input);
  try {
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("saved_views")
        .set({ name, ...(shared === undefined ? {} : { shared }) })
        .where("id", "=", id)
        .returning("id")
        .executeTakeFirst(),
    );
    if (!row) throw gone();
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(name);
    refusal(e);
  }
}

export async function removeView(session: Session, input: unknown): Promise<void> {
  const { id } = parseInput(viewIdSchema, input);
  try {
    const row = await asMember(session, (tx) => tx.deleteFrom("saved_views").where("id", "=", id).returning("id").executeTakeFirst());
    if (!row) throw gone();
  } catch (e) {
    refusal(e);
  }
}
