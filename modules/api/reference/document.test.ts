import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument } from "@/modules/api/core/openapi";
import { defineOperation } from "@/modules/api/core/operation";
import { curlExample, errorStatuses, fieldRows, groupOperations, type OpenApiDocument, typeLabel } from "./document";

const widget = z.object({
  object: z.literal("widget"),
  id: z.uuid(),
  name: z.string().describe("What people call it"),
  size: z.number().int().min(1).max(10).nullable(),
  tags: z.array(z.string()),
  owner: z.object({ id: z.uuid(), email: z.email() }).nullable(),
  parts: z.array(z.object({ sku: z.string().max(20) })),
});

const handle = async () => ({});
const operations = [
  defineOperation({ id: "listWidgets", method: "get", path: "/widgets", tag: "Widgets", summary: "List widgets", scope: "people:read",
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size") }), response: z.object({ data: z.array(widget), next_cursor: z.string().nullable() }), handle }),
  defineOperation({ id: "createWidget", method: "post", path: "/widgets", tag: "Widgets", summary: "Create a widget", scope: "people:write",
    status: 201, idempotent: true, body: z.object({ name: z.string().min(1), note: z.string().optional() }), response: widget, handle }),
  defineOperation({ id: "deleteWidget", method: "delete", path: "/widgets/{id}", tag: "Widgets", summary: "Delete a widget", scope: "people:write",
    status: 204, params: z.object({ id: z.uuid() }), handle }),
  defineOperation({ id: "getMe", method: "get", path: "/me", tag: "Keys", summary: "The calling key", handle }),
];
const doc = buildOpenApiDocument(operations, { serverUrl: "https://crm.example.com/api/v1", version: "1.0.0" }) as unknown as OpenApiDocument;

describe("the reference's reading of the OpenAPI document", () => {
  it("groups operations by tag in the document's order, with scopes and responses", () => {
    const groups = groupOperations(doc);
    expect(groups.map((g) => [g.tag, g.slug])).toEqual([
      ["Widgets", "widgets"],
      ["Keys", "keys"],
    ]);
    const [list, create, remove] = groups[0].operations;
    expect([list.method, list.path, list.scope, list.anchor]).toEqual(["get", "/widgets", "people:read", "op-listwidgets"]);
    expect(Object.keys(create.body?.properties ?? {})).toEqual(["name", "note"]);
    expect(create.responses.map((r) => r.status)).toContain("201");
    expect(create.responses.map((r) => r.status)).toContain("422");
    expect(remove.responses.find((r) => r.status === "204")?.returns).toBeUndefined();
    expect(groups[1].operations[0].scope).toBeUndefined();
  });

  it("describes each returned object once and links the responses to it", () => {
    const groups = groupOperations(doc);
    expect(groups[0].objects.map((o) => [o.name, o.anchor])).toEqual([["widget", "object-widget"]]);
    expect(groups[1].objects).toEqual([]);
    const [list, create] = groups[0].operations;
    expect(list.responses.find((r) => r.status === "200")?.returns).toEqual({ kind: "list", object: "widget", anchor: "object-widget", group: "widgets" });
    expect(create.responses.find((r) => r.status === "201")?.returns).toEqual({ kind: "object", object: "widget", anchor: "object-widget", group: "widgets" });
    expect(errorStatuses(doc).map((e) => e.status)).toEqual(["400", "401", "403", "404", "409", "413", "415", "422", "429"]);
  });

  it("flattens response fields with readable types, nesting objects and arrays of objects", () => {
    const rows = fieldRows(groupOperations(doc)[0].objects[0].schema);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by.object.type).toBe('"widget"');
    expect(by.id.type).toBe("string (uuid)");
    expect(by.name).toMatchObject({ type: "string", required: true, description: "What people call it" });
    expect(by.size).toMatchObject({ type: "integer | null", constraints: ["1–10"] });
    expect(by.tags.type).toBe("array of string");
    expect(by["owner.email"]).toMatchObject({ type: "string (email)", depth: 1 });
    expect(by["parts[].sku"]).toMatchObject({ type: "string", constraints: ["at most 20 characters"] });
    expect(typeLabel({ anyOf: [{ type: "string", format: "uuid" }, { type: "string", const: "" }, { type: "null" }] })).toBe(
      "string (uuid) | null",
    );
    expect(typeLabel({})).toBe("any");
  });

  it("builds curl examples that a shell runs as they read", () => {
    const [list, create, remove] = groupOperations(doc)[0].operations;
    expect(list.curl).toBe(`curl "https://crm.example.com/api/v1/widgets" \\\n  -H "Authorization: Bearer $COVEY_API_KEY"`);
    expect(remove.curl).toMatch(/^curl -X DELETE "https:\/\/crm\.example\.com\/api\/v1\/widgets\/[0-9a-f-]{36}"/);
    expect(create.curl).toContain(`-H "Idempotency-Key: $(uuidgen)"`);
    expect(create.curl).toContain(`-H "Content-Type: application/json"`);

    // The body survives shell quoting, apostrophes included: run the words through sh and read them back.
    const quoted = curlExample({
      server: "https://x.test/api/v1",
      method: "post",
      path: "/notes",
      parameters: [],
      body: { type: "object", properties: { text: { type: "string", examples: ["O'Brien's deal"] } }, required: ["text"] },
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), "curl-"));
    const script = path.join(dir, "run.sh");
    writeFileSync(script, `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\nuuidgen() { echo u; }\nCOVEY_API_KEY=k\n${quoted}\n`);
    const args = execFileSync("sh", [script], { encoding: "utf8" }).split("\0").slice(0, -1);
    expect(args).toEqual([
      "-X",
      "POST",
      "https://x.test/api/v1/notes",
      "-H",
      "Authorization: Bearer k",
      "-H",
      "Content-Type: application/json",
      "-d",
      JSON.stringify({ text: "O'Brien's deal" }, null, 2),
    ]);
  });
});
