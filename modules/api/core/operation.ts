import { z } from "zod";
import { apiErrorReply, type ApiReply, recordNotFound, validationFailed } from "@/lib/api/errors";
import type { ApiScope } from "@/lib/api/scopes";
import { type ApiKeyClaims, database, type Tx } from "@/lib/db";
import { detailsFromIssues, DomainError } from "@/lib/errors";
import { requestIdFrom, REQUEST_ID_HEADER } from "@/lib/http/request-id";
import { requestLog } from "@/lib/log";
import { withIdempotency } from "./idempotency";

/** Largest request body the API accepts (documented in the OpenAPI document). */
export const MAX_BODY_BYTES = 1024 * 1024;

type Method = "get" | "post" | "patch" | "put" | "delete";

export interface OperationContext<P, Q, B> {
  tx: Tx;
  claims: ApiKeyClaims;
  /** The member the key acts for, and the key's org. */
  actor: { userId: string; orgId: string; role: string };
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
}

export interface OperationResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface OperationSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** OpenAPI operationId, e.g. listPeople. */
  id: string;
  method: Method;
  /** OpenAPI path under /api/v1 with {param} placeholders, e.g. /people/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The scope the key needs; none means any valid key. */
  scope?: ApiScope;
  params?: P;
  query?: Q;
  /** The request body; unknown fields are refused (the schema is made strict). */
  body?: B;
  /** The success response body, for the OpenAPI document. */
  response?: z.ZodType;
  /** Success status (default 200; 201 for creates). */
  status?: number;
  /** What the success status means, when the operation also answers another (`otherSuccess`). */
  successDescription?: string;
  /** Other success statuses the handler answers with the same body, and what each means. */
  otherSuccess?: Record<number, string>;
  /** POST only: a repeated Idempotency-Key returns the first result. */
  idempotent?: boolean;
  handle(ctx: OperationContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<OperationResult | unknown>;
}

export interface Operation extends OperationSpec<z.ZodType, z.ZodType, z.ZodType> {
  /** Answers a request, with the path's params: every refusal is a reply too, never a throw. */
  reply: (request: Request, params: Record<string, string | string[]>) => Promise<ApiReply>;
}

const BEARER = /^Bearer\s+(\S+)$/i;

function tokenFrom(request: Request): string {
  const header = request.headers.get("authorization");
  if (!header) throw new DomainError("unauthorized", "Send your API key as `Authorization: Bearer <key>`");
  const m = BEARER.exec(header.trim());
  if (!m) throw new DomainError("unauthorized", "The Authorization header must be `Bearer <key>`");
  return m[1];
}

/** Reads the body as UTF-8 text, refusing it past MAX_BODY_BYTES without reading the rest. */
async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new DomainError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError("invalid_json", "The body is not valid UTF-8");
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) throw new DomainError("invalid_json", "The request body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError("invalid_json", `The body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Object keys a schema accepts at its top level, if it is (or wraps) an object. */
function knownKeys(schema: z.ZodType): Set<string> | null {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    const def = (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === "object") return new Set(Object.keys(def.shape as object));
    if (def.type === "pipe") s = def.in as z.ZodType;
    else if (def.type === "intersection") {
      const l = knownKeys(def.left as z.ZodType);
      const r = knownKeys(def.right as z.ZodType);
      return l && r ? new Set([...l, ...r]) : null;
    } else if (def.innerType) s = def.innerType as z.ZodType;
    else return null;
  }
  return null;
}

/** Top-level keys of `input` that `keys` (from knownKeys) does not list. */
function unknownKeys(keys: Set<string> | null, input: object): string[] {
  return keys ? Object.keys(input).filter((k) => !keys.has(k)) : [];
}

/** Validates a JSON body with `schema`, refusing fields outside `keys`. */
function parseBody<S extends z.ZodType>(schema: S, keys: Set<string> | null, input: unknown): z.output<S> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw validationFailed({ _: ["The body must be a JSON object"] });
  }
  const unknown = unknownKeys(keys, input);
  if (unknown.length) {
    throw validationFailed(Object.fromEntries(unknown.map((k) => [k, [`Unknown field \`${k}\``]])));
  }
  const r = schema.safeParse(input);
  if (!r.success) throw validationFailed(detailsFromIssues(r.error.issues));
  return r.data;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function isResult(v: unknown): v is OperationResult {
  return !!v && typeof v === "object" && "body" in v && Object.keys(v).every((k) => ["status", "body", "headers"].includes(k));
}

