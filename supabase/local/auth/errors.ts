/**
 * Errors in GoTrue's shape. supabase-js turns them into AuthApiError with
 * `status` and `code`, so the codes and statuses below are GoTrue's: app code
 * that switches on them behaves the same against Supabase Auth.
 */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level body fields, e.g. `weak_password: { reasons }`. */
    readonly extra?: Record<string, unknown>,
    /** The underlying failure, logged for 5xx answers and never sent. */
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "AuthError";
  }
}

export const badRequest = (code: string, msg: string) => new AuthError(400, code, msg);
export const unauthorized = (code: string, msg: string) => new AuthError(401, code, msg);
export const forbidden = (code: string, msg: string) => new AuthError(403, code, msg);
export const notFound = (code: string, msg: string) => new AuthError(404, code, msg);
export const unprocessable = (code: string, msg: string) => new AuthError(422, code, msg);
export const tooManyRequests = (code: string, msg: string) => new AuthError(429, code, msg);
export const internal = (msg: string) => new AuthError(500, "unexpected_failure", msg);

export const INVALID_LOGIN = "Invalid login credentials";
export const DUPLICATE_EMAIL = "A user with this email address has already been registered";

export function weakPassword(minLength: number) {
  return new AuthError(422, "weak_password", `Password should be at least ${minLength} characters.`, {
    weak_password: { reasons: ["length"] },
  });
}

/** supabase-js sends this header; from 2024-01-01 on, errors use `{ code, message }`. */
export const API_VERSION_HEADER = "X-Supabase-Api-Version";
const API_VERSION_2024 = "2024-01-01";

/** The closest API version GoTrue knows at or before the requested one, or null (initial). */
export function negotiateApiVersion(requested: string | null): string | null {
  if (!requested || !/^\d{4}-\d{2}-\d{2}$/.test(requested)) return null;
  return requested >= API_VERSION_2024 ? API_VERSION_2024 : null;
}

/**
 * The response body for an error, as GoTrue writes it for the negotiated
 * API version: `{ code: "<error_code>", message }` from 2024-01-01, else the
 * legacy `{ code: <status>, error_code, msg }`.
 */
export function errorBody(err: AuthError, apiVersion: string | null, errorId?: string) {
  if (apiVersion) return { code: err.code, message: err.message, ...err.extra };
  return {
    code: err.status,
    error_code: err.code,
    msg: err.message,
    ...(errorId ? { error_id: errorId } : {}),
    ...err.extra,
  };
}

interface PgLikeError {
  code?: string;
  hint?: string;
  message?: string;
}

/**
 * The sign-up trigger on auth.users refuses with errcode P0001 and a HINT
 * naming the reason (invite_expired, signup_disabled, ...). Real GoTrue would
 * answer 500 "Database error saving new user"; here the reason becomes a 422
 * with the hint as error code, so the app shows the trigger's message.
 */
export function fromDatabaseError(e: unknown, fallback: string, onDuplicate?: AuthError): AuthError {
  if (e instanceof AuthError) return e;
  const pg = e as PgLikeError;
  if (pg?.code === "P0001" && pg.hint && /^[a-z][a-z0-9_]*$/.test(pg.hint)) {
    return unprocessable(pg.hint, pg.message ?? fallback);
  }
  // A unique violation: the address was taken by a concurrent request.
  if (pg?.code === "23505" && onDuplicate) return onDuplicate;
  return new AuthError(500, "unexpected_failure", fallback, undefined, e);
}
