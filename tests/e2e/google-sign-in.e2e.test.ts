// Sign in with Google through the Google stand-in's consent screen on npm
// start's local API: found an org, come back, join by invitation, and the
// ways Google sign-in must fail.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { appUrl, expectDashboardOf, launchBrowser, shown, signOut, uniqueSuffix, waitForPath } from "../support/browser";

/** On the stand-in's consent screen: chooses `email` as a Google account and allows (or cancels). */
async function consentAs(page: Page, email: string, decision: "Allow" | "Cancel" = "Allow") {
  await page.getByRole("heading", { name: "Choose an account" }).waitFor();
  await page.getByRole("radio", { name: /Use another account/ }).check();
  await shown(page).getByLabel("Other account email").fill(email);
  await page.getByRole("button", { name: decision, exact: true }).click();
}

const welcome = (page: Page) => page.getByRole("heading", { level: 1, name: /^Welcome, / });

describe("sign in with Google", () => {
  const id = uniqueSuffix();
  const founder = `gina.${id}@gmail.com`;
  const orgName = `Google Org ${id}`;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function invite(email: string) {
    const token = randomBytes(16).toString("hex");
    await db`
      insert into public.org_invites (org_id, email, role, token_hash, invited_by)
      select o.id, ${email}, 'member', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), m.user_id
        from public.orgs o join public.org_members m on m.org_id = o.id and m.role = 'owner'
       where o.name = ${orgName}`;
    return token;
  }

  it("signs up a new organization with Google, signs out, and signs in with Google again", async () => {
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Organization").fill(orgName);
    await page.getByRole("button", { name: "Sign up with Google" }).click();
    await consentAs(page, founder);
    await welcome(page).waitFor();
    await expectDashboardOf(page, orgName);

    const [account] = await db`
      select u.id, m.role, array(select provider from auth.identities i where i.user_id = u.id) as providers
        from auth.users u join public.org_members m on m.user_id = u.id where lower(u.email) = ${founder}`;
    expect(account).toMatchObject({ role: "owner", providers: ["google"] });

    await signOut(page);
    await page.getByRole("button", { name: "Sign in with Google" }).click();
    await consentAs(page, founder);
    await welcome(page).waitFor();
    await expectDashboardOf(page, orgName);
    const [{ n }] = await db`select count(*)::int as n from auth.users where lower(email) = ${founder}`;
    expect(n).toBe(1);
  });

  it("an invited Google account joins the inviting organization", async () => {
    const teammate = `tom.${id}@gmail.com`;
    const token = await invite(teammate);
    await page.goto(appUrl(`/invite/${token}`));
    await page.getByRole("heading", { name: `Join ${orgName}` }).waitFor();
    await page.getByRole("button", { name: "Accept with Google" }).click();
    await consentAs(page, teammate);
    await welcome(page).waitFor();
    await expectDashboardOf(page, orgName);
    const [member] = await db`
      select m.role from public.org_members m join auth.users u on u.id = m.user_id
        join public.orgs o on o.id = m.org_id where lower(u.email) = ${teammate} and o.name = ${orgName}`;
    expect(member.role).toBe("member");
  });

  it("an address outside the organization's allowed domains is refused with a message, and no account is left", async () => {
    const outsider = `olly.${id}@gmail.com`;
    const token = await invite(outsider);
    // The owner narrows the allow-list after inviting.
    await db`update public.orgs set allowed_email_domains = '{acme.example}' where name = ${orgName}`;
    try {
      await page.goto(appUrl(`/invite/${token}`));
      await page.getByRole("button", { name: "Accept with Google" }).click();
      await consentAs(page, outsider);
      await waitForPath(page, "/sign-in");
      await shown(page).getByRole("alert").getByText(/email domain is not allowed in this organization/).waitFor();
      expect(await db`select 1 from auth.users where lower(email) = ${outsider}`).toHaveLength(0);
    } finally {
      await db`update public.orgs set allowed_email_domains = '{}' where name = ${orgName}`;
    }
  });

  it("a Google account without a Covey account, or a cancelled consent, is told so on the sign-in page", async () => {
    const stranger = `sid.${id}@gmail.com`;
    await page.goto(appUrl("/sign-in"));
    await page.getByRole("button", { name: "Sign in with Google" }).click();
    await consentAs(page, stranger);
    await waitForPath(page, "/sign-in");
    await shown(page).getByText(/There is no Covey account for this Google account/).waitFor();
    expect(await db`select 1 from auth.users where lower(email) = ${stranger}`).toHaveLength(0);

    await page.getByRole("button", { name: "Sign in with Google" }).click();
    await consentAs(page, stranger, "Cancel");
    await waitForPath(page, "/sign-in");
    await shown(page).getByText(/Signing in with Google was cancelled/).waitFor();
  });
});
