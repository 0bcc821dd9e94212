// What every server action returns: success, or an error a form can show,
// with messages per field where the input was at fault.
export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export function ok(): ActionResult;
export function ok<T>(data: T): ActionResult<T>;
export function ok<T>(data?: T): ActionResult<T | undefined> {
  return { ok: true, data };
}

export function fail(error: string, fieldErrors?: Record<string, string>): { ok: false; error: string; fieldErrors?: Record<string, string> } {
  return { ok: false, error, ...(fieldErrors ? { fieldErrors } : {}) };
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

export function invalid(issues: { path: PropertyKey[]; message: string }[]) {
  return fail("Please correct the highlighted fields.", fieldErrorsOf(issues));
}
