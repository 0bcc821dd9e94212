// Editing one cell of a people or companies list: the cell's value as an
// update input, and the update's refusal keyed by the cell so it shows there.

import type { Tx } from "@/lib/db";
import { DomainError, invalidFields, isDomainError } from "@/lib/errors";
import type { Actor } from "./input";

/** Turns one list cell into an update input. */
function inlineInput(fieldKey: string, value: string | null, fields: Record<string, string>): Record<string, unknown> {
  if (fieldKey.startsWith("custom.")) return { custom: { [fieldKey.slice(7)]: value } };
  const column = fields[fieldKey];
  if (!column) throw invalidFields({ [fieldKey]: "Not editable here" }, `"${fieldKey}" can't be edited in the list`);
  return { [column]: value };
}

/** The error of an inline edit, keyed by the list field key so the cell shows it. */
function inlineError(e: unknown, fieldKey: string, fields: Record<string, string>): unknown {
  if (!isDomainError(e)) return e;
  const column = fields[fieldKey] ?? fieldKey;
  const details = e.details ?? {};
  const message = (details[column] ?? details[fieldKey] ?? Object.values(details)[0])?.[0] ?? e.message;
  return new DomainError(e.code, message, { details: { [fieldKey]: [message] }, data: e.data });
}

/**
 * The edit of one cell of a list, through the object's `update`: `fields`
 * maps the list field keys editable in place to their columns (custom fields
 * are `custom.<key>`), and a refusal comes back keyed by the cell.
 */
export function inlineUpdate(update: (tx: Tx, actor: Actor, id: string, input: unknown) => Promise<void>, fields: Record<string, string>) {
  return async (tx: Tx, actor: Actor, id: string, fieldKey: string, value: string | null): Promise<void> => {
    const input = inlineInput(fieldKey, value, fields);
    try {
      await update(tx, actor, id, input);
    } catch (e) {
      throw inlineError(e, fieldKey, fields);
    }
  };
}
