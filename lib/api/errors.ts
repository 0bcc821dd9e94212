import { z } from "zod";
import { pgError } from "@/lib/db/errors";

/** Every error the REST API returns has this one shape. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** Per field (dotted path, e.g. `custom.budget`): what is wrong with it. */
    details?: Record<string, string[]>;
    request_id: string;
  };
}

export type ApiErrorCode =
  | "invalid_json"
  | "invalid_cursor"
  | "invalid_query"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "idempotency_key_reused"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "internal_error";

/** An error the caller can act on: thrown anywhere in a handler, answered as JSON. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = "Record") => new ApiError(404, "not_found", `${what} not found`);

export function validationFailed(details: Record<string, string[]>, message = "Some fields are not valid") {
  return new ApiError(422, "validation_failed", message, details);
}

/** zod issues → `{ "field.path": ["message"] }` (root issues under `_`). */
export function detailsFromZod(error: z.ZodError): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (details[key] ??= []).push(issue.message);
  }
  return details;
}

// Constraint names → the request field they are about.
const FK_FIELD = /_(person_id|company_id|deal_id|owner_id|assignee_id|pipeline_id|stage_id|created_by)_/;

/**
 * Database refusals the caller caused, as API errors; anything else is ours
 * and becomes a 500 without details.
 */
export function apiErrorFromDatabase(e: unknown): ApiError | null {
  const pg = pgError(e);
  if (!pg?.code) return null;
  const constraint = (pg as { constraint_name?: string }).constraint_name ?? "";
  switch (pg.code) {
    case "28000":
      return new ApiError(401, "unauthorized", pg.message ?? "Invalid API key");
    case "23503": {
      const field = constraint.match(FK_FIELD)?.[1] ?? "_";
      return validationFailed({ [field]: ["No such record in this organization"] });
    }
    case "23505":
      return new ApiError(409, "conflict", pg.message ?? "Conflicts with an existing record");
    case "42501":
      return new ApiError(403, "forbidden", pg.message?.startsWith("new row violates") ? "Not allowed for this key's member" : (pg.message ?? "Not allowed"));
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
      return notFound();
    default:
      return null;
  }
}

export function errorResponse(e: ApiError, requestId: string): Response {
  const body: ApiErrorBody = {
    error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}), request_id: requestId },
  };
  return Response.json(body, { status: e.status, headers: e.headers });
}
