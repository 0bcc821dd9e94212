// Postgres errors that a user's input can cause, in words the user can act on.
import { DomainError } from "@/lib/errors";

interface PgError {
  code?: string;
  message?: string;
  hint?: string;
  constraint_name?: string;
}

export function pgError(e: unknown): PgError | null {
  if (e && typeof e === "object" && "code" in e && typeof (e as PgError).code === "string") return e as PgError;
  return null;
}

/** The hint tag our migrations attach to raised exceptions (e.g. invite_expired). */
export function pgHint(e: unknown): string | undefined {
  return pgError(e)?.hint;
}

export const isUniqueViolation = (e: unknown) => pgError(e)?.code === "23505";
export const isInsufficientPrivilege = (e: unknown) => pgError(e)?.code === "42501";
export const isRaised = (e: unknown) => ["P0001", "23514", "42501", "P0002"].includes(pgError(e)?.code ?? "");

/** Raised by asUser when the token's session has ended (signed out or revoked). */
export const isSessionEnded = (e: unknown) => pgError(e)?.code === "28000" && pgError(e)?.hint === "session_ended";

/**
 * What the database refused of a member's request, thrown as a DomainError:
 * 42501 (RLS, a function's role check) as `forbidden` (else with the
 * database's message), P0002 as `notFound` when given, any other raised
 * refusal as invalid input with its message, on the field its hint names
 * where the module's functions hint fields. Anything else is rethrown as it is.
 */
export function throwRefusal(
  e: unknown,
  as: { forbidden?: () => DomainError; notFound?: () => DomainError; hintIsField?: boolean } = {},
): never {
  const err = pgError(e);
  if (err?.code === "42501") throw as.forbidden?.() ?? new DomainError("forbidden", err.message);
  if (err?.code === "P0002" && as.notFound) throw as.notFound();
  if (isRaised(e) && err?.message) {
    const field = as.hintIsField ? err.hint : undefined;
    throw new DomainError("validation_failed", err.message, field ? { details: { [field]: [err.message] } } : {});
  }
  throw e;
}
