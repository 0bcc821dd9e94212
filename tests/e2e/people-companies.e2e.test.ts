// People and companies from a new organization: create a company and a
// person at it from the list pages, see the phone stored as E.164, filter and
// sort through the URL (it survives a reload), open a saved view's link in a
// fresh page, open the detail pages, edit a cell in place, edit the person's
// and the company's properties in place on their pages and change the owner
// from the header (mouse and keyboard), see the note composer before the
// details on a phone, archive and restore, and scan list and detail pages
// with axe.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("people and companies", () => {
  const id = uniqueSuffix();
  const owner = { name: "Paula Pipeline", email: `paula.${id}@example.com`, password: `people-pass-${id}` };
  const companyName = `Acme Rockets ${id}`;
  let browser: Browser;
  let page: Page;
  let personUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const table = () => page.getByRole("table");

  it("signs up a new organization", async () => {
    await signUpOwner(page, owner, `People Co ${id}`);
    await expectDashboardOf(page, `People Co ${id}`);
  });

  it("creates a company from the companies list", async () => {
    await page.goto(appUrl("/companies"));
    await page.getByRole("heading", { level: 1, name: "Companies" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "New company" }).first().click();
    const form = page.getByRole("form", { name: "New company" });
    await form.getByLabel("Name").fill(companyName);
    await form.getByLabel("Domain").fill("https://www.Acme-Rockets.example.com/about");
    await form.getByLabel("State").fill("california");
    await form.getByRole("button", { name: "Create company" }).click();
    await form.waitFor({ state: "detached" });
    const row = table().getByRole("row").filter({ hasText: companyName });
    await row.waitFor();
    expect(await row.innerText()).toContain("acme-rockets.example.com");
  });

  it("creates a person at that company; the phone is stored as E.164", async () => {
    await page.goto(appUrl("/people"));
    await page.getByRole("heading", { level: 1, name: "People" }).waitFor();
    await page.getByRole("button", { name: "New person" }).first().click();
    const form = page.getByRole("form", { name: "New person" });
    await form.getByLabel("First name").fill("Rita");
    await form.getByLabel("Last name").fill("Rocket");
    await form.getByLabel("Email", { exact: true }).fill(`Rita.${id}@Example.com`);
    await form.getByLabel("Phone", { exact: true }).fill("(415) 555-0100");
    await form.getByLabel("Title").fill("Head of Launches");
    await form.getByRole("combobox", { name: "Company" }).fill("Acme Rock");
    await page.getByRole("option", { name: new RegExp(companyName) }).click();
    await form.getByRole("button", { name: "Create person" }).click();
    await form.waitFor({ state: "detached" });

    const row = table().getByRole("row").filter({ hasText: "Rita Rocket" });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(`rita.${id}@example.com`);
    expect(text).toMatch(/\+1 ?415 ?555 ?0100|\+14155550100/);
    expect(text).toContain(companyName);

    // A second person with the same address is refused, naming the first.
    await page.getByRole("button", { name: "New person" }).first().click();
    const again = page.getByRole("form", { name: "New person" });
    await again.getByLabel("First name").fill("Dupe");
    await again.getByLabel("Email", { exact: true }).fill(`rita.${id}@example.com`);
    await again.getByRole("button", { name: "Create person" }).click();
    await again.getByText("Email is already used by Rita Rocket").first().waitFor();
    await page.keyboard.press("Escape");
  });

  it("finds the person from the search box by part of a word, or by the phone typed another way", async () => {
    const search = page.getByRole("searchbox", { name: "Search people" });
    expect(await search.getAttribute("placeholder")).toBe("Search name, email or phone");
    const rita = table().getByRole("row").filter({ hasText: "Rita Rocket" });
    for (const q of ["ocke", "415-555-0100", `rita.${id}`]) {
      await search.fill(q);
      await page.waitForURL((u) => u.searchParams.get("q") === q);
      await rita.waitFor();
    }
    await search.fill("zebulon");
    await page.waitForURL((u) => u.searchParams.get("q") === "zebulon");
    await shown(page).getByText("No people match your search and filters").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((u) => !u.searchParams.has("q"));
    await rita.waitFor();
  });

  it("filters and sorts through the URL, which survives a reload", async () => {
    for (const first of ["Zed", "Abe"]) {
      await page.getByRole("button", { name: "New person" }).first().click();
      const form = page.getByRole("form", { name: "New person" });
      await form.getByLabel("First name").fill(first);
      await form.getByLabel("Last name").fill("Rocket");
      await form.getByRole("button", { name: "Create person" }).click();
      await form.waitFor({ state: "detached" });
      await table().getByRole("row").filter({ hasText: `${first} Rocket` }).waitFor();
    }
    await page.getByRole("button", { name: "Filter" }).click();
    const builder = page.getByRole("dialog", { name: "Add filter" });
    await builder.getByLabel("Field").selectOption({ label: "Name" });
    await builder.getByLabel("Condition").selectOption({ label: "contains" });
    await builder.getByLabel("Value").fill("Rocket");
    await builder.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("f").includes("name:contains:Rocket"));
    await page.getByRole("button", { name: "Name", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("sort") === "name");

    const names = async () => {
      const rows = table().getByRole("row").filter({ hasText: "Rocket" });
      await rows.first().waitFor();
      return (await rows.allInnerTexts()).map((t) => t.match(/(\w+) Rocket/)?.[1]);
    };
    await expect.poll(names).toEqual(["Abe", "Rita", "Zed"]);
    await page.reload();
    await expect.poll(names).toEqual(["Abe", "Rita", "Zed"]);
    // The count of matches arrives after the rows.
    await shown(page).getByText("Showing 3 of 3 people").waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get("sort")).toBe("name");
    expect(url.searchParams.getAll("f")).toContain("name:contains:Rocket");
    await expectAccessible(page);
  });

  it("opens a saved view's link with the view's filters, under the view's plain name", async () => {
    await page.getByRole("button", { name: "New person" }).first().click();
    const form = page.getByRole("form", { name: "New person" });
    await form.getByLabel("First name").fill("Nora");
    await form.getByLabel("Last name").fill("Plain");
    await form.getByRole("button", { name: "Create person" }).click();
    await form.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Views" }).click();
    await page.getByRole("menuitem", { name: "Save view…" }).click();
    const dialog = page.getByRole("dialog", { name: "Save view" });
    await dialog.getByLabel("Name").fill("Rocket people");
    await dialog.getByRole("button", { name: "Save view" }).click();
    await page.waitForURL((u) => !!u.searchParams.get("view"));
    const viewId = new URL(page.url()).searchParams.get("view");

    const shared = await page.context().newPage();
    try {
      await shared.goto(appUrl(`/people?view=${viewId}`));
      await shared.waitForURL((u) => u.searchParams.getAll("f").includes("name:contains:Rocket"));
      const rows = shared.getByRole("table").getByRole("row").filter({ hasText: "Rocket" });
      await rows.first().waitFor();
      expect((await rows.allInnerTexts()).map((t) => t.match(/(\w+) Rocket/)?.[1])).toEqual(["Abe", "Rita", "Zed"]);
      expect(await shared.getByRole("table").getByRole("row").filter({ hasText: "Nora Plain" }).count()).toBe(0);
      const label = shared.getByRole("button", { name: /^Rocket people/ });
      await label.waitFor();
      expect((await label.innerText()).trim()).toBe("Rocket people");
    } finally {
      await shared.close();
    }
  });

  it("edits a cell in place", async () => {
    await page.getByRole("button", { name: "Edit Title of Abe Rocket" }).click();
    const input = page.getByRole("textbox", { name: "Title of Abe Rocket" });
    await input.fill("Flight Director");
    await input.press("Enter");
    await table().getByRole("row").filter({ hasText: "Abe Rocket" }).getByText("Flight Director").waitFor();
    await page.reload();
    const row = table().getByRole("row").filter({ hasText: "Abe Rocket" });
    await row.getByText("Flight Director").waitFor();
    expect(await row.getByText("Flight Director").count()).toBe(1);
  });

  it("opens the person and the company", async () => {
    await table().getByRole("link", { name: "Rita Rocket" }).click();
    await page.getByRole("heading", { level: 1, name: "Rita Rocket" }).waitFor();
    personUrl = page.url();
    await shown(page).getByText("+1 415 555 0100").first().waitFor();
    await page.getByRole("heading", { name: "Timeline" }).or(page.getByRole("list", { name: "Timeline" })).first().waitFor();
    await expectAccessible(page);

    await page.getByRole("main").getByRole("link", { name: companyName }).first().click();
    await page.getByRole("heading", { level: 1, name: companyName }).waitFor();
    await page.getByRole("link", { name: "Rita Rocket" }).waitFor();
    await shown(page).getByText("CA", { exact: false }).first().waitFor();
    await expectAccessible(page);
  });

  // The Details card: its rows are edited in place, each with its pencil.
  const details = (row = "Title") => shown(page).locator("dl").filter({ has: page.getByRole("button", { name: `Edit ${row}` }) });

  it("edits a property in place on the person's page: Enter saves, Escape cancels, a refusal stays on the field", async () => {
    await page.goto(personUrl);
    await details().getByText("Head of Launches").click();
    const title = page.getByRole("textbox", { name: "Title of Rita Rocket" });
    await title.fill("Chief of Launches");
    await title.press("Enter");
    await title.waitFor({ state: "detached" });
    await details().getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await page.reload();
    await details().getByText("Chief of Launches").waitFor();

    // Escape leaves the stored value alone.
    await details().getByText("Chief of Launches").click();
    await title.fill("Intern");
    await title.press("Escape");
    await title.waitFor({ state: "detached" });
    expect(await shown(page).getByText("Intern").count()).toBe(0);
    // The pencil takes the focus back, so the keyboard carries on from the row.
    expect(await page.getByRole("button", { name: "Edit Title" }).evaluate((b) => b === document.activeElement)).toBe(true);
    await page.reload();
    await details().getByText("Chief of Launches").waitFor();

    // A refused value keeps the editor open with the server's message on the field.
    await page.getByRole("button", { name: "Edit Phone" }).click();
    const phone = page.getByRole("textbox", { name: "Phone of Rita Rocket" });
    await phone.fill("12");
    await phone.press("Enter");
    await details().getByRole("alert").waitFor();
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    await phone.press("Escape");
    await page.reload();
    await details().getByText("+1 415 555 0100").waitFor();
  });

  it("changes the owner from the person's header, with the keyboard and the mouse", async () => {
    const trigger = page.getByRole("button", { name: /^Owner:/ });
    expect((await trigger.innerText()).trim()).toBe("Owner: Paula Pipeline");
    const focused = (name: string) => page.getByRole("menuitemradio", { name }).evaluate((item) => item === document.activeElement);
    await trigger.focus();
    await page.keyboard.press("Enter");
    // Opened from the keyboard, the menu puts the focus on its first member.
    await expect.poll(() => focused("Paula Pipeline")).toBe(true);
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => focused("No owner")).toBe(true);
    await page.keyboard.press("Enter");
    await shown(page).getByText("Owner removed").waitFor();
    await page.reload();
    await expect.poll(async () => (await trigger.innerText()).trim()).toBe("Owner: No owner");

    await trigger.click();
    await page.getByRole("menuitemradio", { name: "Paula Pipeline" }).click();
    await shown(page).getByText("Owner changed to Paula Pipeline").waitFor();
    await page.reload();
    await expect.poll(async () => (await trigger.innerText()).trim()).toBe("Owner: Paula Pipeline");
  });

  it("edits a property in place on the company's page", async () => {
    await page.getByRole("main").getByRole("link", { name: companyName }).first().click();
    await page.getByRole("heading", { level: 1, name: companyName }).waitFor();
    await page.getByRole("button", { name: "Edit Industry" }).click();
    const industry = page.getByRole("textbox", { name: `Industry of ${companyName}` });
    await industry.fill("Aerospace");
    await industry.press("Enter");
    await industry.waitFor({ state: "detached" });
    await page.reload();
    await details("Industry").getByText("Aerospace").waitFor();
    await page.getByRole("button", { name: /^Owner: Paula Pipeline/ }).waitFor();
    await expectAccessible(page);
  });

  it("shows the person's actions and note composer before the details on a phone", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState() });
    try {
      const small = await phone.newPage();
      await small.goto(personUrl);
      await small.getByRole("heading", { level: 1, name: "Rita Rocket" }).waitFor();
      const top = async (l: ReturnType<Page["getByRole"]>) => (await l.boundingBox())!.y;
      const detailsTop = await top(small.getByRole("heading", { name: "Details" }));
      const composerTop = await top(small.getByRole("textbox", { name: "Note" }));
      expect(composerTop).toBeLessThan(detailsTop);
      // Call is click-to-call now: a button that rings the member's phone, no longer a tel: link.
      expect(await top(small.getByRole("button", { name: "Call Rita Rocket", exact: true }))).toBeLessThan(composerTop);
      expect(await top(small.getByRole("link", { name: "Email", exact: true }))).toBeLessThan(composerTop);
      expect(await top(small.getByRole("textbox", { name: /task/i }).first())).toBeLessThan(detailsTop);
      // The composer starts on the first screen.
      expect(composerTop).toBeLessThan(844);
    } finally {
      await phone.close();
    }
  });

  it("archives the person and restores them from the banner", async () => {
    await page.goto(personUrl);
    await page.getByRole("button", { name: "Archive" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Archive" }).click();
    await shown(page).getByText("This person is archived").waitFor();
    await page.goto(appUrl("/people"));
    await page.getByRole("heading", { level: 1, name: "People" }).waitFor();
    await table().getByRole("row").filter({ hasText: "Abe Rocket" }).waitFor();
    expect(await table().getByRole("row").filter({ hasText: "Rita Rocket" }).count()).toBe(0);

    await page.goto(personUrl);
    await page.getByRole("button", { name: "Restore" }).click();
    await shown(page).getByText("This person is archived").waitFor({ state: "detached" });
    await page.goto(appUrl("/people"));
    await table().getByRole("row").filter({ hasText: "Rita Rocket" }).waitFor();
  });

  it("answers 404 for an unknown person", async () => {
    const response = await page.goto(appUrl("/people/00000000-0000-4000-8000-000000000000"));
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  });
});
