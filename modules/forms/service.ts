import type { Actor } from "@/lib/auth/actor";
import { sql, type Tx } from "@/lib/db";
import { notFound, parseInput } from "@/lib/errors";
import { formIdSchema, formInputSchema } from "./schema";

// Form writes as the member, under RLS: the policies let only owners and
// admins through, whatever the caller checked before.

// As text cast in SQL: a bound jsonb parameter would be JSON-encoded once more.
const columns = (input: ReturnType<typeof formInputSchema.parse>) => ({
  ...input,
  fields: sql<string>`${JSON.stringify(input.fields)}::text::jsonb`,
});

export async function createForm(tx: Tx, actor: Actor, input: unknown): Promise<{ id: string; key: string }> {
  const form = parseInput(formInputSchema, input);
  return tx
    .insertInto("web_forms")
    .values({ org_id: actor.orgId, ...columns(form) })
    .returning(["id", "key"])
    .executeTakeFirstOrThrow();
}

export async function updateForm(tx: Tx, input: unknown): Promise<void> {
  const { id } = parseInput(formIdSchema, input);
  const form = parseInput(formInputSchema, input);
  const updated = await tx.updateTable("web_forms").set(columns(form)).where("id", "=", id).returning("id").executeTakeFirst();
  if (!updated) throw notFound("That form no longer exists.");
}

export async function deleteForm(tx: Tx, input: unknown): Promise<void> {
  const { id } = parseInput(formIdSchema, input);
  const deleted = await tx.deleteFrom("web_forms").where("id", "=", id).returning("id").executeTakeFirst();
  if (!deleted) throw notFound("That form no longer exists.");
}
