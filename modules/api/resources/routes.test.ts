import path from "node:path";
import { describe, expect, it } from "vitest";
import { dealOperations } from "./deals";
import { noteOperations } from "./notes";
import { pipelineOperations } from "./pipelines";
import { taskOperations } from "./tasks";

// The OpenAPI document is built from the operations; the routes are files.
// Each documented path and method must be served by that operation's handler.
describe("route files of deals, pipelines, stages, tasks and notes", () => {
  const operations = [...dealOperations, ...pipelineOperations, ...taskOperations, ...noteOperations];

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))("%s", async (_, op) => {
    const file = op.path.replace(/\{(\w+)\}/g, "[$1]");
    const route = await import(/* @vite-ignore */ path.resolve(import.meta.dirname, "../../../app/api/v1", `.${file}`, "route.ts"));
    expect(route[op.method.toUpperCase()]).toBe(op.handler);
  });

  it("has unique operation ids and paths", () => {
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
    expect(new Set(operations.map((o) => `${o.method} ${o.path}`)).size).toBe(operations.length);
  });
});
