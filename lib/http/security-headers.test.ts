import { describe, expect, it } from "vitest";
import { isCrossSiteMutation, securityHeaders, withSources } from "./security-headers";

const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });
const direct = { trustForwardedHost: false };
const behindProxy = { trustForwardedHost: true };

describe("security headers", () => {
  it("forbid framing and allow scripts only by nonce", () => {
    const h = securityHeaders({ nonce: "abc", dev: false, https: true, connectSrc: ["https://p.supabase.co"] });
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(h["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(h["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
  });

  it("send HSTS only over HTTPS, and allow eval only in development", () => {
    const local = securityHeaders({ nonce: "n", dev: false, https: false, connectSrc: [] });
    expect(local["Strict-Transport-Security"]).toBeUndefined();
    expect(local["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(securityHeaders({ nonce: "n", dev: true, https: false, connectSrc: [] })["Content-Security-Policy"]).toContain("unsafe-eval");
  });
});

describe("withSources", () => {
  it("adds sources to the named directives, a missing one starting from default-src", () => {
    const policy = "default-src 'self'; script-src 'self' 'nonce-n'; frame-ancestors 'none'";
    expect(withSources(policy, { "script-src": ["https://a.test"], "frame-src": ["https://a.test"] })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-n' https://a.test; frame-ancestors 'none'; frame-src 'self' https://a.test",
    );
    expect(withSources(policy, { "script-src": ["'self'"] })).toBe(policy);
  });
});

describe("CSRF guard", () => {
  it("refuses state changes from another origin", () => {
    expect(isCrossSiteMutation(req("POST", { origin: "https://evil.test", host: "app.test" }), direct)).toBe(true);
    expect(isCrossSiteMutation(req("POST", { "sec-fetch-site": "cross-site", host: "app.test" }), direct)).toBe(true);
  });

  it("ignores X-Forwarded-Host unless a trusted proxy is configured", () => {
    const forged = req("POST", { origin: "https://evil.test", host: "app.test", "x-forwarded-host": "evil.test" });
    expect(isCrossSiteMutation(forged, direct)).toBe(true);
    const proxied = req("POST", { origin: "https://crm.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "crm.example.com" });
    expect(isCrossSiteMutation(proxied, behindProxy)).toBe(false);
    expect(isCrossSiteMutation(proxied, direct)).toBe(true);
  });

  it("allows same-origin mutations and any read", () => {
    expect(isCrossSiteMutation(req("POST", { origin: "http://app.test", host: "app.test" }), direct)).toBe(false);
    expect(isCrossSiteMutation(req("GET", { origin: "https://evil.test", host: "app.test" }), direct)).toBe(false);
  });
});
