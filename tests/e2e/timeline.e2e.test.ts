// A person's timeline: a formatted note that survives a reload, a note
// carrying an XSS payload that never runs, a half-typed due date refused, and
// a task due today that shows on the record and under Today in /tasks, then
// gets completed; a slip in the due date's year is refused, and a task stored
// with one still lists.
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("record timeline", () => {
  const id = uniqueSuffix();
  const owner = { name: "Nora Notes", email: `nora.${id}@example.com`, password: `notes-pass-${id}` };

  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;
  let personId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ timezoneId: "America/Los_Angeles" });
    page = await context.newPage();
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const editor = () => page.getByRole("textbox", { name: "Note" });
  const timeline = () => page.getByRole("list", { name: "Timeline" });

  it("signs up and opens a new person", async () => {
    await signUpOwner(page, owner, `Activity Co ${id}`);

    const [member] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const [person] = await db`
      insert into people (org_id, first_name, last_name, email, owner_id)
      values (${member.org_id}, 'Linus', 'Ledger', ${`linus.${id}@example.com`}, ${member.user_id}) returning id`;
    personId = person.id;
    await page.goto(appUrl(`/people/${personId}`));
    await editor().waitFor();
    await timeline().getByText("created this person").waitFor();
    await expectAccessible(page);
  });

  it("saves a note with bold text and a bulleted list that renders formatted after reload", async () => {
    await editor().click();
    await page.keyboard.type("Met at the ");
    await page.keyboard.press("ControlOrMeta+b");
    await page.keyboard.type("trade fair");
    await page.keyboard.press("ControlOrMeta+b");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Bulleted list" }).click();
    await page.keyboard.type("Wants a demo");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Budget in Q3");
    await page.getByRole("button", { name: "Save note" }).click();
    await timeline().locator("strong", { hasText: "trade fair" }).waitFor();

    await page.reload();
    const note = timeline().locator('li[data-kind="note"]').first();
    await note.locator("strong", { hasText: "trade fair" }).waitFor();
    expect(await note.locator("ul > li").allInnerTexts()).toEqual(["Wants a demo", "Budget in Q3"]);
    await expect.poll(async () => (await editor().innerText()).trim()).toBe("");
  });

  it("never runs script from a note", async () => {
    await page.evaluate(() => {
      (window as unknown as { __xss?: number }).__xss = 0;
    });
    const payload = `<p>Look<img src=x onerror="window.__xss=1;alert('xss')"></p><script>window.__xss=2</script>`;
    // Pasted HTML goes through the editor; the server sanitises whatever arrives.
    await editor().click();
    await page.evaluate((html) => {
      const target = document.querySelector('[role="textbox"][aria-multiline="true"]')!;
      const data = new DataTransfer();
      data.setData("text/html", html);
      data.setData("text/plain", "Look");
      target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, payload);
    await page.keyboard.type(` onerror=alert(1) <img src=x onerror=alert(1)>`);
    await page.getByRole("button", { name: "Save note" }).click();
    await timeline().getByText("onerror=alert(1)", { exact: false }).first().waitFor();
    await page.reload();
    await timeline().getByText("onerror=alert(1)", { exact: false }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? 0)).toBe(0);
    expect(await timeline().locator("img, script").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("adds a task due today on the record, lists it under Today in /tasks, and completes it", async () => {
    const today = await page.evaluate(() => new Date().toLocaleDateString("en-CA"));
    await page.getByRole("textbox", { name: "Add a task" }).fill("Send the proposal");
    // Month and day, no year: the box's value reads as empty, and the task is refused rather than saved undated.
    await shown(page).getByLabel("Due date").focus();
    await page.keyboard.type("0314");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Finish the date (month, day and year) or clear it" }).waitFor();
    expect(await db`select 1 from tasks where title = 'Send the proposal'`).toHaveLength(0);
    await shown(page).getByLabel("Due date").fill(today);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const openTasks = page.getByRole("list", { name: "Open tasks" });
    await openTasks.getByRole("link", { name: "Send the proposal" }).waitFor();
    await openTasks.getByText("Today").waitFor();
    await timeline().getByText("created task").waitFor();
    await expectAccessible(page);

    await page.goto(appUrl("/tasks"));
    const todayGroup = page.getByRole("list", { name: /^Today/ });
    await todayGroup.getByRole("link", { name: "Send the proposal" }).waitFor();
    await todayGroup.getByRole("link", { name: "Linus Ledger" }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-tasks.png", fullPage: true });

    await todayGroup.getByRole("checkbox", { name: 'Complete "Send the proposal"' }).click();
    await shown(page).getByText("You have no open tasks.").waitFor();
    const [task] = await db`select status, completed_at from tasks where title = 'Send the proposal'`;
    expect(task.status).toBe("done");
    expect(task.completed_at).toBeInstanceOf(Date);

    await page.goto(appUrl(`/people/${personId}`));
    await shown(page).getByText("No open tasks.").waitFor();
    await timeline().getByText("completed task").waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-timeline.png", fullPage: true });
  });

  it("refuses a slip in the due date's year, and still opens a record holding a task due in such a year", async () => {
    await page.goto(appUrl(`/people/${personId}`));
    await page.getByRole("textbox", { name: "Add a task" }).fill("Renew the lease");
    // 2026 typed with a slip: month 08, day 20, year 0026, a date the box accepts.
    await shown(page).getByLabel("Due date").focus();
    await page.keyboard.type("08200026");
    expect(await shown(page).getByLabel("Due date").inputValue()).toBe("0026-08-20");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Enter a year from 1900 to 2999" }).waitFor();
    expect(await db`select 1 from tasks where title = 'Renew the lease'`).toHaveLength(0);

    // Such a task, stored before the year was checked, no longer fails the pages listing it.
    await db`
      insert into tasks (org_id, title, due_at, all_day, person_id, assignee_id)
      select org_id, 'Renew the old lease', '0026-08-20', true, id, owner_id from people where id = ${personId}`;
    await page.reload();
    const openTasks = page.getByRole("list", { name: "Open tasks" });
    await openTasks.getByRole("link", { name: "Renew the old lease" }).waitFor();
    expect(await openTasks.innerText()).toContain("Aug 20");
    expect(await openTasks.innerText()).not.toContain("Invalid");
    await page.goto(appUrl("/tasks"));
    await page.getByRole("list", { name: /^Overdue/ }).getByRole("link", { name: "Renew the old lease" }).waitFor();
  });

  it("is accessible in the dark theme", async () => {
    const dark = await browser.newContext({ colorScheme: "dark", storageState: await context.storageState() });
    const p = await dark.newPage();
    await p.goto(appUrl(`/people/${personId}`));
    await p.getByRole("list", { name: "Timeline" }).waitFor();
    await expectAccessible(p);
    await p.screenshot({ path: "/tmp/covey-e2e-timeline-dark.png", fullPage: true });
    await p.goto(appUrl("/tasks/list"));
    await p.getByRole("table").first().waitFor();
    await expectAccessible(p);
    await dark.close();
  });
});
