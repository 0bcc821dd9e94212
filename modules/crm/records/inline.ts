// Editing one cell of a people or companies list: the cell's value as an
// update input, and the update's refusal keyed by the cell so it shows there.

import { DomainError, invalidFields, isDomainError } from "@/lib/errors";

/** Turns one list cell into an update input. */
export function inlineInput(fieldKey: string, value: string | null, fields: Record<string, string>): Record<string, unknown> {
  if (fieldKey.startsWith("custom.")) return { custom: { [fieldKey.slice(7)]: value } };
  const column = fields[fieldKey];
  if (!column) throw invalidFields({ [fieldKey]: "Not editable here" }, `"${fieldKey}" can't be edited in the list`);
  return { [column]: value };
}

/** The error of an inline edit, keyed by the list field key so the cell shows it. */
export function inlineError(e: unknown, fieldKey: string, fields: Record<string, string>): unknown {
  if (!isDomainError(e)) return e;
  const column = fields[fieldKey] ?? fieldKey;
  const details = e.details ?? {};
  const message = (details[column] ?? details[fieldKey] ?? Object.values(details)[0])?.[0] ?? e.message;
  return new DomainError(e.code, message, { details: { [fieldKey]: [message] }, data: e.data });
}
