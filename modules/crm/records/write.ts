// Single-record writes shared by the people and companies services: both
// parse built-in and custom fields together and merge custom values into the
// stored ones. What differs (people's unique email, companies' name) stays
// with each service.
import { sql, type Tx } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { customValuesSchema } from "@/modules/crm/custom-fields/ui";
import type { RecordTable } from "./bulk";
import { asJsonb, defined } from "./input";

type Issue = { path: PropertyKey[]; message: string };
type Schema<T> = { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: Issue[] } } };

/**
 * The custom values checked against the org's definitions, with issues at
 * `custom.<key>`; `undefined` when none were sent.
 */
async function parseCustom(tx: Tx, object: "person" | "company", custom: unknown, mode: "create" | "update") {
  if (custom === undefined) return { data: undefined, issues: [] };
  const defs = await listCustomFieldDefs(tx, object);
  const parsed = customValuesSchema(defs, { mode }).safeParse(custom);
  if (parsed.success) return { data: parsed.data, issues: [] };
  return { data: undefined, issues: parsed.error.issues.map((i) => ({ ...i, path: ["custom", ...i.path] })) };
}

/** Parses built-in and custom fields together, so the form shows every problem at once. */
export async function parseRecordInput<T>(tx: Tx, object: "person" | "company", schema: Schema<T>, input: unknown, mode: "create" | "update") {
  const parsed = schema.safeParse(input);
  const sent = (input as { custom?: unknown } | null)?.custom;
  const custom = await parseCustom(tx, object, mode === "create" ? (sent ?? {}) : sent, mode);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...custom.issues];
  if (!parsed.success || issues.length) throw invalidInput(issues);
  return { values: parsed.data, custom: custom.data };
}

/** The built-in columns that were sent (custom values go through `custom`). */
export function recordColumns<V extends { custom?: unknown }>(v: Partial<V>) {
  const { custom: _custom, ...rest } = v;
  return defined(rest);
}

/** Writes the sent columns, merging `custom` into the stored values; nothing when nothing was sent. */
export async function updateRecordRow(tx: Tx, table: RecordTable, id: string, set: Record<string, unknown>, custom: Record<string, unknown> | undefined) {
  if (!Object.keys(set).length && !custom) return;
  await tx
    .updateTable(table as "people")
    .set({
      ...set,
      ...(custom ? { custom: sql`custom || ${asJsonb(custom)}` } : {}),
    } as never)
    .where("id", "=", id)
    .execute();
}
