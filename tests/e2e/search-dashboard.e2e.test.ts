// A new organization's dashboard shows its figures, and the command palette
// finds a person from a misspelt name and opens them from the keyboard, and
// says which field a result matched when it is not the name, and finds
// nothing for records that merely look like the query. The sidebar's
// background runs the length of a long page.
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix, waitForPath, shown } from "../support/browser";

describe("dashboard and search", () => {
  const id = uniqueSuffix();
  const owner = { name: "Sasha Search", email: `sasha.${id}@example.com`, password: `search-pass-${id}` };
  const orgName = `Search Co ${id}`;

  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // The dashboard's cards, read inside the page's main region: while React
  // streams a boundary in, its content also sits in a hidden container
  // outside it for a moment.
  const main = () => page.getByRole("main");
  let db: postgres.Sql;
  let personId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("signs up to an empty dashboard", async () => {
    await signUpOwner(page, owner, orgName);

    expect(await main().getByTestId("new-people-count").innerText()).toBe("0");
    await shown(page).getByText("No open deals yet.").waitFor();
    await shown(page).getByText("Nothing overdue or due today.").waitFor();
    await shown(page).getByText("Nothing has happened yet.").waitFor();
    await expectAccessible(page);
  });

  it("counts the new person, the open deal and the task due today", async () => {
    const [member] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const [person] = await db`
      insert into people (org_id, first_name, last_name, email, owner_id)
      values (${member.org_id}, 'Jonathan', 'Appleseed', ${`jonathan.${id}@example.com`}, ${member.user_id})
      returning id`;
    personId = person.id;
    const [stage] = await db`
      select s.id, s.pipeline_id from pipeline_stages s where s.org_id = ${member.org_id} and s.name = 'Proposal sent'`;
    await db`
      insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency, person_id)
      values (${member.org_id}, 'Orchard expansion', ${stage.pipeline_id}, ${stage.id}, 1250000, 'USD', ${personId})`;
    await db`
      insert into tasks (org_id, title, due_at, assignee_id, person_id)
      values (${member.org_id}, 'Call Jonathan back', now() + interval '1 minute', ${member.user_id}, ${personId})`;

    await page.reload();
    await main().getByTestId("new-people-count").waitFor();
    expect(await main().getByTestId("new-people-count").innerText()).toBe("1");
    const proposal = main().getByTestId("deals-by-stage").locator('[data-stage="Proposal sent"]');
    expect(await proposal.innerText()).toMatch(/1 deal · \$12,500\.00/);
    expect(await main().getByTestId("my-tasks-summary").innerText()).toBe("0 overdue · 1 due today");
    await page.getByRole("region", { name: "Due today" }).getByText("Call Jonathan back").waitFor();
    await main().getByTestId("recent-timeline").getByRole("link", { name: "Jonathan Appleseed" }).first().waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-search-dashboard.png", fullPage: true });
  });

  it("finds the person from a misspelt name with Ctrl+K and opens them with the keyboard", async () => {
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search Covey" });
    await dialog.waitFor();
    await expectAccessible(page);

    await dialog.getByRole("combobox").fill("jonathn aplseed");
    const option = dialog.getByRole("option", { name: /Jonathan Appleseed/ });
    await option.waitFor();
    expect(await option.innerText()).toContain(`jonathan.${id}@example.com`);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-search-palette.png" });

    // The best match is selected first: Enter opens it.
    expect(await option.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await waitForPath(page, `/people/${personId}`);
    await dialog.waitFor({ state: "detached" });
  });

  it("finds a deal from a misspelt name, with its value, and offers quick actions", async () => {
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search Covey" });
    await dialog.getByRole("combobox").fill("orchad");
    await dialog.getByRole("option", { name: /Orchard expansion.*\$12,500\.00/ }).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // Arrow keys move through the quick actions; Enter follows the selected one.
    await page.keyboard.press("Control+k");
    await dialog.getByRole("combobox").fill("new");
    const newPerson = dialog.getByRole("option", { name: "New person" });
    const newCompany = dialog.getByRole("option", { name: "New company" });
    await newPerson.waitFor();
    expect(await newPerson.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await newCompany.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await waitForPath(page, "/companies");
    expect(new URL(page.url()).search).toBe("?new=1");
  });

  it("says which field matched when a result matched by something other than its name", async () => {
    const [member] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const [company] = await db`
      insert into companies (org_id, name, domain) values (${member.org_id}, 'Quince Partners', 'quincepartners.example')
      returning id`;
    await db`
      insert into people (org_id, first_name, last_name, email, phone, company_id)
      values (${member.org_id}, 'Hana', 'Schmidt', ${`hs.${id}@quincemail.example`}, '+14155550188', ${company.id})`;

    await page.goto(appUrl("/"));
    await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search Covey" });
    const box = dialog.getByRole("combobox");
    const hana = dialog.getByRole("option", { name: /Hana Schmidt/ });

    await box.fill("quincemail");
    await hana.waitFor();
    const byEmail = hana.getByTestId("search-match");
    expect(await byEmail.innerText()).toBe(`Email: hs.${id}@quincemail.example`);
    expect(await byEmail.locator("mark").allInnerTexts()).toEqual(["quincemail"]);
    await expectAccessible(page);

    await box.fill("(415) 555-0188");
    await hana.getByTestId("search-match").filter({ hasText: "Phone: +14155550188" }).waitFor();

    await box.fill("quince partners");
    await hana.getByTestId("search-match").filter({ hasText: "Company: Quince Partners" }).waitFor();
    const quince = dialog.getByRole("option", { name: /^Quince Partners/ });
    await quince.waitFor();
    expect(await quince.getByTestId("search-match").count()).toBe(0);

    await box.fill("quincepartners");
    await quince.getByTestId("search-match").filter({ hasText: "Domain: quincepartners.example" }).waitFor();

    // Found by name: nothing more to say.
    await box.fill("schmidt");
    await dialog.getByRole("status").filter({ hasText: /^1 matching record$/ }).waitFor();
    expect(await hana.getByTestId("search-match").count()).toBe(0);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  it("answers No results for a word no record holds, and leaves out records that merely look like the query", async () => {
    const [member] = await db`
      select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const [stage] = await db`select s.id, s.pipeline_id from pipeline_stages s where s.org_id = ${member.org_id} and s.name = 'Qualified'`;
    const [foxglove] = await db`
      insert into companies (org_id, name, domain) values (${member.org_id}, 'Foxglove Family Law', 'foxglovelaw.com') returning id`;
    await db`insert into people (org_id, first_name, last_name, company_id) values (${member.org_id}, 'Ben', 'Carter', ${foxglove.id})`;
    await db`insert into people (org_id, first_name, last_name) values (${member.org_id}, 'Sofia', 'Marin')`;
    await db`
      insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency)
      values (${member.org_id}, 'Membership software', ${stage.pipeline_id}, ${stage.id}, 950000, 'USD')`;

    await page.goto(appUrl("/"));
    await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search Covey" });
    const box = dialog.getByRole("combobox");
    const status = dialog.getByRole("status");

    // "software" shares a few letters with "sofia" but is no typo of it.
    await box.fill("sofia");
    await status.filter({ hasText: /^1 matching record$/ }).waitFor();
    expect(await dialog.getByRole("option").allInnerTexts()).toEqual([expect.stringMatching(/^Sofia Marin/)]);

    // Nothing holds "lovelace"; foxglovelaw.com only looks like it.
    await box.fill("lovelace");
    await status.filter({ hasText: /^No matching records$/ }).waitFor();
    await dialog.getByText("No results for “lovelace”.").waitFor();
    expect(await dialog.getByRole("option").count()).toBe(0);

    // A typo of a word the records hold still finds them.
    await box.fill("foxglov");
    await dialog.getByRole("option", { name: /^Foxglove Family Law/ }).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  it("paints the sidebar's background down to the bottom of a long page", async () => {
    const [member] = await db`
      select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    await db`
      insert into people (org_id, first_name, last_name)
      select ${member.org_id}, 'Filler', 'Person ' || n from generate_series(1, 60) n`;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(appUrl("/people"));
    await page.getByRole("heading", { level: 1, name: "People" }).waitFor();
    await page.getByRole("link", { name: /^Filler Person/ }).first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

    // What bg-sidebar paints: the sidebar's box. It must cover the viewport at
    // the bottom of the page and run the page's whole length (a full-page
    // capture or a print shows the page at once, not one screen of it).
    const painted = await page.evaluate(() => {
      const sidebar = document.querySelector("aside")!;
      const box = sidebar.getBoundingClientRect();
      const doc = document.documentElement;
      return {
        longPage: doc.scrollHeight > 1.5 * window.innerHeight,
        scrolledToEnd: Math.abs(window.scrollY + window.innerHeight - doc.scrollHeight) <= 1,
        background: getComputedStyle(sidebar).backgroundColor,
        coversViewport: box.top <= 0.5 && box.bottom >= window.innerHeight - 0.5,
        spansPage: box.height >= doc.scrollHeight - 1,
      };
    });
    expect(painted).toEqual({
      longPage: true,
      scrolledToEnd: true,
      background: expect.not.stringMatching(/^(transparent|rgba\(0, 0, 0, 0\))$/),
      coversViewport: true,
      spansPage: true,
    });
    // The navigation itself stays in view at the bottom of the page.
    const people = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" });
    expect(await people.evaluate((a) => a.getBoundingClientRect().top >= 0 && a.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  });

  it("answers a search for text the database cannot hold (NUL) with a 422 naming q, not a 500", async () => {
    const res = await page.request.get(appUrl("/api/crm/search?q=a%00b"));
    expect(res.status()).toBe(422);
    expect((await res.json()).error).toMatchObject({
      code: "validation_failed",
      details: { q: ["Search text contains a character that is not allowed (NUL)"] },
    });
    const ok = await page.request.get(appUrl("/api/crm/search?q=jonathan"));
    expect([ok.status(), (await ok.json()).people.length]).toEqual([200, 1]);
  });
});
