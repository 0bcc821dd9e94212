// One time zone per member: with the browser in New York, a deal's stage
// history, its timeline, its tasks and /tasks show New York times; once the
// profile names Pacific/Auckland, all of them, the CSV export and an
// invitation email show Auckland's, and "Use my browser's zone" brings New
// York back.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("time zone", () => {
  const id = uniqueSuffix();
  const owner = { name: "Tui Zone", email: `tui.${id}@example.com`, password: `zone-pass-${id}` };

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let dealId: string;

  // The deal was created, and entered its stage, at 20:30 UTC on March 3 (in
  // New York 3:30 PM that day, in Auckland 9:30 AM the next); its task is due
  // a day later.
  const movedAt = "2026-03-03T20:30:00Z";
  const dueAt = "2026-03-04T20:30:00Z";
  const at = (text: string) => new RegExp(text.replace(/ (AM|PM)/, "\\s$1"));

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ timezoneId: "America/New_York" })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const history = () => page.getByRole("list", { name: "Stage history" });
  const timeline = () => page.getByRole("list", { name: "Timeline" });
  const created = () => timeline().locator('li[data-kind="created"]').locator("time");
  const openTasks = () => page.getByRole("list", { name: "Open tasks" });

  async function openDeal() {
    await page.goto(appUrl(`/deals/${dealId}`));
    await page.getByRole("heading", { level: 1, name: "Kauri Ltd renewal" }).waitFor();
  }

  async function chooseZone(label: string) {
    await page.goto(appUrl("/settings/profile"));
    // A choice made before React hydrates the form is reset by it.
    await page.waitForFunction(() => {
      const select = document.querySelector('select[name="timeZone"]');
      return !!select && Object.keys(select).some((k) => k.startsWith("__reactProps$"));
    });
    await shown(page).getByLabel("Time zone").selectOption({ label });
    await page.getByRole("button", { name: "Save" }).click();
    await shown(page).getByText("Profile saved").waitFor();
  }

  it("signs up in New York with a deal that moved and a task that is due", async () => {
    await signUpOwner(page, owner, `Zone Co ${id}`);
    const [m] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const [deal] = await db`
      insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency, owner_id)
      select ${m.org_id}, 'Kauri Ltd renewal', s.pipeline_id, s.id, 500000, 'USD', ${m.user_id}
      from pipeline_stages s where s.org_id = ${m.org_id} and s.name = 'Qualified'
      returning id`;
    dealId = deal.id;
    await db`update deal_stage_history set changed_at = ${movedAt} where deal_id = ${dealId}`;
    await db`update timeline_events set occurred_at = ${movedAt} where deal_id = ${dealId}`;
    await db`
      insert into tasks (org_id, title, due_at, all_day, assignee_id, deal_id)
      values (${m.org_id}, 'Call about the renewal', ${dueAt}, false, ${m.user_id}, ${dealId})`;
  });

  it("shows every time in the browser's zone while the profile names none", async () => {
    await openDeal();
    await history().getByText(at("Mar 3, 2026, 3:30 PM")).waitFor();
    await expect.poll(() => created().innerText()).toMatch(at("Mar 3, 2026, 3:30 PM"));
    await openTasks().getByText(at("Mar 4, 3:30 PM")).waitFor();
  });

  it("offers the browser's zone by default and saves Pacific/Auckland", async () => {
    await page.goto(appUrl("/settings/profile"));
    const select = shown(page).getByLabel("Time zone");
    expect(await select.inputValue()).toBe("");
    expect(await select.locator("option:checked").innerText()).toBe("Use my browser's zone (America/New York)");
    await expectAccessible(page);
    await chooseZone("Pacific/Auckland");
    await page.reload();
    expect(await shown(page).getByLabel("Time zone").inputValue()).toBe("Pacific/Auckland");
  });

  it("shows the deal's stage history, timeline and tasks in Auckland time", async () => {
    await openDeal();
    expect(await history().locator("time").innerText()).toMatch(at("Mar 4, 2026, 9:30 AM"));
    expect(await created().innerText()).toMatch(at("Mar 4, 2026, 9:30 AM"));
    expect(await openTasks().locator("time").innerText()).toMatch(at("Mar 5, 9:30 AM"));
    expect(await shown(page).getByText(at("3:30 PM")).count()).toBe(0);
  });

  it("shows /tasks in Auckland time", async () => {
    await page.goto(appUrl("/tasks"));
    // Read in the main region: a streamed boundary's content also sits,
    // hidden, in a container outside it for a moment.
    const main = page.getByRole("main");
    await main.getByText("Open tasks by due date (Pacific/Auckland time).").waitFor();
    const row = main.getByRole("listitem").filter({ hasText: "Call about the renewal" });
    expect(await row.locator("time").innerText()).toMatch(at("Mar 5, 9:30 AM"));
  });

  it("shows the tasks list's Due column in Auckland time, and filters its days by Auckland's calendar", async () => {
    await page.goto(appUrl(`/tasks/list?cols=title,due_at&f=${encodeURIComponent("due_at:eq:2026-03-05")}`));
    const row = page.getByRole("row").filter({ hasText: "Call about the renewal" });
    expect(await row.locator("time").innerText()).toMatch(at("Mar 5, 2026, 9:30 AM"));
    await page.goto(appUrl(`/tasks/list?cols=title,due_at&f=${encodeURIComponent("due_at:eq:2026-03-04")}`));
    await shown(page).getByText("No tasks match your search and filters").waitFor();
  });

  it("exports the task's due time in Auckland time with its offset", async () => {
    const csv = await page.evaluate(async () => (await fetch("/api/crm/export/task?cols=title,due_at")).text());
    expect(csv).toContain("Call about the renewal,2026-03-05T09:30:00+13:00");
  });

  it("emails an invitation whose expiry is in Auckland time, naming the zone", async () => {
    const invitee = `kea.${id}@example.com`;
    await page.goto(appUrl("/settings/members"));
    const form = page.getByRole("form", { name: "Invite a teammate" });
    await form.getByLabel("Email").fill(invitee);
    await form.getByRole("button", { name: "Send invite" }).click();
    await shown(page).getByText(`Invitation sent to ${invitee}`).waitFor();
    const [invite] = await db`select expires_at from org_invites where email = ${invitee}`;
    const expiry = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Pacific/Auckland" }).format(
      invite.expires_at,
    );
    await page.goto(appUrl(`/dev/mailbox?to=${encodeURIComponent(invitee)}`));
    const mail = shown(page).locator('[data-testid="mail"][data-tag="invite"]').first();
    expect(await mail.innerText()).toContain(`expires on ${expiry} (Pacific/Auckland time).`);
  });

  it("goes back to the browser's zone", async () => {
    await chooseZone("Use my browser's zone (America/New York)");
    await openDeal();
    expect(await history().locator("time").innerText()).toMatch(at("Mar 3, 2026, 3:30 PM"));
    expect(await openTasks().locator("time").innerText()).toMatch(at("Mar 4, 3:30 PM"));
  });
});
