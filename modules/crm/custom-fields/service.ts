// Custom field definitions: settings operations. Plain functions (no Next
// request context) so actions and tests share them; the database enforces
// owner/admin again (RLS) and validates options in use (trigger).

import type { SessionActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { type Database, sql, type Tx } from "@/lib/db";
import { isUniqueViolation, throwRefusal } from "@/lib/db/errors";
import { fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import { getCustomFieldDef } from "./queries";
import { createFieldSchema, fieldIdSchema, reorderFieldsSchema, updateFieldSchema } from "./schema";
import { CUSTOM_FIELD_TYPE_LABELS, type CustomFieldDef } from "./types";

// Bound as text and cast in SQL: postgres.js would JSON-encode a string
// parameter it sees as jsonb a second time.
const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

const notAllowed = () => forbidden("Only owners and admins can change custom fields.");
const gone = () => notFound("This custom field no longer exists.");

function allowed(actor: SessionActor) {
  if (!can(actor.role, "settings.manage")) throw notAllowed();
}

// The triggers name the field at fault in their hint.
function refusal(e: unknown): never {
  throwRefusal(e, { forbidden: notAllowed, hintIsField: true });
}

export async function createCustomField(db: Database, actor: SessionActor, input: unknown): Promise<CustomFieldDef> {
  allowed(actor);
  const v = parseInput(createFieldSchema, input);
  try {
    return await db.asUser(actor.claims, async (tx) => {
      const taken = await tx
        .selectFrom("custom_field_definitions")
        .select(["label", "archived_at"])
        .where("object_type", "=", v.objectType)
        .where("key", "=", v.key)
        .executeTakeFirst();
      if (taken) {
        const message = `The key "${v.key}" is already used by the field "${taken.label}"${taken.archived_at ? " (archived)" : ""}`;
        throw fieldError("key", message);
      }
      const { max } = await tx
        .selectFrom("custom_field_definitions")
        .select((eb) => eb.fn.max("position").as("max"))
        .where("object_type", "=", v.objectType)
        .executeTakeFirstOrThrow();
      const row = await tx
        .insertInto("custom_field_definitions")
        .values({
          org_id: actor.orgId,
          object_type: v.objectType,
          key: v.key,
          label: v.label,
          field_type: v.type as keyof typeof CUSTOM_FIELD_TYPE_LABELS,
          options: asJsonb(v.options),
          required: v.required,
          position: (max ?? -1) + 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return (await getCustomFieldDef(tx, row.id))!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError("key", `The key "${v.key}" is already used`);
    refusal(e);
  }
}

export async function updateCustomField(db: Database, actor: SessionActor, input: unknown): Promise<CustomFieldDef> {
  allowed(actor);
  const v = parseInput(updateFieldSchema, input);
  try {
    return await db.asUser(actor.claims, async (tx) => {
      const current = await getCustomFieldDef(tx, v.id);
      if (!current) throw gone();
      const hasOptions = current.type === "select" || current.type === "multi_select";
      if (hasOptions && v.options.length === 0) throw fieldError("options", "Add at least one option");
      await tx
        .updateTable("custom_field_definitions")
        .set({ label: v.label, required: v.required, ...(hasOptions ? { options: asJsonb(v.options) } : {}) })
        .where("id", "=", v.id)
        .execute();
      return (await getCustomFieldDef(tx, v.id))!;
    });
  } catch (e) {
    refusal(e);
  }
}

/** Puts the object's fields in the order of `ids` (fields not listed keep their place after them). */
export async function reorderCustomFields(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const { objectType, ids } = parseInput(reorderFieldsSchema, input);
  await db.asUser(actor.claims, async (tx) => {
    const all = await tx
      .selectFrom("custom_field_definitions")
      .select("id")
      .where("object_type", "=", objectType)
      .orderBy("position")
      .orderBy("created_at")
      .execute();
    const listed = new Set(ids);
    const order = [...ids.filter((id) => all.some((r) => r.id === id)), ...all.map((r) => r.id).filter((id) => !listed.has(id))];
    for (const [position, id] of order.entries()) {
      await tx.updateTable("custom_field_definitions").set({ position }).where("id", "=", id).where("position", "<>", position).execute();
    }
  });
}

/** Archived fields disappear from forms and lists; their values are kept for a restore. */
export async function setCustomFieldArchived(
  db: Database,
  actor: SessionActor,
  input: unknown,
  archived: boolean,
): Promise<void> {
  allowed(actor);
  const { id } = parseInput(fieldIdSchema, input);
  const res = await db.asUser(actor.claims, (tx) =>
    tx
      .updateTable("custom_field_definitions")
      .set({ archived_at: archived ? new Date() : null })
      .where("id", "=", id)
      .executeTakeFirst(),
  );
  if (res.numUpdatedRows === 0n) throw gone();
}

/**
 * Deletes the field and, in the same transaction (trigger), its value on
 * every record. Returns how many records held a value.
 */
export async function deleteCustomField(db: Database, actor: SessionActor, input: unknown): Promise<{ cleared: number }> {
  allowed(actor);
  const { id } = parseInput(fieldIdSchema, input);
  try {
    return await db.asUser(actor.claims, async (tx) => {
      const def = await getCustomFieldDef(tx, id);
      if (!def) throw gone();
      const cleared = await countValues(tx, def);
      const res = await tx.deleteFrom("custom_field_definitions").where("id", "=", def.id).executeTakeFirst();
      if (res.numDeletedRows === 0n) throw notAllowed();
      return { cleared };
    });
  } catch (e) {
    refusal(e);
  }
}

const TABLES = { person: "people", company: "companies", deal: "deals", lead: "leads" } as const;

/** Records (active or archived) holding a value for the field. */
export async function countValues(tx: Tx, def: Pick<CustomFieldDef, "objectType" | "key">) {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(TABLES[def.objectType])} where custom ? ${def.key}`.execute(tx);
  return Number(r.rows[0]?.n ?? 0);
}
