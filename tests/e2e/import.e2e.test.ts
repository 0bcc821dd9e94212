// CSV import from a user's seat: sign up, upload the people fixture, adjust
// a column mapping, read the preview and the report, import, find the people
// in the list, then undo the whole import; import it again and undo it from
// the screen that says it finished.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, latestMailLink, launchBrowser, uniqueSuffix, waitForPath, shown } from "../support/browser";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/people-import.csv");

describe("import: people from a CSV file, with a mapping, then undo", () => {
  const id = uniqueSuffix();
  const owner = { name: "Iris Importer", email: `iris.${id}@example.com`, password: `import-pass-${id}` };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs up a fresh organization", async () => {
    await page.goto(appUrl("/sign-up"));
    await shown(page).getByLabel("Your name").fill(owner.name);
    await shown(page).getByLabel("Organization").fill(`Import Co ${id}`);
    await shown(page).getByLabel("Work email").fill(owner.email);
    await shown(page).getByLabel("Password", { exact: true }).fill(owner.password);
    await page.getByRole("button", { name: "Create organization" }).click();
    const confirmEmail = page.getByRole("status").filter({ hasText: "to confirm your address" });
    await Promise.race([page.waitForURL((u) => u.pathname === "/"), confirmEmail.waitFor()]);
    if (await confirmEmail.isVisible()) await page.goto(await latestMailLink(page, owner.email, "signup"));
    await waitForPath(page, "/");
    await expectDashboardOf(page, `Import Co ${id}`);
  });

  it("uploads the fixture and suggests a mapping", async () => {
    await page.goto(appUrl("/import"));
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
    await expectAccessible(page);
    await shown(page).getByLabel("The file holds").selectOption("person");
    await shown(page).getByLabel("CSV file", { exact: true }).setInputFiles(FIXTURE);
    await page.getByRole("button", { name: "Upload and map columns" }).click();
    await page.waitForURL((u) => /^\/import\/[0-9a-f-]{36}$/.test(u.pathname));

    expect(await shown(page).getByLabel("Import column “E-mail” into").inputValue()).toBe("email");
    expect(await shown(page).getByLabel("Import column “Phone Number” into").inputValue()).toBe("phone");
    expect(await shown(page).getByLabel("Import column “Company Name” into").inputValue()).toBe("company");
    expect(await shown(page).getByLabel("Import column “Notes” into").inputValue()).toBe("");
  });

  it("adjusts one mapping and shows the preview and the report", async () => {
    // The fixture's "Notes" column holds where the contact came from.
    await shown(page).getByLabel("Import column “Notes” into").selectOption("source");
    const status = page.getByRole("status").filter({ hasText: "rows checked" });
    await status.filter({ hasText: "25 rows checked, 25 to create" }).waitFor();
    await shown(page).getByText("No problems found in any row.").waitFor();

    const preview = page.getByRole("table", { name: "Import preview" });
    await preview.getByRole("columnheader", { name: "Source" }).waitFor();
    const ada = preview.getByRole("row").filter({ hasText: "Lovelace" });
    await ada.getByText("+14155550100").waitFor();
    await ada.getByText("Met at the Bay Area conference").waitFor();
    await ada.getByRole("cell", { name: "CA", exact: true }).waitFor();
    await expectAccessible(page);
  });

  it("imports all rows at once and lists the people", async () => {
    await page.getByRole("button", { name: "Import 25 people" }).click();
    await shown(page).getByText("Import finished").waitFor({ timeout: 30_000 });
    const summary = page.getByRole("definition").first();
    expect(await summary.innerText()).toBe("25");

    await page.getByRole("link", { name: "View people" }).click();
    await waitForPath(page, "/people");
    await shown(page).getByText("Ada Lovelace").first().waitFor();

    // The dashboard tells of the import once, not once per person (read in
    // the main region: a streamed boundary's content also sits, hidden, in a
    // container outside it for a moment).
    await page.goto(appUrl("/"));
    const timeline = page.getByRole("main").getByTestId("recent-timeline");
    await timeline.getByText(/imported 25 people/).waitFor();
    expect(await timeline.getByRole("link", { name: "people-import.csv" }).getAttribute("href")).toMatch(/^\/import\/[0-9a-f-]{36}$/);
    expect(await timeline.getByText("created a person").count()).toBe(0);
  });

  it("undoes the whole import from the history", async () => {
    await page.goto(appUrl("/import"));
    const row = page.getByRole("table", { name: "Import history" }).getByRole("row").filter({ hasText: "people-import.csv" });
    await row.getByText("Imported", { exact: true }).waitFor();
    await expectAccessible(page);
    await row.getByRole("button", { name: "Undo import of people-import.csv" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Undo import" }).click();
    await row.getByText("Undone", { exact: true }).waitFor();

    await page.goto(appUrl("/people?q=Lovelace"));
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await shown(page).getByText("Ada Lovelace").count()).toBe(0);
  });

  it("undoes an import from the screen that says it finished", async () => {
    await page.goto(appUrl("/import"));
    await shown(page).getByLabel("The file holds").selectOption("person");
    await shown(page).getByLabel("CSV file", { exact: true }).setInputFiles(FIXTURE);
    await page.getByRole("button", { name: "Upload and map columns" }).click();
    await page.waitForURL((u) => /^\/import\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.getByRole("button", { name: "Import 25 people" }).click();
    await shown(page).getByText("Import finished").waitFor({ timeout: 30_000 });
    const summary = shown(page).getByLabel("Import summary");
    expect(await summary.getByRole("definition").first().innerText()).toBe("25");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Undo import of people-import.csv" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Undo import" }).click();
    await page.getByRole("heading", { name: "Import undone" }).waitFor();
    await page.getByRole("status").filter({ hasText: "The records this import created are deleted" }).waitFor();
    expect(await page.getByRole("button", { name: "Undo import of people-import.csv" }).count()).toBe(0);
    await expectAccessible(page);

    // The import's page says the same when opened again.
    await page.reload();
    await page.getByRole("heading", { name: "Import undone" }).waitFor();
    expect(await summary.getByRole("definition").first().innerText()).toBe("25");

    await page.getByRole("link", { name: "Import history" }).click();
    await waitForPath(page, "/import");
    const rows = page.getByRole("table", { name: "Import history" }).getByRole("row").filter({ hasText: "people-import.csv" });
    await expect.poll(() => rows.filter({ hasText: "Undone" }).count()).toBe(2);
    await page.goto(appUrl("/people?q=Lovelace"));
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await shown(page).getByText("Ada Lovelace").count()).toBe(0);
  });
});
