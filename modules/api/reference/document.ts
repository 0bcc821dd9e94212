// Reads the OpenAPI document into what the reference page shows: operations
// grouped by tag, JSON Schemas flattened into field rows with readable
// types, and a curl example per operation. Pure: the page renders it, tests
// check it.
import { sample } from "openapi-sampler";

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  $ref?: string;
  [key: string]: unknown;
};

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface MediaType {
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  "x-required-scope"?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** Where the reference pages live; a group's page is `${REFERENCE_PATH}/<slug>`. */
export const REFERENCE_PATH = "/settings/api/reference";

export const METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type Method = (typeof METHODS)[number];

/** A record type the API returns (its schema has `object: "<name>"`), documented once. */
export interface ReferenceObject {
  name: string;
  anchor: string;
  schema: JsonSchema;
}

/** What a success response carries: one object, a page of them, or another shape. */
export type Returns =
  | { kind: "object" | "list"; object: string; anchor: string; /** Slug of the group that describes it. */ group: string }
  | { kind: "other"; schema: JsonSchema };

export interface ReferenceOperation {
  id: string;
  /** Anchor on the page. */
  anchor: string;
  method: Method;
  path: string;
  summary: string;
  description?: string;
  scope?: string;
  parameters: OpenApiParameter[];
  body?: JsonSchema;
  responses: { status: string; description: string; returns?: Returns }[];
  curl: string;
}

export interface ReferenceGroup {
  tag: string;
  /** The group's page: /settings/api/reference/<slug>. */
  slug: string;
  /** Objects first returned by this group's operations. */
  objects: ReferenceObject[];
  operations: ReferenceOperation[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const jsonOf = (content: Record<string, MediaType> | undefined) =>
  content?.["application/json"]?.schema ?? Object.values(content ?? {})[0]?.schema;

function objectName(schema: JsonSchema | undefined): string | undefined {
  const c = schema?.properties?.object?.const;
  return typeof c === "string" ? c : undefined;
}

/**
 * Operations by tag, tags in the document's order, operations in path
 * order. A record type returned by several operations is described once,
 * in the group that returns it first; responses link to it.
 */
export function groupOperations(doc: OpenApiDocument): ReferenceGroup[] {
  const server = doc.servers?.[0]?.url ?? "/api/v1";
  const groups = new Map<string, ReferenceOperation[]>((doc.tags ?? []).map((t) => [t.name, []]));
  const objects = new Map<string, ReferenceObject & { tag: string }>();
  const slugOf = new Map<string, string>();
  const groupSlug = (tag: string) => {
    if (!slugOf.has(tag)) {
      const base = slug(tag) || "other";
      const taken = new Set(slugOf.values());
      let s = base;
      for (let i = 2; taken.has(s); i++) s = `${base}-${i}`;
      slugOf.set(tag, s);
    }
    return slugOf.get(tag)!;
  };
  const returnsOf = (schema: JsonSchema | undefined, tag: string): Returns | undefined => {
    if (!schema || Object.keys(schema).length === 0) return undefined;
    const items = schema.properties?.data?.items;
    const list = schema.properties?.data?.type === "array" && "next_cursor" in (schema.properties ?? {});
    const record = list ? items : schema;
    const name = objectName(record);
    if (!name || !record) return { kind: "other", schema };
    if (!objects.has(name)) objects.set(name, { name, anchor: `object-${slug(name)}`, schema: record, tag });
    const owner = objects.get(name)!;
    return { kind: list ? "list" : "object", object: name, anchor: owner.anchor, group: groupSlug(owner.tag) };
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      const parameters = op.parameters ?? [];
      const body = jsonOf(op.requestBody?.content);
      const entry: ReferenceOperation = {
        id: op.operationId,
        anchor: `op-${slug(op.operationId)}`,
        method,
        path,
        summary: op.summary ?? op.operationId,
        description: op.description,
        scope: op["x-required-scope"],
        parameters,
        body,
        responses: Object.entries(op.responses ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, r]) => ({
            status,
            description: r.description ?? "",
            returns: status.startsWith("2") ? returnsOf(jsonOf(r.content), tag) : undefined,
          })),
        curl: curlExample({ server, method, path, parameters, body, idempotent: parameters.some((p) => p.in === "header" && /^idempotency-key$/i.test(p.name)) }),
      };
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push(entry);
    }
  }
  return [...groups]
    .filter(([, ops]) => ops.length > 0)
    .map(([tag, operations]) => ({
      tag,
      slug: groupSlug(tag),
      objects: [...objects.values()].filter((o) => o.tag === tag).map(({ tag: _, ...o }) => o),
      operations,
    }));
}

/** Every error status the operations answer, with the document's first description of it. */
export function errorStatuses(doc: OpenApiDocument): { status: string; description: string }[] {
  const seen = new Map<string, string>();
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      for (const [status, r] of Object.entries(item[method]?.responses ?? {})) {
        if (!status.startsWith("2") && !seen.has(status)) seen.set(status, r.description ?? "");
      }
    }
  }
  return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([status, description]) => ({ status, description }));
}

