// Leads as a new organization works them: add two leads by hand from the
// list, filter the list by source and see the source badges, open a lead
// and change its status in place (the status history and the timeline say
// so), convert it with a deal and land on the new person's page with that
// deal, and find the lead marked Converted with links to what it became.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("leads", () => {
  const id = uniqueSuffix();
  const owner = { name: "Lou Leads", email: `lou.${id}@example.com`, password: `leads-pass-${id}` };
  const leadName = `Lena Lead${id}`;
  const company = `Lumen Labs ${id}`;
  let browser: Browser;
  let page: Page;
  let leadUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const table = () => page.getByRole("table");
  const row = (text: string) => table().getByRole("row").filter({ hasText: text });

  async function addLead(fields: { first: string; last: string; email: string; company?: string; source: string }) {
    await page.getByRole("button", { name: "New lead" }).first().click();
    const form = page.getByRole("form", { name: "New lead" });
    await form.getByLabel("First name").fill(fields.first);
    await form.getByLabel("Last name").fill(fields.last);
    await form.getByLabel("Email").fill(fields.email);
    await form.getByLabel("Phone").fill("(415) 555-0133");
    if (fields.company) await form.getByLabel("Company").fill(fields.company);
    await form.getByLabel("Source").selectOption({ label: fields.source });
    await form.getByRole("button", { name: "Create lead" }).click();
    await form.waitFor({ state: "detached" });
    await row(`${fields.first} ${fields.last}`).waitFor();
  }

  it("signs up a new organization, whose sidebar offers Leads", async () => {
    await signUpOwner(page, owner, `Leads Co ${id}`);
    await expectDashboardOf(page, `Leads Co ${id}`);
    await page.getByRole("navigation").getByRole("link", { name: "Leads" }).click();
    await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
  });

  it("adds leads by hand, each with its source badge", async () => {
    await addLead({ first: "Lena", last: `Lead${id}`, email: `Lena.${id}@Lumen.example`, company, source: "Web form" });
    await addLead({ first: "Manny", last: `Manual${id}`, email: `manny.${id}@example.com`, source: "Manual" });
    expect(await row(leadName).innerText()).toContain(`lena.${id}@lumen.example`);
    await expect(row(leadName).locator("[data-tag]", { hasText: "Web form" }).count()).resolves.toBe(1);
    await expect(row(`Manny Manual${id}`).locator("[data-tag]", { hasText: "Manual" }).count()).resolves.toBe(1);
    await expectAccessible(page);
  });

  it("filters the list by source", async () => {
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const builder = page.getByRole("dialog", { name: "Add filter" });
    await builder.getByLabel("Field").selectOption({ label: "Source" });
    await builder.getByLabel("Condition").selectOption({ label: "is" });
    await builder.getByLabel("Value").selectOption({ label: "Web form" });
    await builder.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("f").includes("source:eq:web_form"));
    await row(`Manny Manual${id}`).waitFor({ state: "detached" });
    await row(leadName).waitFor();
  });

  it("changes the lead's status in place on its page", async () => {
    await row(leadName).getByRole("link", { name: leadName }).click();
    await page.getByRole("heading", { level: 1, name: leadName }).waitFor();
    leadUrl = page.url();
    await expectAccessible(page);
    await page.getByRole("button", { name: /^Status: New/ }).click();
    await page.getByRole("menuitemradio", { name: "Qualified" }).click();
    await page.getByRole("button", { name: /^Status: Qualified/ }).waitFor();
    // The refreshed page shows the change in its history and on the timeline.
    const history = page.getByRole("list", { name: "Status history" });
    await history.getByRole("listitem").filter({ hasText: "Qualified" }).filter({ hasText: "from New" }).waitFor();
    await shown(page).locator('[data-kind="status_changed"]').filter({ hasText: "from New → Qualified" }).waitFor();
  });

  it("converts the lead with a deal and lands on the new person's page with that deal", async () => {
    await page.getByRole("button", { name: "Convert", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Convert ${leadName}` });
    await expect(dialog.getByLabel("Create a deal").isChecked()).resolves.toBe(true);
    await dialog.getByLabel("Value").fill("2,500");
    await dialog.getByRole("button", { name: "Convert lead" }).click();
    await page.waitForURL((u) => /^\/people\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.getByRole("heading", { level: 1, name: leadName }).waitFor();
    await page.getByRole("link", { name: company }).first().waitFor();
    const deals = page.getByRole("heading", { name: "Deals (1)" });
    await deals.waitFor();
    await page.getByRole("link", { name: company, exact: true }).last().waitFor();
    await shown(page).locator('[data-kind="converted"]').filter({ hasText: `converted lead ${leadName}` }).waitFor();
  });

  it("shows the lead as Converted, linking the person, company and deal", async () => {
    await page.goto(leadUrl);
    const converted = page.getByRole("region", { name: "Converted" });
    await converted.waitFor();
    await converted.getByRole("link", { name: leadName }).waitFor();
    await converted.getByRole("link", { name: company }).first().waitFor();
    expect(await converted.getByRole("link").count()).toBe(3);
    expect(await page.getByRole("button", { name: "Convert", exact: true }).count()).toBe(0);
  });
});
