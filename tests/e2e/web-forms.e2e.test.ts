// Web forms: an owner creates a form in Settings → Web forms, copies its
// snippet, and a visitor fills it in on a plain HTML page this test serves
// from another origin (the snippet's script fetches the fill-time token,
// keeps the page's UTM parameters and posts JSON across origins); the lead
// arrives in Leads with the source Web form and the form's log shows the
// accepted submission. The hosted page works as a plain HTML form too.
import { createServer, type Server } from "node:http";
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../supabase/local/postgres.ts";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

/** A directive's sources in a Content-Security-Policy header; undefined when the policy lacks it. */
const directive = (policy: string, name: string) =>
  policy.split(/;\s*/).find((d) => d.startsWith(`${name} `))?.split(" ").slice(1);

describe("web forms", () => {
  const id = uniqueSuffix();
  const owner = { name: "Fern Forms", email: `fern.${id}@example.com`, password: `forms-pass-${id}` };
  const visitorEmail = `vera.${id}@example.net`;

  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;
  let site: Server;
  let siteOrigin: string;
  let snippet = "";
  let formPath: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: appUrl() });
    page = await context.newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const port = await freePort();
    siteOrigin = `http://127.0.0.1:${port}`;
    // Another origin: a customer's website holding the pasted snippet.
    site = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><title>Acme Shop</title></head><body><h1>Talk to Acme</h1>${snippet}</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await new Promise((resolve) => site?.close(resolve));
  });

  it("signs up", async () => {
    await signUpOwner(page, owner, `Forms Co ${id}`);
    await expectDashboardOf(page, `Forms Co ${id}`);
  });

  it("creates a form, with the field at fault named", async () => {
    await page.getByRole("link", { name: "Web forms", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Web forms" }).waitFor();
    await shown(page).getByText("No forms yet.").waitFor();
    await expectAccessible(page);
    await page.getByRole("link", { name: "New form" }).click();
    await page.getByRole("heading", { level: 1, name: "New web form" }).waitFor();

    await shown(page).getByLabel("Form name").fill("");
    await shown(page).getByLabel("Allowed origins").fill("not a site");
    await page.getByRole("button", { name: "Create form" }).click();
    await shown(page).getByText("Give the form a name").waitFor();
    await shown(page).getByText("An origin is a scheme and host, like https://www.example.com").waitFor();
    await expectAccessible(page);

    await shown(page).getByLabel("Form name").fill("Quote request");
    await shown(page).getByLabel("Allowed origins").fill(siteOrigin);
    // The journey types faster than a person; the fill-time check itself is covered by the endpoint's tests.
    await shown(page).getByLabel("Minimum seconds to fill in").fill("0");
    await page.getByRole("button", { name: "Create form" }).click();
    await page.getByRole("heading", { level: 1, name: "Quote request" }).waitFor();
    formPath = new URL(page.url()).pathname;
    expect(formPath).toMatch(/^\/settings\/forms\/[0-9a-f-]{36}$/);
    await page.getByRole("group", { name: "Form preview" }).waitFor();
    await expectAccessible(page);
  });

  it("copies the snippet, which a visitor on another site fills in without leaving the page", async () => {
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toContain(`action="${appUrl("/f/")}`);

    const visitor = await context.newPage();
    await visitor.goto(`${siteOrigin}/pricing?utm_source=e2e-newsletter&utm_campaign=winter`);
    await visitor.getByRole("heading", { name: "Talk to Acme" }).waitFor();
    // The script has fetched the fill-time token across origins.
    await visitor.waitForFunction(() => (document.querySelector('input[name="_covey_t"]') as HTMLInputElement | null)?.value !== "");
    await visitor.getByLabel("First name *").fill("Vera");
    await visitor.getByLabel("Last name").fill("Visitor");
    await visitor.getByLabel("Email *").fill("vera@");
    await visitor.getByRole("button", { name: "Send" }).click();
    // Refused by the server (the browser's own check is skipped by the script), beside the field.
    await visitor.getByText("Email: enter an email address like name@example.com").waitFor();

    await visitor.getByLabel("Email *").fill(visitorEmail);
    await visitor.getByLabel("How can we help?").fill("A quote for 40 seats, please.");
    await visitor.getByRole("button", { name: "Send" }).click();
    await visitor.getByRole("status").filter({ hasText: "Thank you. We will be in touch soon." }).waitFor();
    expect(new URL(visitor.url()).origin).toBe(siteOrigin);
    await visitor.close();

    const [lead] = await db`select source, first_name, last_name, message, utm from leads where email = ${visitorEmail}`;
    expect(lead).toMatchObject({
      source: "web_form",
      first_name: "Vera",
      last_name: "Visitor",
      message: "A quote for 40 seats, please.",
      utm: { source: "e2e-newsletter", campaign: "winter" },
    });
  });

  it("lists the lead in Leads with the source Web form", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Leads" }).click();
    await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
    const row = page.getByRole("table").getByRole("row").filter({ hasText: "Vera Visitor" });
    await row.waitFor();
    expect(await row.innerText()).toContain(visitorEmail);
    await expect(row.locator("[data-tag]", { hasText: "Web form" }).count()).resolves.toBe(1);
  });

  it("shows the submissions and their counts in settings", async () => {
    await page.goto(appUrl(formPath));
    const table = page.getByRole("table", { name: "Submissions" });
    await table.getByRole("row").filter({ hasText: `Vera Visitor · ${visitorEmail}` }).filter({ hasText: "Accepted" }).waitFor();
    await table.getByRole("row").filter({ hasText: "Rejected" }).filter({ hasText: "enter an email address" }).waitFor();
    await table.getByRole("row").filter({ hasText: "Accepted" }).getByText("source: e2e-newsletter, campaign: winter").waitFor();
    const counts = shown(page).locator("dl");
    await expect.poll(() => counts.innerText()).toMatch(/Accepted\s+1\s+Spam\s+0\s+Rejected\s+1/);
    await expectAccessible(page);
    await table.getByRole("row").filter({ hasText: "Accepted" }).getByRole("link", { name: "Open lead" }).click();
    await page.getByRole("heading", { level: 1, name: "Vera Visitor" }).waitFor();
  });

  it("serves a hosted page that works as a plain HTML form", async () => {
    const [form] = await db`select key from web_forms where id = ${formPath.split("/").pop()!}`;
    const hosted = appUrl(`/f/${form.key}`);
    await page.goto(appUrl(formPath));
    await shown(page).getByText(hosted, { exact: true }).waitFor();
    const visitor = await context.newPage();
    const policy = (await visitor.goto(hosted))!.headers()["content-security-policy"];
    // Without Turnstile the hosted page keeps the app's strict policy.
    expect(directive(policy, "default-src")).toEqual(["'self'"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(policy, "frame-src")).toBeUndefined();
    await visitor.getByRole("heading", { level: 1, name: "Quote request" }).waitFor();
    await visitor.getByLabel("First name").fill("Hal");
    await visitor.getByLabel("Email").fill(`hal.${id}@example.net`);
    await visitor.getByRole("button", { name: "Send" }).click();
    await visitor.getByRole("status").filter({ hasText: "Thank you. We will be in touch soon." }).waitFor();
    await visitor.close();
    const [lead] = await db`select source from leads where email = ${`hal.${id}@example.net`}`;
    expect(lead.source).toBe("web_form");
  });

  it("asks for Cloudflare Turnstile once the form turns it on (the stand-in on npm start)", async () => {
    await page.goto(appUrl(formPath));
    await page.getByRole("tab", { name: "Edit" }).click();
    await page.getByRole("checkbox", { name: /Check with Cloudflare Turnstile/ }).click();
    await page.getByRole("button", { name: "Save form" }).click();
    await shown(page).getByText("Form saved").waitFor();

    const [form] = await db`select key, turnstile_enabled from web_forms where id = ${formPath.split("/").pop()!}`;
    expect(form.turnstile_enabled).toBe(true);
    const visitor = await context.newPage();
    const policy = (await visitor.goto(appUrl(`/f/${form.key}`)))!.headers()["content-security-policy"];
    // The stand-in is let in the way Cloudflare is in production: its origin, from TURNSTILE_SCRIPT_URL.
    const standIn = new URL((await visitor.locator("script[src*='/turnstile/v0/api.js']").getAttribute("src"))!).origin;
    expect(directive(policy, "frame-src")).toEqual(["'self'", standIn]);
    expect(directive(policy, "script-src")).toContain(standIn);
    await visitor.getByLabel("First name").fill("Tess");
    await visitor.getByLabel("Email").fill(`tess.${id}@example.net`);
    await visitor.getByRole("button", { name: "Send" }).click();
    await visitor.getByRole("alert").filter({ hasText: "The human check failed. Try it again." }).waitFor();
    await visitor.getByRole("checkbox", { name: /Verify you are human/ }).check();
    await visitor.getByRole("button", { name: "Send" }).click();
    await visitor.getByRole("status").filter({ hasText: "Thank you. We will be in touch soon." }).waitFor();
    await visitor.close();
    const reasons = await db`select s.outcome, s.spam_reason from web_form_submissions s join web_forms f on f.id = s.form_id
                             where f.key = ${form.key} and s.data ->> 'email' = ${`tess.${id}@example.net`} order by s.id`;
    expect(reasons.map((r) => [r.outcome, r.spam_reason])).toEqual([
      ["spam", "turnstile"],
      ["accepted", null],
    ]);
  });
});
