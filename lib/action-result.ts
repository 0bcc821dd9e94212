// What every server action returns: success, or an error a form can show,
// with messages per field where the input was at fault. Client-safe: forms
// read these types; lib/actions.ts runs actions on the server.

import { type DomainError, invalidInput } from "@/lib/errors";

/** A refusal: its message, the first message per field, and any facts a domain error carried (e.g. `existing`). */
export type ActionFailure = { ok: false; error: string; fieldErrors?: Record<string, string>; [fact: string]: unknown };
export type ActionResult<T = undefined> = { ok: true; data: T } | ActionFailure;

export function ok(): ActionResult;
export function ok<T>(data: T): ActionResult<T>;
export function ok<T>(data?: T): ActionResult<T | undefined> {
  return { ok: true, data };
}

export function fail(error: string, fieldErrors?: Record<string, string>): ActionFailure {
  return { ok: false, error, ...(fieldErrors ? { fieldErrors } : {}) };
}

/**
 * A domain error as an action's failure: its message, the first message per
 * field (the whole input, `_`, is the form's), and its data (e.g. the
 * record a duplicate matches) beside them.
 */
export function failureOf(e: DomainError): ActionFailure {
  const fields = e.details && Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k === "_" ? "form" : k, v[0]]));
  return { ...e.data, ...fail(e.message, fields) };
}

/** Turns a zod error into per-field messages (first message per field). */
export function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[]) {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "form";
    out[key] ??= i.message;
  }
  return out;
}

export function invalid(issues: { path: PropertyKey[]; message: string }[]): ActionFailure {
  return failureOf(invalidInput(issues));
}
