// Entering records from the keyboard: the company and person pickers of the
// person and deal forms (type, Enter picks the only match, Tab moves on and
// never lands on a clear button, the person list narrows to the chosen
// company).
import postgres from "postgres";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix } from "../support/browser";

describe("keyboard entry", () => {
  const id = uniqueSuffix();
  const owner = { name: "Kira Keys", email: `kira.${id}@example.com`, password: `keys-pass-${id}` };
  const acme = `Acme Rockets ${id}`;
  const bolt = `Bolt Motors ${id}`;

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;
  let ritaId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ timezoneId: "America/New_York" })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

  it("signs up with two companies and their people", async () => {
    await signUpOwner(page, owner, `Keys Co ${id}`);
    const [m] = await db`select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m.org_id;
    const [a] = await db`insert into companies (org_id, name) values (${orgId}, ${acme}) returning id`;
    const [b] = await db`insert into companies (org_id, name) values (${orgId}, ${bolt}) returning id`;
    const people = await db`
      insert into people (org_id, first_name, last_name, company_id, owner_id)
      values (${orgId}, 'Rita', 'Rocket', ${a.id}, ${m.user_id}),
             (${orgId}, 'Ravi', 'Rocket', ${a.id}, ${m.user_id}),
             (${orgId}, 'Rhea', 'Bolt', ${b.id}, ${m.user_id})
      returning id, first_name`;
    ritaId = people.find((p) => p.first_name === "Rita")!.id;
  });

  it("picks a company on the person form by typing and Enter, then Tab moves to the next field", async () => {
    await page.goto(appUrl("/people?new=1"));
    const form = page.getByRole("form", { name: "New person" });
    await form.getByLabel("First name").fill("Kim");
    const company = form.getByRole("combobox", { name: "Company" });
    await company.focus();
    await page.keyboard.type("bolt mot");
    const only = page.getByRole("option", { name: bolt });
    await expect.poll(() => only.getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("listbox", { name: "Companies" }).getByRole("option").count()).toBe(1);
    await page.keyboard.press("Enter");
    await expect.poll(() => company.inputValue()).toBe(bolt);
    expect(await page.getByRole("listbox").count()).toBe(0);

    await page.keyboard.press("Tab");
    expect(await isFocused(form.getByLabel("Email", { exact: true }))).toBe(true);
    await page.keyboard.type("kim@example.com");
    expect(await company.inputValue()).toBe(bolt);
    await page.keyboard.press("Shift+Tab");
    expect(await isFocused(company)).toBe(true);

    await form.getByRole("button", { name: "Create person" }).click();
    await form.waitFor({ state: "detached" });
    // The list refreshes with the new person before the page moves on.
    await page.getByRole("table").getByRole("row").filter({ hasText: "kim@example.com" }).waitFor();
    const [kim] = await db`select c.name from people p join companies c on c.id = p.company_id where p.org_id = ${orgId} and p.first_name = 'Kim'`;
    expect(kim?.name).toBe(bolt);
  });

  it("picks a company and a person from the deal form's keyboard, the people narrowed to the company", async () => {
    await page.goto(appUrl("/deals?new=1"));
    const form = page.getByRole("form", { name: "New deal" });
    await form.getByLabel("Name").fill(`Rocket fuel ${id}`);
    const company = form.getByRole("combobox", { name: "Company" });
    const person = form.getByRole("combobox", { name: "Person" });
    await company.focus();
    await page.keyboard.type("acme");
    await expect.poll(() => page.getByRole("option", { name: acme }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => company.inputValue()).toBe(acme);

    // The clear button is for the mouse: Tab goes from the company to the person.
    await page.keyboard.press("Tab");
    expect(await isFocused(person)).toBe(true);
    expect(await form.getByRole("button", { name: "Clear company" }).getAttribute("tabindex")).toBe("-1");

    await page.keyboard.press("ArrowDown");
    const narrowed = page.getByRole("listbox", { name: `People at ${acme}` });
    await narrowed.getByRole("option", { name: "Rita Rocket" }).waitFor();
    await narrowed.getByRole("option", { name: "Ravi Rocket" }).waitFor();
    expect(await narrowed.getByRole("option", { name: "Rhea Bolt" }).count()).toBe(0);

    await page.keyboard.type("rhea");
    await page.getByText("No people at this company match").waitFor();
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => narrowed.getByRole("option", { name: "Search all people" }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    const all = page.getByRole("listbox", { name: "People" });
    await expect.poll(() => all.getByRole("option", { name: "Rhea Bolt" }).getAttribute("aria-selected")).toBe("true");

    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("rita");
    await expect.poll(() => page.getByRole("option", { name: "Rita Rocket" }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => person.inputValue()).toBe("Rita Rocket");
    await page.keyboard.press("Tab");
    expect(await isFocused(form.getByLabel("Expected close"))).toBe(true);
    expect(await person.inputValue()).toBe("Rita Rocket");

    // Emptying a picker's box and leaving it clears the choice.
    await company.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Tab");
    expect(await form.getByRole("button", { name: "Clear company" }).count()).toBe(0);
    expect(await company.inputValue()).toBe("");
    await company.focus();
    await page.keyboard.type("acme");
    await expect.poll(() => page.getByRole("option", { name: acme }).getAttribute("aria-selected")).toBe("true");
    // Tab takes the highlighted match as it moves on.
    await page.keyboard.press("Tab");
    expect(await isFocused(person)).toBe(true);
    expect(await company.inputValue()).toBe(acme);
    await expectAccessible(page);

    await form.getByRole("button", { name: "Create deal" }).click();
    await form.waitFor({ state: "detached" });
    await page.locator(`[data-testid="deal-card"][data-deal="Rocket fuel ${id}"]`).waitFor();
    const [deal] = await db`
      select c.name as company, p.full_name as person from deals d
        join companies c on c.id = d.company_id join people p on p.id = d.person_id
       where d.org_id = ${orgId} and d.name = ${`Rocket fuel ${id}`}`;
    expect(deal).toEqual({ company: acme, person: "Rita Rocket" });
  });
});
