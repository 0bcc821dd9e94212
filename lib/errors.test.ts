import { describe, expect, it } from "vitest";
import { failureOf, invalid as invalidAction } from "@/lib/action-result";
import { apiErrorReply, replyJson } from "@/lib/api/errors";
import {
  conflict,
  DomainError,
  ERROR_MESSAGES,
  ERROR_STATUS,
  errorResponse,
  fieldError,
  invalidFields,
  invalidInput,
  isDomainError,
  notFound,
} from "@/lib/errors";

// One refusal, seen through each of its three mappings.
const duplicate = conflict("Email is already used by Grace Hopper", {
  details: { email: ["Email is already used by Grace Hopper"] },
  data: { existing: { id: "p1", name: "Grace Hopper" } },
});

describe("DomainError", () => {
  it("takes its status from its code and a default message when none is given", () => {
    expect(new DomainError("forbidden")).toMatchObject({ status: 403, message: ERROR_MESSAGES.forbidden });
    expect(notFound("That deal no longer exists.")).toMatchObject({ status: 404, code: "not_found" });
    expect(Object.entries(ERROR_STATUS).every(([, s]) => s >= 400 && s < 600)).toBe(true);
    expect(isDomainError(duplicate)).toBe(true);
    expect(isDomainError(new Error("x"))).toBe(false);
  });

  it("keeps every message per field, the whole input under _", () => {
    const e = invalidInput([
      { path: ["email"], message: "Enter a valid email" },
      { path: ["email"], message: "Too long" },
      { path: ["custom", "budget"], message: "Budget must be a number" },
      { path: [], message: "Enter a name or an email address" },
    ]);
    expect(e.details).toEqual({
      email: ["Enter a valid email", "Too long"],
      "custom.budget": ["Budget must be a number"],
      _: ["Enter a name or an email address"],
    });
    expect(invalidFields({}).details).toBeUndefined();
    expect(fieldError("title", "Enter a title")).toMatchObject({ code: "validation_failed", message: "Enter a title", details: { title: ["Enter a title"] } });
  });
});

describe("as a server action's result (failureOf)", () => {
  it("shows the first message per field, the whole input on the form, and the error's data", () => {
    expect(failureOf(duplicate)).toEqual({
      ok: false,
      error: "Email is already used by Grace Hopper",
      fieldErrors: { email: "Email is already used by Grace Hopper" },
      existing: { id: "p1", name: "Grace Hopper" },
    });
    expect(invalidAction([{ path: [], message: "Nothing to save" }, { path: ["name"], message: "Enter a name" }, { path: ["name"], message: "x" }])).toEqual({
      ok: false,
      error: ERROR_MESSAGES.validation_failed,
      fieldErrors: { form: "Nothing to save", name: "Enter a name" },
    });
    expect(failureOf(new DomainError("forbidden"))).toEqual({ ok: false, error: ERROR_MESSAGES.forbidden });
  });
});

describe("as an app JSON route's answer (errorResponse)", () => {
  it("answers a domain error with its status and the one body, never cached", async () => {
    const res = errorResponse(duplicate);
    expect(res.status).toBe(409);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      error: { code: "conflict", message: "Email is already used by Grace Hopper", details: { email: ["Email is already used by Grace Hopper"] }, existing: { id: "p1", name: "Grace Hopper" } },
    });
  });

  it("answers anything else with a 500 that says nothing of it, and logs it", async () => {
    const logged: unknown[] = [];
    const bug = new TypeError("cannot read properties of undefined (reading 'id')");
    const res = errorResponse(bug, (e) => logged.push(e));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "internal_error", message: ERROR_MESSAGES.internal_error } });
    expect(logged).toEqual([bug]);
    expect(errorResponse(duplicate, (e) => logged.push(e)).status).toBe(409);
    expect(logged).toHaveLength(1);
  });
});

describe("as a REST API reply (apiErrorReply)", () => {
  const log = (into: unknown[]) => (e: unknown) => into.push(e);

  it("answers a domain error with its status, headers, body and request id", () => {
    const logged: unknown[] = [];
    const reply = apiErrorReply(new DomainError("rate_limited", "Too many requests", { headers: { "Retry-After": "7" } }), "req-1", log(logged));
    expect(reply.status).toBe(429);
    expect(reply.headers).toMatchObject({ "Retry-After": "7", "x-request-id": "req-1" });
    expect(JSON.parse(replyJson(reply)!)).toEqual({ error: { code: "rate_limited", message: "Too many requests", request_id: "req-1" } });
    expect(JSON.parse(replyJson(apiErrorReply(duplicate, "req-2", log(logged)))!).error).toEqual({
      code: "conflict",
      message: "Email is already used by Grace Hopper",
      details: { email: ["Email is already used by Grace Hopper"] },
      existing: { id: "p1", name: "Grace Hopper" },
      request_id: "req-2",
    });
    expect(logged).toEqual([]);
  });

  it("answers a database refusal the caller caused as the caller's error", () => {
    const fk = Object.assign(new Error("insert or update violates foreign key constraint"), { code: "23503", constraint_name: "deals_org_id_owner_id_fkey" });
    const reply = apiErrorReply(fk, "req-3", () => {});
    expect(reply.status).toBe(422);
    expect((reply.body as { error: { details: unknown } }).error.details).toEqual({ owner_id: ["No such record in this organization"] });
  });

  it("answers anything else with a 500 without details, and logs it", () => {
    const logged: unknown[] = [];
    const bug = new Error("connection reset");
    const reply = apiErrorReply(bug, "req-4", log(logged));
    expect(reply.status).toBe(500);
    expect((reply.body as { error: { code: string; details?: unknown } }).error).toMatchObject({ code: "internal_error", request_id: "req-4" });
    expect((reply.body as { error: { details?: unknown } }).error.details).toBeUndefined();
    expect(logged).toEqual([bug]);
  });
});
