import { z } from "zod";
import { API_SCOPES } from "@/lib/api/scopes";
import { MAX_BODY_BYTES, type Operation } from "./operation";

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** Top-level properties of an object schema, as OpenAPI parameters. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, "input");
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...(rest.type === "array" ? { style: "form", explode: true } : {}),
    };
  });
}

const ERROR_STATUSES: Record<number, string> = {
  400: "Malformed request: invalid JSON, query or cursor",
  401: "Missing, malformed, unknown, expired or revoked API key",
  403: "The key lacks the scope, or its member's role does not allow this",
  404: "No such record in the key's organization",
  409: "Conflicts with an existing record",
  413: `Body larger than ${MAX_BODY_BYTES} bytes`,
  415: "Body is not JSON",
  422: "Validation failed; `details` names each field",
  429: "Rate limited; wait for `Retry-After` seconds",
};

/** The OpenAPI 3.1 document of the REST API, from the operations' own zod schemas. */
export function buildOpenApiDocument(operations: readonly Operation[], opts: { serverUrl: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const errors = [400, 401, 403, 404, 429, ...(op.body ? [409, 413, 415, 422] : [])].sort();
    const status = String(op.status ?? 200);
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.scope ? { "x-required-scope": op.scope } : {}),
      security: [{ apiKey: op.scope ? [op.scope] : [] }],
      parameters: [
        ...parameters(op.params, "path"),
        ...parameters(op.query, "query"),
        ...(op.idempotent
          ? [
              {
                name: "Idempotency-Key",
                in: "header",
                required: false,
                description:
                  "Any unique string (1–255 chars). Repeating a request with the same key within 24 hours returns the first result (with `Idempotent-Replayed: true`) instead of creating again.",
                schema: { type: "string", minLength: 1, maxLength: 255 },
              },
            ]
          : []),
      ],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input") } } } }
        : {}),
      responses: {
        [status]:
          status === "204"
            ? { description: "Done" }
            : {
                description: op.successDescription ?? "Success",
                content: { "application/json": { schema: op.response ? schemaOf(op.response, "output") : {} } },
              },
        ...Object.fromEntries(
          Object.entries(op.otherSuccess ?? {}).map(([s, description]) => [
            s,
            { description, content: { "application/json": { schema: op.response ? schemaOf(op.response, "output") : {} } } },
          ]),
        ),
        ...Object.fromEntries(
          errors.map((s) => [
            String(s),
            {
              description: ERROR_STATUSES[s],
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
              ...(s === 429
                ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } } }
                : {}),
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Covey REST API",
      version: opts.version,
      description: [
        "The Covey CRM API. Authenticate with an API key created in Settings → API: `Authorization: Bearer covey_…`.",
        "A key acts for its organization only, as the member who created it, narrowed by its scopes.",
        "Lists return `{ data, next_cursor }`; pass `cursor=<next_cursor>` for the next page.",
        "Filters use `f=field:op:value` (repeatable), sorting `sort=field` or `sort=-field`.",
        "Timestamps are ISO 8601 in UTC (`2026-12-07T20:30:00.000Z`) and dates `YYYY-MM-DD`, whatever time zone the key's member reads the app in; timestamps sent may carry any offset.",
        `Request bodies are JSON, at most ${MAX_BODY_BYTES} bytes; unknown fields are refused.`,
        "Every error has the shape `{ error: { code, message, details?, request_id } }`.",
        "Each key has its own limit of requests per minute (600 unless set otherwise), counted across all of the app's servers: bursts up to the limit, then one request per 1/limit minute; a 429 carries `Retry-After` in seconds.",
      ].join("\n\n"),
    },
    servers: [{ url: opts.serverUrl }],
    security: [{ apiKey: [] }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "covey_<prefix>_<secret>",
          description: `Scopes: ${API_SCOPES.join(", ")}`,
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "request_id"],
              properties: {
                code: { type: "string", examples: ["validation_failed"] },
                message: { type: "string" },
                details: {
                  type: "object",
                  description: "Per field (dotted path): its messages",
                  additionalProperties: { type: "array", items: { type: "string" } },
                },
                request_id: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}
