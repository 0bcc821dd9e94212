// Entering records from the keyboard: the company and person pickers of the
// person and deal forms (type, Enter picks the only match, Tab moves on and
// never lands on a clear button, the person list narrows to the chosen
// company), due-date presets and an optional time on the quick add and the
// task form, counted in the member's zone (their profile's, not the
// browser's), and Ctrl/Cmd-Enter saving a note.
import postgres from "postgres";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

// The profile's zone: its calendar date differs from UTC's and from the
// browser's (New York) at the time of the run, so a preset counted in either
// of those shows the wrong day.
const zone = new Date().getUTCHours() < 11 ? "Pacific/Pago_Pago" : "Pacific/Kiritimati";

/** The calendar dates the presets should give, worked out day by day. */
function expectedDates() {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const day = (n: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d;
  };
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  let monday = 1;
  while (day(monday).getUTCDay() !== 1) monday++;
  const businessDays = (n: number) => {
    let i = 0;
    for (let left = n; left > 0; ) {
      i++;
      if (day(i).getUTCDay() % 6 !== 0) left--;
    }
    return iso(day(i));
  };
  return { today, tomorrow: iso(day(1)), nextWeek: iso(day(monday)), businessDays };
}

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
    await db`update profiles set time_zone = ${zone} where user_id = ${m.user_id}`;
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
    // Escape closes the list, not the dialog around it.
    await page.keyboard.press("Escape");
    await narrowed.waitFor({ state: "detached" });
    expect(await form.isVisible()).toBe(true);
    expect(await isFocused(person)).toBe(true);

    await page.keyboard.type("rhea");
    await shown(page).getByText("No people at this company match").waitFor();
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
    // Enter in an emptied box clears the choice too, without sending the form.
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    await form.getByRole("button", { name: "Clear person" }).waitFor({ state: "detached" });
    expect(await form.isVisible()).toBe(true);
    await page.keyboard.type("rita");
    await expect.poll(() => page.getByRole("option", { name: "Rita Rocket" }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => person.inputValue()).toBe("Rita Rocket");
    await expectAccessible(page);

    await form.getByRole("button", { name: "Create deal" }).click();
    await form.waitFor({ state: "detached" });
    await shown(page).locator(`[data-testid="deal-card"][data-deal="Rocket fuel ${id}"]`).waitFor();
    const [deal] = await db`
      select c.name as company, p.full_name as person from deals d
        join companies c on c.id = d.company_id join people p on p.id = d.person_id
       where d.org_id = ${orgId} and d.name = ${`Rocket fuel ${id}`}`;
    expect(deal).toEqual({ company: acme, person: "Rita Rocket" });
  });

  it("sets a quick-add task's due date from a preset in the member's zone, with a time", async () => {
    const want = expectedDates();
    await page.goto(appUrl(`/people/${ritaId}`));
    await page.getByRole("textbox", { name: "Add a task" }).fill("Send the brochure");
    await page.getByRole("button", { name: "Date presets" }).click();
    await page.getByRole("button", { name: /^Tomorrow/ }).click();
    await expect.poll(() => shown(page).getByLabel("Due date").inputValue()).toBe(want.tomorrow);
    await shown(page).getByLabel("Due time").fill("09:30");
    await page.getByRole("button", { name: "Add", exact: true }).click();

    const openTasks = page.getByRole("list", { name: "Open tasks" });
    await openTasks.getByRole("link", { name: "Send the brochure" }).waitFor();
    await openTasks.getByText(/9:30\sAM/).waitFor();
    const [task] = await db`
      select all_day, to_char(due_at at time zone ${zone}, 'YYYY-MM-DD HH24:MI') as local
        from tasks where org_id = ${orgId} and title = 'Send the brochure'`;
    expect(task).toEqual({ all_day: false, local: `${want.tomorrow} 09:30` });
  });

  it("sets the task form's due date from each preset, N business days typed", async () => {
    const want = expectedDates();
    await page.goto(appUrl("/tasks?new=1"));
    const dialog = page.getByRole("dialog", { name: "New task" });
    const form = dialog.getByRole("form", { name: "New task" });
    await form.getByLabel("Title").fill("Follow up on the quote");
    const due = form.getByLabel("Due date");
    const preset = async (name: RegExp) => {
      await form.getByRole("button", { name: "Date presets" }).click();
      await page.getByRole("button", { name }).click();
    };
    await preset(/^Today/);
    await expect.poll(() => due.inputValue()).toBe(want.today);
    await preset(/^Next week/);
    await expect.poll(() => due.inputValue()).toBe(want.nextWeek);
    await form.getByRole("button", { name: "Date presets" }).click();
    await shown(page).getByLabel("Business days").fill("3");
    await expectAccessible(page);
    await page.getByRole("button", { name: /^In 3 business days/ }).click();
    await expect.poll(() => due.inputValue()).toBe(want.businessDays(3));
    await form.getByRole("button", { name: "Create task" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: "Follow up on the quote" }).waitFor();
    const [task] = await db`
      select all_day, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD') as day
        from tasks where org_id = ${orgId} and title = 'Follow up on the quote'`;
    expect(task).toEqual({ all_day: true, day: want.businessDays(3) });
  });

  it("saves a note with Ctrl-Enter and with Cmd-Enter", async () => {
    await page.goto(appUrl(`/people/${ritaId}`));
    const editor = page.getByRole("textbox", { name: "Note" });
    const timeline = page.getByRole("list", { name: "Timeline" });
    for (const [text, keys] of [
      ["Asked for the price list", "Control+Enter"],
      ["Sent the price list", "Meta+Enter"],
    ]) {
      await editor.click();
      await page.keyboard.type(text);
      await page.keyboard.press(keys);
      await timeline.getByText(text).waitFor();
      await expect.poll(async () => (await editor.innerText()).trim()).toBe("");
    }
    const notes = await db`select count(*)::int as n from notes where org_id = ${orgId} and person_id = ${ritaId}`;
    expect(notes[0].n).toBe(2);
  });
});
