// Postgres errors that a user's input can cause, in words the user can act on.

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