/** A made-up value that fits `schema`, for examples. */
export function exampleOf(schema: JsonSchema): unknown {
  return sample(schema as never, { quiet: true, skipReadOnly: true, maxSampleDepth: 4 });
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** A copy-paste curl command; the key is read from $COVEY_API_KEY. */
export function curlExample(op: {
  server: string;
  method: Method;
  path: string;
  parameters: OpenApiParameter[];
  body?: JsonSchema;
  idempotent?: boolean;
}): string {
  const path = op.path.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const p = op.parameters.find((x) => x.in === "path" && x.name === name);
    const v = p?.schema ? exampleOf(p.schema) : undefined;
    return typeof v === "string" || typeof v === "number" ? encodeURIComponent(String(v)) : whole;
  });
  const lines = [`curl${op.method === "get" ? "" : ` -X ${op.method.toUpperCase()}`} "${op.server}${path}"`];
  lines.push(`-H "Authorization: Bearer $COVEY_API_KEY"`);
  if (op.idempotent) lines.push(`-H "Idempotency-Key: $(uuidgen)"`);
  if (op.body) {
    lines.push(`-H "Content-Type: application/json"`);
    lines.push(`-d ${shellQuote(JSON.stringify(exampleOf(op.body), null, 2))}`);
  }
  return lines.join(" \\\n  ");
}

const NAMED_FORMATS: Record<string, string> = { uuid: "uuid", "date-time": "date-time", date: "date", email: "email", uri: "URL" };

/** A short human type, e.g. `string (uuid) | null`, `array of string`, `"person"`. */
export function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return "any";
  if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const labels = alternatives.map(typeLabel);
    // "" stands in for "no value" alongside null in the app's forms; it is noise here.
    const shown = labels.filter((l, i) => labels.indexOf(l) === i && !(l === '""' && labels.includes("null")));
    return shown.includes("any") ? "any" : shown.join(" | ");
  }
  if (schema.allOf) return schema.allOf.map(typeLabel).join(" & ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? "object" : "any";
  return types
    .map((t) => {
      if (t === "array") return `array of ${typeLabel(schema.items)}`;
      if (t === "string" && schema.format) return `string (${NAMED_FORMATS[schema.format] ?? schema.format})`;
      if (t === "object" && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `map of ${typeLabel(schema.additionalProperties)}`;
      }
      return t;
    })
    .join(" | ");
}

/** Limits worth telling a caller: lengths, ranges, default. Formats' own patterns are left out. */
export function constraintsOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined && lo > 0) out.push(`at least ${lo}${unit}`);
    else if (hi !== undefined) out.push(`at most ${hi}${unit}`);
  };
  const inner = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  for (const s of inner) {
    range(s.minLength, s.maxLength, " characters");
    range(s.minimum, s.maximum, "");
    range(s.minItems, s.maxItems, " items");
    if (s.pattern && !s.format && s.pattern.length <= 60) out.push(`matches ${s.pattern}`);
  }
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return [...new Set(out)];
}

export interface FieldRow {
  /** Dotted path; `[]` marks array items. */
  name: string;
  depth: number;
  type: string;
  required: boolean;
  description?: string;
  constraints: string[];
}

/** The object's first object-shaped alternative, for nested fields. */
function objectShape(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.properties) return schema;
  if (schema.items && (schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array")))) return undefined;
  for (const alt of schema.anyOf ?? schema.oneOf ?? []) {
    const found = objectShape(alt);
    if (found) return found;
  }
  return undefined;
}

function itemsShape(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.items) return objectShape(schema.items);
  for (const alt of schema.anyOf ?? schema.oneOf ?? []) {
    const found = itemsShape(alt);
    if (found) return found;
  }
  return undefined;
}

/** An object schema's fields as rows, nested objects and arrays of objects expanded (to `maxDepth`). */
export function fieldRows(schema: JsonSchema | undefined, maxDepth = 3, prefix = "", depth = 0): FieldRow[] {
  const shape = objectShape(schema);
  if (!shape?.properties) return [];
  const required = new Set(shape.required ?? []);
  const rows: FieldRow[] = [];
  for (const [key, prop] of Object.entries(shape.properties)) {
    const name = `${prefix}${key}`;
    rows.push({
      name,
      depth,
      type: typeLabel(prop),
      required: required.has(key),
      description: prop.description,
      constraints: constraintsOf(prop),
    });
    if (depth + 1 >= maxDepth) continue;
    const nested = objectShape(prop);
    if (nested) rows.push(...fieldRows(nested, maxDepth, `${name}.`, depth + 1));
    const items = itemsShape(prop);
    if (items) rows.push(...fieldRows(items, maxDepth, `${name}[].`, depth + 1));
  }
  return rows;
}
