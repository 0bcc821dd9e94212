// HTTP-level guarantees: request ids, security headers, health, CSRF.
import { describe, expect, it } from "vitest";
import { appUrl } from "../support/browser";

const get = (path: string, init?: RequestInit) => fetch(appUrl(path), { redirect: "manual", ...init });

describe("security headers and HTTP behaviour", () => {
  it.each(["/sign-in", "/sign-up", "/", "/settings/members", "/invite/not-a-real-token-000000", "/no-such-page", "/api/health"])(
    "%s carries a request id, a CSP forbidding framing and a referrer policy",
    async (path) => {
      const res = await get(path);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("referrer-policy")).toBeTruthy();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    },
  );

  it("gives every request its own id, and keeps a well-formed one it is given", async () => {
    const [a, b] = await Promise.all([get("/sign-in"), get("/sign-in")]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
    const given = "e2e-request-0123456789";
    const c = await get("/api/health", { headers: { "x-request-id": given } });
    expect(c.headers.get("x-request-id")).toBe(given);
  });

  it("/api/health answers 200 with status ok", async () => {
    const res = await get("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("refuses a cross-origin POST to an API route", async () => {
    const res = await get("/api/health", {
      method: "POST",
      headers: { Origin: "http://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({ error: { code: "forbidden", message: "Cross-site request refused." } });
  });

  it("refuses a cross-origin POST that names the attacker's host in X-Forwarded-Host", async () => {
    const res = await get("/api/health", {
      method: "POST",
      headers: { Origin: "http://evil.example", "X-Forwarded-Host": "evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden", message: "Cross-site request refused." } });
  });

  it("refuses a cross-site POST without an Origin header", async () => {
    const res = await get("/api/health", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
  });
});
