import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/[[...path]]/route";
import { replyJson } from "@/lib/api/errors";
import { operations } from "@/modules/api/operations";
import { routeApiRequest } from "@/modules/api/router";
import { createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let token: string;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Router Org" });
  ({ token } = await createTestKey(t, owner, ["people:read", "people:write"]));
  await t.db.asUser(owner.claims, (tx) =>
    tx.insertInto("people").values([
      { org_id: owner.orgId, first_name: "Ada", last_name: "Lovelace", email: "ada@example.test" },
      { org_id: owner.orgId, first_name: "Alan", last_name: "Turing" },
    ]).execute(),
  );
});

const ZERO_ID = "00000000-0000-4000-8000-000000000000";

type Method = keyof typeof route;

function request(method: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const headers = new Headers();
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  return new Request(`http://localhost/api/v1${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

/** Through the catch-all route handler, the path hosts that run Next alone (Vercel) take. */
async function send(method: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const res = await route[method as Method](request(method, path, init));
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

describe("the API router", () => {
  it("reaches every operation at its method and path", async () => {
    for (const op of operations) {
      const path = op.path.replace(/\{\w+\}/g, ZERO_ID);
      const res = await send(op.method.toUpperCase(), path);
      // Every operation but the OpenAPI document wants a key: a 401 from the
      // operation's own wrapper proves the route reached it (not a 404/405).
      expect([op.id, res.status, res.body?.error?.code]).toEqual([op.id, 401, "unauthorized"]);
    }
  });

  it("answers a list through the route handler exactly as the Covey server's router does", async () => {
    const routed = await send("GET", "/people?limit=1&sort=first_name", { token });
    const served = await routeApiRequest(request("GET", "/people?limit=1&sort=first_name", { token }));
    expect(routed.status).toBe(200);
    expect(routed.body.data.map((p: { first_name: string }) => p.first_name)).toEqual(["Ada"]);
    expect(served.status).toBe(200);
    expect(routed.text).toBe(replyJson(served));
    expect(routed.headers.get("x-request-id")).toBeTruthy();
  });

  it("forbids caching of data and errors, not of the OpenAPI document", async () => {
    const list = await send("GET", "/people?limit=1", { token });
    const refused = await send("GET", "/people?limit=1");
    const missing = await send("GET", "/nothing-here", { token });
    expect([list.status, refused.status, missing.status]).toEqual([200, 401, 404]);
    for (const res of [list, refused, missing]) expect(res.headers.get("cache-control")).toBe("no-store");
    const served = await routeApiRequest(request("GET", `/people/${ZERO_ID}`, { token }));
    expect([served.status, served.headers["Cache-Control"]]).toEqual([404, "no-store"]);
    const doc = await send("GET", "/openapi.json");
    expect(doc.headers.get("cache-control")).toBeNull();
  });

  it("passes path params, decoded, to the operation", async () => {
    const { body } = await send("GET", "/people?sort=first_name", { token });
    const alan = body.data.find((p: { first_name: string }) => p.first_name === "Alan");
    const one = await send("GET", `/people/${alan.id}`, { token });
    expect([one.status, one.body.last_name]).toEqual([200, "Turing"]);
    const malformed = await send("GET", "/people/not%20an%20id", { token });
    expect([malformed.status, malformed.body.error.code]).toEqual([404, "not_found"]);
  });

  it("runs writes with their body", async () => {
    const created = await send("POST", "/people", { token, body: { first_name: "Grace", last_name: "Hopper" } });
    expect([created.status, created.body.full_name]).toEqual([201, "Grace Hopper"]);
    const invalid = await send("POST", "/people", { token, body: { first_name: "Grace", nickname: "Amazing" } });
    expect([invalid.status, invalid.body.error.code]).toEqual([422, "validation_failed"]);
  });

  it("leaves no transaction behind after a refused key", async () => {
    // More refusals than the pool has connections, then normal requests on
    // the same connections: each must start clean.
    const unknown = `covey_zzzzzzzz_${"x".repeat(32)}`;
    for (let i = 0; i < 12; i++) {
      const res = await send("GET", "/people?limit=1", { token: unknown });
      expect([res.status, res.body.error.code]).toEqual([401, "unauthorized"]);
    }
    for (let i = 0; i < 12; i++) {
      const res = await send("GET", "/people?limit=1&sort=first_name", { token });
      expect([res.status, res.body.data[0]?.first_name]).toEqual([200, "Ada"]);
    }
  });

  it("answers unknown paths with the API's 404 shape", async () => {
    const res = await send("GET", "/nothing-here", { token });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found", message: "No such path: /api/v1/nothing-here" });
    expect(res.body.error.request_id).toBeTruthy();
  });

  it("refuses a method the path does not take with 405 and Allow", async () => {
    const res = await send("PUT", "/people", { token });
    expect([res.status, res.body.error.code]).toEqual([405, "method_not_allowed"]);
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    const options = await send("OPTIONS", `/people/${ZERO_ID}`);
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await send("HEAD", "/people?limit=1", { token });
    expect([res.status, res.text]).toEqual([200, ""]);
  });

  it("serves the OpenAPI document without a key", async () => {
    const res = await send("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1/);
    expect(Object.keys(res.body.paths)).toContain("/people/{id}");
  });
});
