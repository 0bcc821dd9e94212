// Reports as a manager reads them: from the sidebar's Reports to a
// pipeline's New deals report, a custom range whose chart and table show the
// deals made on those days, grouped by day and then by week, and the CSV
// download holding the same rows. A member is refused the page and the CSV.
// A case manager of the surrogacy demo reads the same reports named by their
// pipelines' nouns: Cases by stage counts the agency's open cases.
// The journey makes its own pipeline with deals on known days in the demo
// org and removes it afterwards, so it asserts exact figures whatever else
// the demo holds.
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

describe("reports", () => {
  const pipelineName = `Report pipeline ${uniqueSuffix()}`;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;
  let pipelineId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [org] = await db`select org_id from org_members m join auth.users u on u.id = m.user_id where u.email = 'morgan.manager@covey.local'`;
    const [pipeline] = await db`insert into pipelines (org_id, name, position) values (${org.org_id}, ${pipelineName}, 1000) returning id`;
    pipelineId = pipeline.id;
    const [stage] = await db`insert into pipeline_stages (org_id, pipeline_id, name, position) values (${org.org_id}, ${pipelineId}, 'First call', 0) returning id`;
    // Noon UTC is the same day in every zone from UTC-11 to UTC+11, so the
    // journey reads these days whatever zone the browser reports.
    for (const [day, n] of [["2026-11-03", 2], ["2026-11-05", 1], ["2026-11-10", 4]] as const) {
      for (let i = 0; i < n; i++) {
        const [d] = await db`insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor)
                             values (${org.org_id}, ${`Report deal ${day} ${i}`}, ${pipelineId}, ${stage.id}, 'USD', 1000) returning id`;
        await db`update deals set created_at = ${`${day}T12:00:00Z`} where id = ${d.id}`;
      }
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (pipelineId) {
      await db`delete from deals where pipeline_id = ${pipelineId}`;
      await db`delete from pipelines where id = ${pipelineId}`;
    }
    await db?.end();
  });

  const rowsOf = async () =>
    page
      .getByRole("table")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent?.trim())));

  it("opens Reports from the sidebar and the pipeline's New deals report", async () => {
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    await signIn(page, "morgan.manager@covey.local");
    await page.getByRole("link", { name: "Reports", exact: true }).click();
    await waitForPath(page, "/reports");
    const section = page.getByRole("region", { name: pipelineName });
    await section.getByRole("link", { name: /New deals/ }).click();
    await waitForPath(page, "/reports/new");
    await page.getByRole("heading", { level: 1, name: "New deals" }).waitFor();
    expect(new URL(page.url()).searchParams.get("pipeline")).toBe(pipelineId);
  });

  it("shows a custom range's chart and the table of its days", async () => {
    await shown(page).getByLabel("From").fill("2026-11-02");
    await shown(page).getByLabel("To").fill("2026-11-15");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === "2026-11-02" && url.searchParams.get("to") === "2026-11-15");
    await page.getByRole("table").getByRole("cell", { name: "Nov 15, 2026" }).waitFor();
    expect(await shown(page).getByLabel("Range").inputValue()).toBe("custom");
    const chart = page.getByRole("img", { name: /^Chart of new deals, Nov 2, 2026 – Nov 15, 2026/ });
    await chart.waitFor();
    // One bar per day that had deals.
    await expect.poll(() => chart.locator(".recharts-bar-rectangle path").count()).toBe(3);
    const rows = await rowsOf();
    expect(rows).toHaveLength(14);
    expect(rows.filter(([, n]) => n !== "0")).toEqual([
      ["Nov 3, 2026", "2"],
      ["Nov 5, 2026", "1"],
      ["Nov 10, 2026", "4"],
    ]);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-reports-light.png", fullPage: true });
  });

  it("groups the same range by week", async () => {
    await page.getByRole("navigation", { name: "Group by" }).getByRole("link", { name: "Week" }).click();
    await page.waitForURL((url) => url.searchParams.get("by") === "week");
    await page.getByRole("table").getByRole("cell", { name: "Week of Nov 9, 2026" }).waitFor();
    expect(await rowsOf()).toEqual([
      ["Week of Nov 2, 2026", "3"],
      ["Week of Nov 9, 2026", "4"],
    ]);
    expect(await page.getByRole("table").locator("th").allTextContents()).toEqual(["Week", "New deals"]);
  });

  it("downloads the rows shown as a CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("new-deals-2026-11-02-to-2026-11-15.csv");
    const text = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
    expect(text.split("\r\n")).toEqual(["Week,New deals", "2026-11-02,3", "2026-11-09,4"]);
  });

  it("looks right in the dark theme", async () => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    await dark.addCookies(await context.cookies());
    const darkPage = await dark.newPage();
    await darkPage.goto(page.url());
    await darkPage.getByRole("img", { name: /^Chart of new deals/ }).locator(".recharts-bar-rectangle").first().waitFor();
    expect(await darkPage.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await expectAccessible(darkPage);
    await darkPage.screenshot({ path: "/tmp/covey-e2e-reports-dark.png", fullPage: true });
    await dark.close();
  });

  it("refuses members the page and the CSV", async () => {
    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, "sam.member@covey.local");
    expect(await memberPage.getByRole("navigation").getByRole("link", { name: "Reports", exact: true }).count()).toBe(0);
    await memberPage.goto(appUrl("/reports"));
    await memberPage.getByRole("heading", { level: 1, name: "You don't have access to this page" }).waitFor();
    await memberPage.goto(appUrl(`/reports/new?pipeline=${pipelineId}`));
    await memberPage.getByRole("heading", { level: 1, name: "You don't have access to this page" }).waitFor();
    const csv = await memberContext.request.get(appUrl(`/api/reports/new/csv?pipeline=${pipelineId}`));
    expect(csv.status()).toBe(403);
    expect(await shown(memberPage).getByText("403", { exact: true }).count()).toBe(1);
    await memberContext.close();
  });

  it("names a surrogacy agency's reports by its pipelines' nouns", async () => {
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await signIn(managerPage, "carmen.cases@covey.local");
    await managerPage.goto(appUrl("/reports"));
    await managerPage.getByRole("region", { name: "Intended parents", exact: true }).getByRole("link", { name: /Intended parents by owner/ }).waitFor();
    await managerPage.getByRole("region", { name: "Cases", exact: true }).getByRole("link", { name: /Cases by stage/ }).click();
    await managerPage.getByRole("heading", { level: 1, name: "Cases by stage" }).waitFor();
    expect(await managerPage.title()).toMatch(/^Cases by stage · Reports/);
    expect(await managerPage.getByRole("table").locator("th").allTextContents()).toEqual(["Stage", "Open cases", "Value"]);
    const [{ n }] = await db`select count(*)::int as n from deals d join pipelines p on p.id = d.pipeline_id join orgs o on o.id = d.org_id
                            where o.name = 'Bloom Surrogacy Partners' and p.name = 'Cases' and d.status = 'open' and d.archived_at is null`;
    const counts = await managerPage.getByRole("table").locator("tbody tr td:nth-child(2)").allTextContents();
    expect(counts.reduce((sum, c) => sum + Number(c), 0)).toBe(n);
    await managerPage.screenshot({ path: "/tmp/covey-e2e-reports-cases.png", fullPage: true });
    await managerContext.close();
  });
});
