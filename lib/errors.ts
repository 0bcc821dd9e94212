// The one error type for every refusal a person or a client can cause. Code
// anywhere throws a DomainError; each way out maps it in one place:
// server actions (failureOf, lib/action-result.ts), the app's own JSON routes
// (errorResponse, below) and the REST API (apiErrorReply, lib/api/errors.ts).
// Anything else thrown is a bug or an outage: logged, and answered with a
// generic message.

import type { z } from "zod";

/** Every code, with the HTTP status it is answered with. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_query: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  provider_unavailable: 502,
  not_configured: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** What a code says when the thrower has nothing more precise to say. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  invalid_json: "The request body is not valid JSON.",
  invalid_query: "Some query parameters are not valid.",
  invalid_cursor: "The page link is invalid or out of date. Reload and try again.",
  unauthorized: "Your session has expired. Sign in again.",
  forbidden: "You don't have permission to do that.",
  not_found: "That record no longer exists or is not in your organization.",
  method_not_allowed: "That method is not allowed here.",
  conflict: "That conflicts with an existing record.",
  gone: "That is no longer available.",
  payload_too_large: "The request is too large.",
  unsupported_media_type: "That content type is not accepted here.",
  validation_failed: "Please correct the highlighted fields.",
  idempotency_key_reused: "This Idempotency-Key was already used for a different request.",
  rate_limited: "Too many requests. Try again in a moment.",
  internal_error: "Something went wrong on our side. Try again in a moment.",
  provider_unavailable: "A provider Covey relies on could not be reached. Try again in a moment.",
  not_configured: "This feature is not configured on this deployment.",
};

/**
 * What is wrong, per field, query parameter or row: `{ "email": ["…"] }`,
 * `{ "custom.budget": ["…"] }`, `{ "row 12": ["…"] }`; `_` is the input as a
 * whole.
 */
export type ErrorDetails = Record<string, string[]>;

export interface DomainErrorOptions {
  details?: ErrorDetails;
  /** Facts beyond the message that a client shows (e.g. the record a duplicate matches, an import's report). */
  data?: Record<string, unknown>;
  /** HTTP headers the answer carries (Retry-After, Allow). */
  headers?: Record<string, string>;
}

export class DomainError extends Error {
  readonly details?: ErrorDetails;
  readonly data?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = "DomainError";
    if (options.details && Object.keys(options.details).length) this.details = options.details;
    if (options.data) this.data = options.data;
    if (options.headers) this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Issues (zod's, or built by hand) as details; an issue without a path is about the whole input (`_`). */
export function detailsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of issues) (details[issue.path.length ? issue.path.map(String).join(".") : "_"] ??= []).push(issue.message);
  return details;
}

/** Input at fault: one message or several per field. */
export function invalidFields(fields: Record<string, string | string[]>, message = ERROR_MESSAGES.validation_failed): DomainError {
  const details = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  return new DomainError("validation_failed", message, { details });
}

/** One field at fault, the message said once for the form and once beside the field. */
export const fieldError = (field: string, message: string) => invalidFields({ [field]: message }, message);

/** Input at fault, from zod's issues. */
export const invalidInput = (issues: readonly { path: readonly PropertyKey[]; message: string }[], message?: string) =>
  new DomainError("validation_failed", message, { details: detailsFromIssues(issues) });

/** `input` as `schema` reads it; its issues are thrown as input at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return parsed.data;
}

export const notFound = (message?: string) => new DomainError("not_found", message);
export const forbidden = (message?: string) => new DomainError("forbidden", message);
export const conflict = (message: string, options?: DomainErrorOptions) => new DomainError("conflict", message, options);

/** The body every JSON route of the app (`/api/crm/*`) answers a refusal with; `/api/v1` adds `request_id`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetails } & Record<string, unknown>;
}

export function errorBody(e: DomainError): ErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}), ...e.data } };
}

/**
 * A JSON route's answer to a thrown error: a DomainError as its status and
 * body; anything else is logged through `log` and answered 500.
 */
export function errorResponse(e: unknown, log?: (error: unknown) => void): Response {
  const known = isDomainError(e) ? e : new DomainError("internal_error");
  if (!isDomainError(e)) log?.(e);
  return Response.json(errorBody(known), { status: known.status, headers: { ...known.headers, "cache-control": "no-store" } });
}
