import { beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/http/security-headers";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { serveFormPage } from "./endpoint";

// The hosted page's Content-Security-Policy as a production deployment with
// Turnstile serves it: Cloudflare's own script (env's default), real keys.
const t = useTestDatabase();
const CLOUDFLARE = "https://challenges.cloudflare.com";
let owner: TestUser;

beforeAll(async () => {
  // Read by env() on its first call, which comes after this.
  delete process.env.TURNSTILE_SCRIPT_URL;
  process.env.TURNSTILE_SITE_KEY = "0x4AAAAAAAproductionSiteKey";
  process.env.TURNSTILE_SECRET_KEY = "0x4AAAAAAAproductionSecretKey";
  owner = await createUser(t, { orgName: "Policy Org" });
});

const APP_POLICY = securityHeaders({ nonce: "abc123", dev: false, https: true, connectSrc: ["https://project.supabase.co"] })[
  "Content-Security-Policy"
];

/** GET /f/{key} as proxy.ts hands it on: with the nonce and the app's policy as request headers. */
async function policyOf(turnstile: boolean): Promise<string> {
  const fields = [{ name: "email", label: "Email", type: "email", required: true, maps_to: "email" }];
  const [f] = await t.admin`
    insert into web_forms (org_id, name, fields, turnstile_enabled)
    values (${owner.orgId}, 'Policy', ${t.admin.json(fields)}, ${turnstile}) returning key`;
  const headers = { "x-nonce": "abc123", "content-security-policy": APP_POLICY };
  const res = await serveFormPage(new Request(`https://crm.example.com/f/${f.key}`, { headers }), f.key);
  expect(res.status).toBe(200);
  return res.headers.get("content-security-policy") ?? "";
}

const directive = (policy: string, name: string) =>
  policy.split("; ").find((d) => d.startsWith(`${name} `))?.split(" ").slice(1);

describe("the hosted form page's Content-Security-Policy", () => {
  it("lets Cloudflare's Turnstile script and challenge frame in, and nothing broader", async () => {
    const policy = await policyOf(true);
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'", CLOUDFLARE]);
    expect(directive(policy, "frame-src")).toEqual(["'self'", CLOUDFLARE]);
    expect(directive(policy, "default-src")).toEqual(["'self'"]);
    expect(directive(policy, "connect-src")).toEqual(["'self'", "https://project.supabase.co"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
  });

  it("leaves a form without Turnstile under the app's strict policy", async () => {
    const policy = await policyOf(false);
    expect(policy).toBe(APP_POLICY);
    expect(policy).not.toContain(CLOUDFLARE);
    expect(directive(policy, "frame-src")).toBeUndefined();
  });
});
