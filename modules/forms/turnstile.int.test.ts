import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUMMY_TOKEN, TURNSTILE_TEST_KEYS, turnstileStandIn } from "@/supabase/local/turnstile";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { receiveSubmission, serveFormPage } from "./endpoint";
import { issueFillToken } from "./token";

// The endpoint against the Turnstile stand-in, which answers siteverify as
// Cloudflare does for its testing keys.
const t = useTestDatabase();
let owner: TestUser;
let server: Server;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = await turnstileStandIn(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/turnstile/v0`;
  // Read by env() on its first call, which comes after this.
  process.env.TURNSTILE_VERIFY_URL = `${base}/siteverify`;
  process.env.TURNSTILE_SCRIPT_URL = `${base}/api.js`;
  process.env.TURNSTILE_SITE_KEY = TURNSTILE_TEST_KEYS.siteKey;
  process.env.TURNSTILE_SECRET_KEY = TURNSTILE_TEST_KEYS.passSecret;
  owner = await createUser(t, { orgName: "Turnstile Org" });
});

afterAll(() => new Promise((resolve) => server?.close(resolve)));

describe("web forms with Turnstile", () => {
  it("show the widget on the hosted page, accept a vouched answer and count a missing or refused one as spam", async () => {
    const fields = [{ name: "email", label: "Email", type: "email", required: true, maps_to: "email" }];
    const [f] = await t.admin`
      insert into web_forms (org_id, name, fields, min_fill_seconds, turnstile_enabled)
      values (${owner.orgId}, 'Guarded', ${t.admin.json(fields)}, 0, true) returning id, key, secret`;
    const page = await (await serveFormPage(new Request(`http://localhost:3000/f/${f.key}`, { headers: { "x-nonce": "abc123" } }), f.key)).text();
    expect(page).toContain(`class="field cf-turnstile" data-sitekey="${TURNSTILE_TEST_KEYS.siteKey}"`);
    expect(page).toContain(`/turnstile/v0/api.js" async defer nonce="abc123"></script>`);

    const token = await issueFillToken(f.secret, f.key, Date.now() - 10_000);
    const send = (body: Record<string, string>) =>
      receiveSubmission(
        new Request(`http://localhost:3000/f/${f.key}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.10" },
          body: JSON.stringify({ _covey_t: token, ...body }),
        }),
        f.key,
      );
    const missing = await send({ email: "none@example.test" });
    expect(missing.status).toBe(422);
    expect((await missing.json()).error.details._).toEqual(["The human check failed. Try it again."]);
    expect((await send({ email: "forged@example.test", "cf-turnstile-response": "made-up" })).status).toBe(422);
    expect((await send({ email: "human@example.test", "cf-turnstile-response": DUMMY_TOKEN })).status).toBe(200);

    const rows = await t.admin`select outcome, spam_reason from web_form_submissions where form_id = ${f.id} order by id`;
    expect(rows.map((r) => [r.outcome, r.spam_reason])).toEqual([
      ["spam", "turnstile"],
      ["spam", "turnstile"],
      ["accepted", null],
    ]);
    expect(await t.admin`select 1 from leads where org_id = ${owner.orgId} and email in ('none@example.test', 'forged@example.test')`).toHaveLength(0);
  });
});
