// A new organization from sign-up to a second member: the owner signs up,
// invites a teammate, the teammate joins from the emailed link, and each
// sees what their role allows, and nothing of the other organizations.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, latestMailLink, launchBrowser, uniqueSuffix, waitForPath, shown } from "../support/browser";

const FORBIDDEN = "You don't have access to this page";

describe("onboarding: sign up, invite a teammate, the teammate joins", () => {
  const id = uniqueSuffix();
  const orgName = `Onboarding Co ${id}`;
  const owner = { name: "Olive Owner", email: `olive.${id}@example.com`, password: `owner-pass-${id}` };
  const teammate = { name: "Tess Teammate", email: `tess.${id}@example.com`, password: `teammate-pass-${id}` };

  let browser: Browser;
  let ownerContext: BrowserContext;
  let teammateContext: BrowserContext;
  let ownerPage: Page;
  let teammatePage: Page;
  let inviteLink: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    ownerContext = await browser.newContext();
    teammateContext = await browser.newContext();
    ownerPage = await ownerContext.newPage();
    teammatePage = await teammateContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs up a new organization and lands on its dashboard", async () => {
    const page = ownerPage;
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Your name").fill(owner.name);
    await shown(page).getByLabel("Organization").fill(orgName);
    await shown(page).getByLabel("Work email").fill(owner.email);
    await shown(page).getByLabel("Password", { exact: true }).fill(owner.password);
    await page.getByRole("button", { name: "Create organization" }).click();

    const welcome = page.getByRole("heading", { level: 1, name: "Welcome, Olive" });
    const confirmEmail = page.getByRole("status").filter({ hasText: "to confirm your address" });
    await welcome.or(confirmEmail).waitFor();
    if (await confirmEmail.isVisible()) {
      // Auth asks to confirm the address first: follow the emailed link.
      await page.goto(await latestMailLink(page, owner.email, "signup"));
    }
    await welcome.waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByRole("banner").getByText(orgName, { exact: true }).waitFor();
    expect(await shown(page).getByTestId("member-count").innerText()).toBe("1");
  });

  it("invites a teammate from the Members page", async () => {
    const page = ownerPage;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await waitForPath(page, "/settings/members");
    await page.getByRole("heading", { level: 1, name: "Members" }).waitFor();

    const form = page.getByRole("form", { name: "Invite a teammate" });
    await form.getByLabel("Email").fill(teammate.email);
    await form.getByRole("combobox", { name: "Role", exact: true }).click();
    await page.getByRole("option", { name: "Member", exact: true }).click();
    await form.getByRole("button", { name: "Send invite" }).click();
    await shown(page).getByText(`Invitation sent to ${teammate.email}`).waitFor();

    const invitations = page.getByRole("table", { name: "Invitations" });
    const row = invitations.getByRole("row").filter({ hasText: teammate.email });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Member/);

    inviteLink = await latestMailLink(teammatePage, teammate.email, "invite");
    expect(new URL(inviteLink).pathname).toMatch(/^\/invite\/.{16,}/);

    // A second invitation to the same address is refused beside its field.
    await form.getByLabel("Email").fill(teammate.email);
    await form.getByRole("button", { name: "Send invite" }).click();
    await form.getByText("An invitation to this address is already open", { exact: true }).waitFor();
    expect(await invitations.getByRole("row").filter({ hasText: teammate.email }).count()).toBe(1);
  });

  it("the teammate joins from the link, in the same organization", async () => {
    const page = teammatePage;
    await page.goto(inviteLink);
    await page.getByRole("heading", { name: `Join ${orgName}` }).waitFor();
    await shown(page).getByText(teammate.email, { exact: true }).waitFor();
    await shown(page).getByLabel("Your name").fill(teammate.name);
    await shown(page).getByLabel("Choose a password").fill(teammate.password);
    await page.getByRole("button", { name: "Join organization" }).click();

    await page.getByRole("heading", { level: 1, name: "Welcome, Tess" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByRole("banner").getByText(orgName, { exact: true }).waitFor();
    expect(await shown(page).getByTestId("member-count").innerText()).toBe("2");
  });

  it("the teammate sees exactly the two people of the organization", async () => {
    const page = teammatePage;
    await page.goto(appUrl("/settings/members"));
    const members = page.getByRole("table", { name: "Members" });
    await members.waitFor();
    const rows = members.locator("tbody tr");
    expect(await rows.count()).toBe(2);
    const text = await members.innerText();
    for (const expected of [owner.name, owner.email, teammate.name, teammate.email]) expect(text).toContain(expected);
    for (const stranger of ["Dana Demo", "demo@covey.local", "Sam Member", "Nora Northwind", "owner@northwind.local"]) {
      expect(text).not.toContain(stranger);
    }
    // A member neither invites nor sees the invitations.
    expect(await page.getByRole("form", { name: "Invite a teammate" }).count()).toBe(0);
    expect(await page.getByRole("table", { name: "Invitations" }).count()).toBe(0);
  });

  it("the teammate (member) is kept out of organization settings and the audit log", async () => {
    const page = teammatePage;
    await page.goto(appUrl("/"));
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Members" }).waitFor();
    expect(await nav.getByRole("link", { name: "Organization" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Audit log" }).count()).toBe(0);

    for (const path of ["/settings/organization", "/settings/audit"]) {
      const response = await page.goto(appUrl(path));
      await page.getByRole("heading", { level: 1, name: FORBIDDEN }).waitFor();
      expect(response?.status(), path).toBe(403);
      expect(await shown(page).getByLabel("Organization name").count()).toBe(0);
      expect(await page.getByRole("table", { name: "Audit log" }).count()).toBe(0);
    }
  });

  it("the owner sees the invitation accepted and the changes in the audit log", async () => {
    const page = ownerPage;
    await page.goto(appUrl("/settings/members"));
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("row").filter({ hasText: teammate.email }).waitFor();
    await shown(page).getByText("No open invitations.").waitFor();
    expect(await page.getByRole("table", { name: "Invitations" }).count()).toBe(0);

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Audit log" }).click();
    await waitForPath(page, "/settings/audit");
    const audit = page.getByRole("table", { name: "Audit log" });
    await audit.waitFor();
    const current = nav.locator('[aria-current="page"]');
    expect(await current.count()).toBe(1);
    expect(await current.innerText()).toBe("Audit log");
    expect(await audit.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await audit.innerText()).toMatch(/org_invites|org_members/);
    await page.screenshot({ path: "/tmp/covey-e2e-audit.png", fullPage: true });
  });

  it("a used invitation link cannot be used again", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(inviteLink);
      await shown(page).getByText("This invitation has already been used").waitFor();
      expect(await page.getByRole("button", { name: "Join organization" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
