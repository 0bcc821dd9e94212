// Vertical templates: a new owner signs up choosing "Surrogacy agency" and
// lands in an org whose navigation, boards and buttons speak of cases and
// intended parents, with the Intake and Case management teams, all seeded
// as data; the pipeline's nouns are its admins' to change. The seeded demo
// agency's intake coordinator finds its cases, and the palette files her
// search results under "Cases". A sales org keeps its one "Deals".
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

describe("org templates", () => {
  const id = uniqueSuffix();
  const owner = { name: "Stella Stork", email: `stella.${id}@example.com`, password: `stork-pass-${id}` };
  const orgName = `Stork Surrogacy ${id}`;
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

  const mainNav = (p: Page) => p.getByRole("navigation", { name: "Main" });
  const navLinks = async (p: Page) => (await mainNav(p).getByRole("link").allTextContents()).map((t) => t.trim());

  it("signs up a surrogacy agency whose navigation, boards and buttons say Cases and Intended parents", async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Your name").fill(owner.name);
    await shown(page).getByLabel("Organization").fill(orgName);
    await shown(page).getByLabel("Work email").fill(owner.email);
    await shown(page).getByLabel("Password", { exact: true }).fill(owner.password);
    expect(await page.getByRole("radio", { name: /^Sales CRM/ }).isChecked()).toBe(true);
    await page.getByRole("radio", { name: /^Surrogacy agency/ }).click();
    expect(await page.getByRole("radio", { name: /^Surrogacy agency/ }).isChecked()).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-sign-up-templates.png", fullPage: true });
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.getByRole("heading", { level: 1, name: "Welcome, Stella" }).waitFor();

    const [org] = await db`select template from orgs where name = ${orgName}`;
    expect(org.template).toBe("surrogacy");
    const links = await navLinks(page);
    expect(links).toEqual(expect.arrayContaining(["Cases", "Intended parents"]));
    expect(links).not.toContain("Deals");

    await mainNav(page).getByRole("link", { name: "Cases", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Cases" }).waitFor();
    expect(new URL(page.url()).searchParams.get("pipeline")).toBeTruthy();
    expect(await page.title()).toMatch(/^Cases/);
    expect(await mainNav(page).getByRole("link", { name: "Cases", exact: true }).getAttribute("aria-current")).toBe("page");
    await page.getByRole("button", { name: "New case" }).click();
    await page.getByRole("dialog", { name: "New case" }).getByRole("button", { name: "Create case" }).waitFor();
    await page.keyboard.press("Escape");
    await shown(page).getByText("No cases", { exact: true }).first().waitFor();
    expect(await shown(page).getByPlaceholder("Case, company or person").count()).toBe(1);
    await page.screenshot({ path: "/tmp/covey-e2e-cases-board.png" });

    // The list says what it lists: one pipeline's cases, or every pipeline's records.
    const casesPipeline = new URL(page.url()).searchParams.get("pipeline");
    await page.goto(appUrl(`/deals/list?f=pipeline:eq:${casesPipeline}`));
    await page.getByRole("heading", { level: 1, name: "Cases" }).waitFor();
    await shown(page).getByText("Every case of the Cases pipeline.").waitFor();
    expect(await page.title()).toMatch(/^Cases/);
    await page.goto(appUrl("/deals/list"));
    await page.getByRole("heading", { level: 1, name: "Cases and intended parents" }).waitFor();

    await mainNav(page).getByRole("link", { name: "Intended parents", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Intended parents", exact: true }).waitFor();
    await page.getByRole("button", { name: "New intended parent" }).waitFor();
    expect(await mainNav(page).getByRole("link", { name: "Cases", exact: true }).getAttribute("aria-current")).toBeNull();
  });

  it("seeds the Intake and Case management teams, and lets the owner rename what a pipeline's deals are called", async () => {
    await page.goto(appUrl("/settings/teams"));
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    await page.getByRole("region", { name: "Intake team" }).waitFor();
    await page.getByRole("region", { name: "Case management team" }).waitFor();
    await page.screenshot({ path: "/tmp/covey-e2e-template-teams.png", fullPage: true });

    await page.goto(appUrl("/settings/pipelines"));
    const names = page.getByRole("form", { name: "What Intended parents's deals are called" });
    expect(await names.getByRole("textbox", { name: "One" }).inputValue()).toBe("Intended parent");
    await names.getByRole("textbox", { name: "One" }).fill("Parent");
    await names.getByRole("textbox", { name: "Many" }).fill("");
    await names.getByRole("button", { name: "Save names" }).click();
    await names.getByText("Enter the plural too, e.g. Cases").waitFor();
    await names.getByRole("textbox", { name: "Many" }).fill("Parents");
    await names.getByRole("button", { name: "Save names" }).click();
    await expect.poll(async () => (await navLinks(page)).includes("Parents")).toBe(true);
    const [row] = await db`select p.noun_singular, p.noun_plural from pipelines p join orgs o on o.id = p.org_id
                           where o.name = ${orgName} and p.name = 'Intended parents'`;
    expect(row).toEqual({ noun_singular: "Parent", noun_plural: "Parents" });
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-pipeline-nouns.png" });
    await context.close();
  });

  it("shows the demo agency's intake coordinator its cases, and files her search results under Cases", async () => {
    const ivy = await browser.newContext();
    const p = await ivy.newPage();
    await signIn(p, "ivy.intake@covey.local");
    await mainNav(p).getByRole("link", { name: "Cases", exact: true }).click();
    await p.getByRole("heading", { level: 1, name: "Cases" }).waitFor();
    await shown(p).locator('[data-testid="deal-card"][data-deal="Jessica Alvarez"]').waitFor();

    await p.getByRole("button", { name: /^Search/ }).first().click();
    await p.getByRole("combobox").fill("Alvarez");
    const cases = p.getByRole("group", { name: "Cases" });
    await cases.getByRole("option", { name: /Jessica Alvarez/ }).waitFor();
    expect(await p.getByRole("group", { name: "Deals" }).count()).toBe(0);
    await p.screenshot({ path: "/tmp/covey-e2e-cases-search.png" });
    await cases.getByRole("option", { name: /Jessica Alvarez/ }).click();
    await p.waitForURL((url) => url.pathname.startsWith("/deals/"));
    await p.getByRole("heading", { level: 1, name: "Jessica Alvarez" }).waitFor();
    await p.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Cases", exact: true }).waitFor();
    await expect.poll(() => p.title()).toMatch(/^Jessica Alvarez · Case\b/);
    await ivy.close();
  });

  it("keeps a sales org's single Deals entry", async () => {
    const sales = await browser.newContext();
    const p = await sales.newPage();
    await signIn(p, "demo@covey.local");
    const links = await navLinks(p);
    expect(links.filter((l) => l === "Deals")).toHaveLength(1);
    expect(links).not.toContain("Cases");
    await mainNav(p).getByRole("link", { name: "Deals", exact: true }).click();
    await waitForPath(p, "/deals");
    await p.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
    await p.getByRole("button", { name: "New deal" }).waitFor();
    await sales.close();
  });
});
