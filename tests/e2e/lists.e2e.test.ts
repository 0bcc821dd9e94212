// Record lists as a daily user works them: a tag filter suggests the org's
// tags as it is typed and takes them from the keyboard; an applied filter's
// chip opens it for a change; Shift-click selects (and clears) a range of
// rows; at 1440 px the owner and last-contacted columns show whole beside
// long emails; at 390 px people are cards and nothing scrolls sideways; and
// a saved view's link opens filtered on companies, deals and tasks.
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix } from "../support/browser";

const PEOPLE = [
  { first: "Hannah", last: "Schmidt", email: "hannah.schmidt@acmelogisticsgroup.com", title: "Head of Procurement and Facilities", tags: ["decision-maker", "vip"] },
  { first: "Ethan", last: "Walker", email: "ethan.walker@harborlightinsurance.com", title: "Regional Operations Director", tags: ["decision-maker"] },
  { first: "Noah", last: "Johnson", email: "noah.johnson@bluebirddentalpartners.com", title: "Founder and Managing Partner", tags: ["decision-maker"] },
  { first: "Priya", last: "Shah", email: "priya.shah@evergreensolarsystems.io", title: "Chief Operating Officer", tags: ["decision-pending"] },
  { first: "Ryan", last: "ONeil", email: "ryan.oneil@driftwoodcoffeeroasters.co", title: "Senior Account Executive", tags: ["vip"] },
  { first: "Chloe", last: "Dubois", email: "chloe.dubois@cedarandpinerealty.com", title: "Marketing Lead", tags: [] },
  { first: "Grace", last: "Nguyen", email: "grace.nguyen@ironwoodconstruction.com", title: "Project Lead", tags: ["indecisive"] },
];
// By name, as the list sorts them.
const BY_NAME = PEOPLE.map((p) => `${p.first} ${p.last}`).sort();

