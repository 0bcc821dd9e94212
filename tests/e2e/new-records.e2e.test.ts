// `?new=1` (where the command palette's "New …" quick actions link) opens the
// page's create dialog; closing it drops `new` from the URL so a reload does
// not open it again. The task dialog refuses a half-typed due date and
// creates a task with every field.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("new records from the URL", () => {
  const id = uniqueSuffix();
  const owner = { name: "Nina New", email: `nina.${id}@example.com`, password: `new-pass-${id}` };

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("signs up", async () => {
    await signUpOwner(page, owner, `New Co ${id}`);
    await expectDashboardOf(page, `New Co ${id}`);
    const [m] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m?.org_id;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });

  for (const [path, title] of [
    ["/people", "New person"],
    ["/companies", "New company"],
    ["/deals", "New deal"],
  ] as const) {
    it(`${path}?new=1 opens "${title}" once; closing drops new=1`, async () => {
      await page.goto(appUrl(`${path}?new=1`));
      const dialog = page.getByRole("dialog", { name: title });
      await dialog.waitFor();
      // The empty list shows a second "New …" button; only one dialog opens.
      expect(await page.getByRole("dialog").count()).toBe(1);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      await expect.poll(() => new URL(page.url()).searchParams.has("new")).toBe(false);
      await page.reload();
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.getByRole("button", { name: title }).first().waitFor();
      expect(await page.getByRole("dialog").count()).toBe(0);
    });
  }

  it("refuses a half-typed due date with a message instead of saving the task without one", async () => {
    await page.goto(appUrl("/tasks?new=1"));
    const dialog = page.getByRole("dialog", { name: "New task" });
    const form = dialog.getByRole("form", { name: "New task" });
    await form.getByLabel("Title").fill("Call back about the invoice");
    // Month and day, no year: the box's value reads as empty.
    await form.getByLabel("Due date").focus();
    await page.keyboard.type("0314");
    await form.getByRole("button", { name: "Create task" }).click();
    await form.getByText("Finish the date (month, day and year) or clear it").waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("dueDate");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    const tasks = await db`select title from tasks where org_id = ${orgId}`;
    expect(tasks).toEqual([]);
  });

  it("/tasks?new=1 opens the task dialog, which creates a task with every field", async () => {
    await page.goto(appUrl("/tasks?new=1"));
    const dialog = page.getByRole("dialog", { name: "New task" });
    await dialog.waitFor();
    await expectAccessible(page);
    const form = dialog.getByRole("form", { name: "New task" });
    await form.getByLabel("Title").fill("Prepare the quarterly review");
    await form.getByLabel("Description").fill("Numbers from finance first");
    await form.getByLabel("Due date").fill("2031-03-14");
    await form.getByLabel("Priority").click();
    await page.getByRole("option", { name: "High" }).click();
    await form.getByRole("button", { name: "Create task" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => new URL(page.url()).searchParams.has("new")).toBe(false);
    await shown(page).getByText("Prepare the quarterly review").waitFor();

    const [task] = await db`select t.title, t.description, t.priority, t.all_day, t.due_at, u.email as assignee
                            from tasks t join auth.users u on u.id = t.assignee_id where t.org_id = ${orgId}`;
    expect(task).toMatchObject({
      title: "Prepare the quarterly review",
      description: "Numbers from finance first",
      priority: "high",
      all_day: true,
      assignee: owner.email,
    });
    expect(new Date(task.due_at).toISOString()).toBe("2031-03-14T00:00:00.000Z");
  });
});