/**
 * One REST operation: its OpenAPI description and its route handler. The
 * handler authenticates the key in the database, applies the key's rate
 * limit and scope, validates params, query and body, and runs `handle` in
 * one transaction under RLS as the key's member; any refusal becomes the
 * one JSON error shape.
 */
export function defineOperation<
  P extends z.ZodType = z.ZodObject<{}>,
  Q extends z.ZodType = z.ZodObject<{}>,
  B extends z.ZodType = z.ZodUndefined,
>(spec: OperationSpec<P, Q, B>): Operation {
  // The schemas' accepted keys, read once rather than on every request.
  const bodyKeys = spec.body ? knownKeys(spec.body) : null;
  const queryKeys = spec.query ? knownKeys(spec.query) : null;
  const reply = async (request: Request, rawParams: Record<string, string | string[]>): Promise<ApiReply> => {
    const requestId = requestIdFrom(request.headers);
    const started = performance.now();
    let status = 500;
    let keyPrefix: string | undefined;
    try {
      const token = tokenFrom(request);
      // A malformed id names no record: 404, like an unknown one.
      const params = spec.params
        ? (() => {
            const r = spec.params.safeParse(rawParams);
            if (!r.success) throw recordNotFound();
            return r.data;
          })()
        : rawParams;
      const url = new URL(request.url);
      const query = spec.query ? parseQuery(spec.query, queryKeys, queryObject(url)) : {};
      let bodyText = "";
      let body: unknown;
      if (spec.body) {
        const type = request.headers.get("content-type") ?? "";
        if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
          throw new DomainError("unsupported_media_type", "Send the body as `Content-Type: application/json`");
        }
        bodyText = await readBody(request);
        body = parseBody(spec.body, bodyKeys, parseJson(bodyText));
      }
      const idemKey = spec.idempotent ? request.headers.get("idempotency-key") : null;
      const result = await database().asApiKey(token, async (tx, claims, wait) => {
        keyPrefix = claims.key_prefix;
        if (wait > 0) {
          throw new DomainError("rate_limited", `Too many requests for this key; retry in ${wait} s`, { headers: {
            "Retry-After": String(wait),
          } });
        }
        if (spec.scope && !claims.scopes.includes(spec.scope)) {
          throw new DomainError("forbidden", `This key lacks the \`${spec.scope}\` scope`);
        }
        const ctx = {
          tx,
          claims,
          actor: { userId: claims.sub, orgId: claims.org_id, role: claims.member_role },
          params,
          query,
          body,
          request,
          requestId,
        } as OperationContext<z.output<P>, z.output<Q>, z.output<B>>;
        const run = async (): Promise<OperationResult> => {
          const out = await spec.handle(ctx);
          return isResult(out) ? { status: spec.status, ...out } : { status: spec.status, body: out };
        };
        if (!idemKey) return { ...(await run()), replayed: false };
        return withIdempotency(tx, claims, { key: idemKey, method: request.method, path: url.pathname, body: bodyText }, run);
      });
      status = result.status ?? spec.status ?? 200;
      const headers: Record<string, string> = { ...result.headers, [REQUEST_ID_HEADER]: requestId };
      if (result.replayed) headers["Idempotent-Replayed"] = "true";
      return { status, headers, body: status === 204 ? undefined : result.body };
    } catch (e) {
      const reply = apiErrorReply(e, requestId, (err) => requestLog(requestId).error({ err, operation: spec.id }, "api operation failed"));
      status = reply.status;
      return reply;
    } finally {
      requestLog(requestId).info(
        { operation: spec.id, status, key: keyPrefix, ms: Math.round(performance.now() - started) },
        "api request",
      );
    }
  };
  return { ...(spec as unknown as OperationSpec<z.ZodType, z.ZodType, z.ZodType>), reply };
}

function parseQuery<Q extends z.ZodType>(schema: Q, keys: Set<string> | null, raw: Record<string, string | string[]>): z.output<Q> {
  const unknown = unknownKeys(keys, raw);
  if (unknown.length) {
    throw new DomainError("invalid_query", `Unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, { details: Object.fromEntries(unknown.map((k) => [k, ["Unknown query parameter"]])) });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new DomainError("invalid_query", "Some query parameters are not valid", { details: detailsFromIssues(r.error.issues) });
  return r.data;
}