describe("record lists", () => {
  const id = uniqueSuffix();
  const owner = { name: "Maximilian Lindqvist", email: `max.${id}@example.com`, password: `lists-pass-${id}` };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;

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

  const table = (p: Page = page) => p.getByRole("table");
  const row = (name: string, p: Page = page) => table(p).getByRole("row").filter({ hasText: name });
  /** The names the list shows, in its order. */
  const names = () => table().locator("tbody tr td:nth-child(2)").allInnerTexts();
  /** The same signed-in member in a window of another size. */
  const sized = async (width: number, height: number) =>
    (await browser.newContext({ viewport: { width, height }, storageState: await context.storageState() })).newPage();

  it("signs up and fills the lists", async () => {
    await signUpOwner(page, owner, `Lists Co ${id}`);
    await expectDashboardOf(page, `Lists Co ${id}`);
    const [m] = await db`select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const orgId: string = m.org_id;
    const [harbor] = await db`insert into companies (org_id, name, owner_id) values (${orgId}, 'Harbor Light Insurance', ${m.user_id}) returning id`;
    await db`insert into companies (org_id, name, owner_id) values (${orgId}, 'Ironwood Construction', ${m.user_id})`;
    for (const [i, p] of PEOPLE.entries()) {
      await db`
        insert into people (org_id, first_name, last_name, email, phone, title, company_id, tags, owner_id, last_contacted_at)
        values (${orgId}, ${p.first}, ${p.last}, ${p.email}, ${`+1512555021${i}`}, ${p.title}, ${harbor.id}, ${p.tags}, ${m.user_id},
                '2026-11-30 10:15:00+00'::timestamptz - ${i} * interval '1 day')`;
    }
    await db`
      insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, owner_id)
      select ${orgId}, d.name, s.pipeline_id, s.id, d.pos, 100000, 'USD', ${m.user_id}
      from pipeline_stages s cross join (values ('Alpha renewal', 1), ('Beta expansion', 2)) as d(name, pos)
      where s.org_id = ${orgId} and s.name = 'Qualified'`;
    await db`
      insert into tasks (org_id, title, assignee_id)
      values (${orgId}, 'Call Alpha about the renewal', ${m.user_id}), (${orgId}, 'Email Beta the proposal', ${m.user_id})`;
  });

  it("suggests the org's tags as a tag filter is typed, and takes them from the keyboard", async () => {
    await page.goto(appUrl("/people"));
    await row("Hannah Schmidt").waitFor();
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const builder = page.getByRole("dialog", { name: "Add filter" });
    await builder.getByLabel("Field").selectOption({ label: "Tags" });
    expect(await builder.getByLabel("Condition").inputValue()).toBe("in");
    const box = builder.getByRole("combobox", { name: "Values" });
    await box.pressSequentially("decision");
    const options = builder.getByRole("listbox", { name: "Matching tags" }).getByRole("option");
    // The tags holding the text, the most used first; "indecisive" does not hold "decision".
    await expect.poll(() => options.allInnerTexts()).toEqual(["decision-maker", "decision-pending"]);
    const highlighted = builder.getByRole("listbox", { name: "Matching tags" }).getByRole("option", { selected: true });
    expect(await highlighted.innerText()).toBe("decision-maker");
    await box.press("ArrowDown");
    expect(await highlighted.innerText()).toBe("decision-pending");
    await expectAccessible(page);
    await box.press("ArrowUp");
    await box.press("Enter");
    const chosen = builder.getByRole("list", { name: "Chosen tags" }).getByRole("listitem");
    await expect.poll(() => chosen.allInnerTexts()).toEqual(["decision-maker"]);
    expect(await box.inputValue()).toBe("");

    // Whatever the case typed; a chosen tag is not offered again.
    await box.pressSequentially("DECISION");
    await expect.poll(() => options.allInnerTexts()).toEqual(["decision-pending"]);
    await box.press("Enter");
    await expect.poll(() => chosen.allInnerTexts()).toEqual(["decision-maker", "decision-pending"]);
    await builder.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("f").includes("tags:in:decision-maker,decision-pending"));
    await expect
      .poll(async () => (await names()).sort())
      .toEqual(["Ethan Walker", "Hannah Schmidt", "Noah Johnson", "Priya Shah"]);
  });

  it("opens an applied filter from its chip and replaces it with the change", async () => {
    const chip = page.getByRole("button", { name: "Edit filter: Tags has any of decision-maker, decision-pending" });
    await chip.click();
    const editor = page.getByRole("dialog", { name: "Edit filter" });
    expect(await editor.getByLabel("Field").inputValue()).toBe("tags");
    const chosen = editor.getByRole("list", { name: "Chosen tags" }).getByRole("listitem");
    expect(await chosen.allInnerTexts()).toEqual(["decision-maker", "decision-pending"]);
    await editor.getByRole("button", { name: "Remove decision-pending" }).click();
    await editor.getByRole("button", { name: "Update filter" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("f").join("|") === "tags:in:decision-maker");
    await expect
      .poll(async () => (await names()).sort())
      .toEqual(["Ethan Walker", "Hannah Schmidt", "Noah Johnson"]);

    // A text filter opens with its value, and the change takes its place.
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const builder = page.getByRole("dialog", { name: "Add filter" });
    await builder.getByLabel("Field").selectOption({ label: "Name" });
    await builder.getByLabel("Value").fill("Ha");
    await builder.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("f").includes("name:contains:Ha"));
    await page.getByRole("button", { name: "Edit filter: Name contains Ha" }).click();
    const value = page.getByRole("dialog", { name: "Edit filter" }).getByLabel("Value");
    expect(await value.inputValue()).toBe("Ha");
    await value.fill("Hannah");
    await value.press("Enter");
    await page.waitForURL((u) => u.searchParams.getAll("f").join("|") === "tags:in:decision-maker|name:contains:Hannah");
    await expect.poll(names).toEqual(["Hannah Schmidt"]);
  });

  it("selects a range of rows with Shift-click, and clears a range the same way", async () => {
    await page.goto(appUrl("/people?sort=name"));
    await expect.poll(names).toEqual(BY_NAME);
    const box = (i: number) => page.getByRole("checkbox", { name: `Select ${BY_NAME[i]}` });
    const checked = async () => {
      const out: string[] = [];
      for (const [i, name] of BY_NAME.entries()) if (await box(i).isChecked()) out.push(name);
      return out;
    };
    const selected = page.getByRole("region", { name: "Bulk actions" });

    await box(1).click();
    await box(5).click({ modifiers: ["Shift"] });
    expect(await checked()).toEqual(BY_NAME.slice(1, 6));
    await selected.getByText("5 people selected").waitFor();

    // Unticking a box and Shift-clicking another clears the rows between them.
    await box(3).click();
    await box(5).click({ modifiers: ["Shift"] });
    expect(await checked()).toEqual(BY_NAME.slice(1, 3));
    await selected.getByText("2 people selected").waitFor();

    // Upwards too.
    await box(6).click();
    await box(4).click({ modifiers: ["Shift"] });
    expect(await checked()).toEqual([...BY_NAME.slice(1, 3), ...BY_NAME.slice(4, 7)]);
  });

  it("shows the Owner and Last contacted columns whole at 1440 × 900, beside long emails and titles", async () => {
    const wide = await sized(1440, 900);
    await wide.goto(appUrl("/people"));
    await row("Hannah Schmidt", wide).waitFor();
    const cut = await table(wide).evaluate((t) => {
      const frame = t.parentElement!.getBoundingClientRect();
      const heads = [...t.querySelectorAll("thead th")];
      const problems: string[] = [];
      for (const label of ["Owner", "Last contacted"]) {
        const column = heads.findIndex((th) => th.textContent?.trim() === label);
        if (column < 0) {
          problems.push(`no ${label} column`);
          continue;
        }
        const cells = [heads[column], ...[...t.querySelectorAll("tbody tr")].map((tr) => tr.children[column])];
        for (const cell of cells) {
          const r = cell.getBoundingClientRect();
          if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.right > innerWidth)
            problems.push(`${label}: "${cell.textContent}" lies at ${Math.round(r.left)}–${Math.round(r.right)}, outside ${Math.round(frame.left)}–${Math.round(frame.right)}`);
          for (const el of [cell, ...cell.querySelectorAll("*")]) {
            if (el.scrollWidth > el.clientWidth + 0.5 && getComputedStyle(el).overflowX !== "visible")
              problems.push(`${label}: "${el.textContent}" is clipped (${el.scrollWidth} > ${el.clientWidth})`);
          }
        }
        if (!cells.slice(1).some((c) => c.textContent?.trim())) problems.push(`${label} shows nothing`);
      }
      return problems;
    });
    expect(cut).toEqual([]);
    expect(await row("Hannah Schmidt", wide).innerText()).toContain("Maximilian Lindqvist");
    await wide.context().close();
  });

  it("shows people as cards at 390 px, still selectable, with nothing scrolling sideways", async () => {
    const phone = await sized(390, 844);
    await phone.goto(appUrl("/people?sort=name"));
    const card = row("Hannah Schmidt", phone);
    await card.waitFor();
    const layout = await card.evaluate((tr) => {
      const t = tr.closest("table")!;
      const [, name, ...rest] = [...tr.children].map((td) => ({ text: (td as HTMLElement).innerText, box: td.getBoundingClientRect(), shown: td.getClientRects().length > 0 }));
      return {
        pageWidth: document.documentElement.scrollWidth,
        viewport: innerWidth,
        tableOverflow: t.parentElement!.scrollWidth - t.parentElement!.clientWidth,
        name,
        rest: rest.filter((c) => c.shown),
      };
    });
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.tableOverflow).toBeLessThanOrEqual(0);
    // The name on top, each other value on a line of its own below it, all inside the screen.
    expect(layout.rest.map((c) => c.text).join(" | ")).toContain("Maximilian Lindqvist");
    expect(layout.rest.map((c) => c.text).join(" | ")).toContain("hannah.schmidt@acmelogisticsgroup.com");
    for (const c of [layout.name, ...layout.rest]) {
      expect(c.box.left, c.text).toBeGreaterThanOrEqual(0);
      expect(c.box.right, c.text).toBeLessThanOrEqual(layout.viewport);
    }
    for (const c of layout.rest) expect(c.box.top, c.text).toBeGreaterThanOrEqual(layout.name.box.bottom - 0.5);

    await expectAccessible(phone);
    await phone.getByRole("checkbox", { name: "Select Hannah Schmidt" }).click();
    await phone.getByRole("region", { name: "Bulk actions" }).getByText("1 person selected").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

    for (const path of ["/companies", "/deals/list", "/tasks/list"]) {
      await phone.goto(appUrl(path));
      await table(phone).getByRole("row").nth(1).waitFor();
      const overflow = await table(phone).evaluate((t) => ({
        page: document.documentElement.scrollWidth - innerWidth,
        table: t.parentElement!.scrollWidth - t.parentElement!.clientWidth,
      }));
      expect(Math.max(overflow.page, overflow.table), path).toBeLessThanOrEqual(0);
    }
    await phone.context().close();
  });

  describe.each([
    { list: "/companies", filter: "name:contains:Harbor", shown: "Harbor Light Insurance", hidden: "Ironwood Construction" },
    { list: "/deals/list", filter: "name:contains:Alpha", shown: "Alpha renewal", hidden: "Beta expansion" },
    { list: "/tasks/list", filter: "title:contains:Alpha", shown: "Call Alpha about the renewal", hidden: "Email Beta the proposal" },
  ])("a saved view of $list", ({ list, filter, shown, hidden }) => {
    it("opens from its link with the view's filters, under the view's plain name", async () => {
      await page.goto(appUrl(`${list}?${new URLSearchParams({ f: filter })}`));
      await row(shown).waitFor();
      await page.getByRole("button", { name: "Views" }).click();
      await page.getByRole("menuitem", { name: "Save view…" }).click();
      const dialog = page.getByRole("dialog", { name: "Save view" });
      await dialog.getByLabel("Name").fill(`Only ${shown}`);
      await dialog.getByRole("button", { name: "Save view" }).click();
      await page.waitForURL((u) => !!u.searchParams.get("view"));
      const viewId = new URL(page.url()).searchParams.get("view");

      const shared = await context.newPage();
      try {
        await shared.goto(appUrl(`${list}?view=${viewId}`));
        await shared.waitForURL((u) => u.searchParams.getAll("f").includes(filter));
        await row(shown, shared).waitFor();
        expect(await row(hidden, shared).count()).toBe(0);
        const label = shared.getByRole("button", { name: new RegExp(`^Only ${shown}`) });
        await label.waitFor();
        expect((await label.innerText()).trim()).toBe(`Only ${shown}`);
      } finally {
        await shared.close();
      }
    });
  });
});
