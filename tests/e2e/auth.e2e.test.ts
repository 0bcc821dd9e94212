// Signing in and out, every way in, and the ways in that must fail.
import type { Browser, BrowserContext, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  appUrl,
  DEMO_PASSWORD,
  latestMailLink,
  launchBrowser,
  signIn,
  signInPasswordInput,
  signOut,
  signUpOwner,
  uniqueSuffix,
  waitForPath,
  shown,
} from "../support/browser";

describe("authentication", () => {
  const id = uniqueSuffix();
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

  // Every test starts signed out, in its own cookie jar.
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  it("a wrong password is refused", async () => {
    await page.goto(appUrl("/sign-in"));
    await shown(page).getByLabel("Email", { exact: true }).fill("demo@covey.local");
    await signInPasswordInput(page).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await shown(page).getByText("Wrong email or password").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: expect.stringMatching(/auth-token/) }));
  });

  it("signing up with an address that has an account creates nothing", async () => {
    const orgName = `Duplicate Org ${id}`;
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Your name").fill("Someone Else");
    await shown(page).getByLabel("Organization").fill(orgName);
    await shown(page).getByLabel("Work email").fill("demo@covey.local");
    await shown(page).getByLabel("Password", { exact: true }).fill("a-long-enough-password");
    await page.getByRole("button", { name: "Create organization" }).click();
    await shown(page).getByText(/already exists/).first().waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-up");

    const orgs = await db`select count(*)::int as n from public.orgs where name = ${orgName}`;
    expect(orgs[0].n).toBe(0);
    const users = await db`select count(*)::int as n from auth.users where lower(email) = 'demo@covey.local'`;
    expect(users[0].n).toBe(1);
  });

  it("a password shorter than 8 characters is refused", async () => {
    const orgName = `Weak Org ${id}`;
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Your name").fill("Weak Password");
    await shown(page).getByLabel("Organization").fill(orgName);
    await shown(page).getByLabel("Work email").fill(`weak.${id}@example.com`);
    await shown(page).getByLabel("Password", { exact: true }).fill("1234567");
    await page.getByRole("button", { name: "Create organization" }).click();
    await shown(page).getByText("Password must be at least 8 characters").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-up");
    const orgs = await db`select count(*)::int as n from public.orgs where name = ${orgName}`;
    expect(orgs[0].n).toBe(0);
  });

  it("signs in with an emailed link and signs out", async () => {
    const email = "sam.member@covey.local";
    await page.goto(appUrl("/sign-in"));
    await page.getByRole("tab", { name: "Use email link" }).click();
    await shown(page).getByLabel("Email", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.getByRole("status").filter({ hasText: "a sign-in link is on its way" }).waitFor();

    const link = await latestMailLink(page, email, "magiclink");
    expect(new URL(link).pathname).toBe("/auth/confirm");
    await page.goto(link);
    await waitForPath(page, "/");
    await page.getByRole("heading", { level: 1, name: "Welcome, Sam" }).waitFor();

    await signOut(page);
    // Signed out for real: the app sends us back to sign in.
    await page.goto(appUrl("/settings/profile"));
    await waitForPath(page, "/sign-in");

    // The link worked once.
    await page.goto(link);
    await waitForPath(page, "/sign-in");
    await shown(page).getByText("That link has expired or was already used").waitFor();
  });

  it("once signed out, the session's cookies can no longer change data, though its token has not expired", async () => {
    const email = `leaver-${id}@example.test`;
    await signUpOwner(page, { name: "Lee Leaver", email, password: "a-long-enough-password" }, `Leaver Org ${id}`);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const upload = () =>
      fetch(appUrl("/api/crm/imports?object=person&name=leaver.csv"), {
        method: "POST",
        headers: { cookie, origin: new URL(appUrl()).origin, "content-type": "text/csv" },
        body: "first_name,email\nLeft,left@example.test\n",
      });
    const imports = async () => {
      const [{ n }] = await db`
        select count(*)::int as n from imports i join org_members m on m.org_id = i.org_id
          join auth.users u on u.id = m.user_id where u.email = ${email}`;
      return n;
    };
    expect((await upload()).status).toBe(201);
    expect(await imports()).toBe(1);

    await signOut(page);
    const replayed = await upload();
    expect(replayed.status).toBe(401);
    expect(await imports()).toBe(1);
  });

  it("resets a forgotten password and signs in with the new one", async () => {
    // An account of its own: a demo member's password stays the one other journeys sign in with.
    const email = `forgetful-${id}@example.test`;
    const oldPassword = "a-long-enough-password";
    const newPassword = `new-password-${id}`;
    await signUpOwner(page, { name: "Fran Forgetful", email, password: oldPassword }, `Forgetful Org ${id}`);
    await signOut(page);
    await page.goto(appUrl("/sign-in"));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await waitForPath(page, "/forgot-password");
    await shown(page).getByLabel("Email", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").filter({ hasText: "a link to reset the password is on its way" }).waitFor();

    await page.goto(await latestMailLink(page, email, "recovery"));
    await waitForPath(page, "/reset-password");
    await shown(page).getByLabel("New password").fill(newPassword);
    await shown(page).getByLabel("Repeat the password").fill(newPassword);
    await page.getByRole("button", { name: "Set password" }).click();
    await waitForPath(page, "/");
    await page.getByRole("heading", { level: 1, name: "Welcome, Fran" }).waitFor();
    await signOut(page);

    // The old password no longer works; the new one does.
    await shown(page).getByLabel("Email", { exact: true }).fill(email);
    await signInPasswordInput(page).fill(oldPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await shown(page).getByText("Wrong email or password").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await signIn(page, email, newPassword);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Welcome, Fran");
  });

  it("a protected page sends a signed-out visitor to sign in, and back after", async () => {
    await page.goto(appUrl("/settings/members"));
    await waitForPath(page, "/sign-in");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/settings/members");

    await shown(page).getByLabel("Email", { exact: true }).fill("demo@covey.local");
    await signInPasswordInput(page).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitForPath(page, "/settings/members");
    await page.getByRole("heading", { level: 1, name: "Members" }).waitFor();
  });

  it("inviting an address that already has an account is refused", async () => {
    await signIn(page, "demo@covey.local");
    await page.goto(appUrl("/settings/members"));
    const form = page.getByRole("form", { name: "Invite a teammate" });
    await form.getByLabel("Email").fill("owner@northwind.local");
    await form.getByRole("button", { name: "Send invite" }).click();
    await form.getByText(/already has a Covey account/).waitFor();
    const invitations = await db`select count(*)::int as n from public.org_invites where lower(email) = 'owner@northwind.local'`;
    expect(invitations[0].n).toBe(0);
  });

  it("a revoked invitation's link no longer works", async () => {
    const email = `revoked.${id}@example.com`;
    await signIn(page, "demo@covey.local");
    await page.goto(appUrl("/settings/members"));
    const form = page.getByRole("form", { name: "Invite a teammate" });
    await form.getByLabel("Email").fill(email);
    await form.getByRole("button", { name: "Send invite" }).click();
    await shown(page).getByText(`Invitation sent to ${email}`).waitFor();

    const invitations = page.getByRole("table", { name: "Invitations" });
    await invitations.getByRole("row").filter({ hasText: email }).waitFor();
    await page.getByRole("button", { name: `Actions for the invitation to ${email}` }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await shown(page).getByText(`Invitation to ${email} revoked`).waitFor();
    await page.getByRole("row").filter({ hasText: email }).waitFor({ state: "detached" });

    const mailPage = await context.newPage();
    const link = await latestMailLink(mailPage, email, "invite");
    await mailPage.goto(link);
    await shown(mailPage).getByText("This invitation was revoked").waitFor();
    expect(await mailPage.getByRole("button", { name: "Join organization" }).count()).toBe(0);
  });
});
