import { pgError } from "@/lib/db/errors";
import { DomainError, type ErrorCode, type ErrorDetails, isDomainError } from "@/lib/errors";
import { REQUEST_ID_HEADER } from "@/lib/http/request-id";

/** Every error the REST API returns has this one shape. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** Per field (dotted path, e.g. `custom.budget`): what is wrong with it. */
    details?: ErrorDetails;
    /** Facts beside the message, e.g. `existing`: the record a duplicate clashes with. */
    [fact: string]: unknown;
    request_id: string;
  };
}

/** A REST API error's code: the domain's codes, one vocabulary for app and API. */
export type ApiErrorCode = ErrorCode;

export const recordNotFound = (what = "Record") => new DomainError("not_found", `${what} not found`);

export function validationFailed(details: ErrorDetails, message = "Some fields are not valid") {
  return new DomainError("validation_failed", message, { details });
}

// Constraint names → the request field they are about.
const FK_FIELD = /_(person_id|company_id|deal_id|owner_id|assignee_id|pipeline_id|stage_id|created_by)_/;

/**
 * Database refusals the caller caused, as API errors; anything else is ours
 * and becomes a 500 without details.
 */
export function apiErrorFromDatabase(e: unknown): DomainError | null {
  const pg = pgError(e);
  if (!pg?.code) return null;
  const constraint = (pg as { constraint_name?: string }).constraint_name ?? "";
  switch (pg.code) {
    case "28000":
      return new DomainError("unauthorized", pg.message ?? "Invalid API key");
    case "23503": {
      const field = constraint.match(FK_FIELD)?.[1] ?? "_";
      return validationFailed({ [field]: ["No such record in this organization"] });
    }
    case "23505":
      return new DomainError("conflict", pg.message ?? "Conflicts with an existing record");
    case "42501":
      return new DomainError("forbidden", pg.message?.startsWith("new row violates") ? "Not allowed for this key's member" : (pg.message ?? "Not allowed"));
    case "23514":
    case "P0001":
    case "23502":
    case "22001":
    case "22003":
    case "22007":
    case "22008":
      return validationFailed({ [pg.hint || "_"]: [pg.message ?? "Not valid"] });
    case "22P02":
      return validationFailed({ _: [pg.message ?? "Malformed value"] });
    case "P0002":
      return recordNotFound();
    default:
      return null;
  }
}

/** A refusal as a reply: status, its headers (e.g. Retry-After) and the one error body. */
export function errorReply(e: DomainError, requestId: string): ApiReply {
  const body: ApiErrorBody = {
    error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}), ...e.data, request_id: requestId },
  };
  return { status: e.status, headers: { ...e.headers, [REQUEST_ID_HEADER]: requestId }, body };
}

/**
 * Whatever an operation threw, as its reply: a DomainError or a database
 * refusal the caller caused as itself, anything else as a 500 without
 * details (and `log`ged: it is ours).
 */
export function apiErrorReply(e: unknown, requestId: string, log: (error: unknown) => void): ApiReply {
  const known = isDomainError(e) ? e : apiErrorFromDatabase(e);
  if (!known) log(e);
  return errorReply(known ?? new DomainError("internal_error", "Something went wrong on our side; the request id identifies it"), requestId);
}

/**
 * What an API request is answered with, before it becomes an HTTP response:
 * a JSON body (none for 204) and headers. The Next route handlers turn it
 * into a `Response`; the Covey server writes it to the socket directly.
 */
export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A body already serialised as JSON (e.g. rendered by the database), sent as it is. */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The reply's body as JSON text, or null for none. */
export function replyJson(reply: ApiReply): string | null {
  if (reply.body === undefined) return null;
  return reply.body instanceof RawJson ? reply.body.text : JSON.stringify(reply.body);
}

export function replyToResponse(reply: ApiReply): Response {
  const json = replyJson(reply);
  if (json === null) return new Response(null, { status: reply.status, headers: reply.headers });
  return new Response(json, { status: reply.status, headers: { "content-type": "application/json", ...reply.headers } });
}
