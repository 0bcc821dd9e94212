// Important dates: an owner adds a date three days ahead to a uniquely named
// deal from its page's "Important dates" panel, sees it counted down there and
// on the deal's timeline, finds it in the dashboard's "Upcoming dates", and,
// once the reminder job runs (queued as the hourly schedule queues it), gets
// the reminder in the bell and in the mailbox.
import type { Browser, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signUpOwner, uniqueSuffix } from "../support/browser";

const dayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const longDate = (day: string) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

describe("important dates: add, see upcoming, get reminded", () => {
  const id = uniqueSuffix();
  const owner = { name: "Dana Dates", email: `dana.${id}@example.com`, password: `dates-pass-${id}` };
  const dealName = `Harbor renewal ${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let dealId: string;
  let ownerId: string;
  const day = dayPlus(3);
  const panel = () => page.getByRole("region", { name: "Important dates" });

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    await signUpOwner(page, owner, `Dates Co ${id}`);
    const [member] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    ownerId = member.user_id;
    // The member's days are UTC's, as the test reckons "three days ahead".
    await db`update profiles set time_zone = 'UTC' where user_id = ${ownerId}`;
    [{ id: dealId }] = await db`
      insert into deals (org_id, name, pipeline_id, stage_id, currency, owner_id)
      select ${member.org_id}, ${dealName}, s.pipeline_id, s.id, 'USD', ${ownerId}
        from pipeline_stages s join pipelines p on p.id = s.pipeline_id
       where p.org_id = ${member.org_id} order by p.position, s.position limit 1
      returning id`;
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });

  it("adds a date three days ahead from the deal's page, counted down and on the timeline", async () => {
    await page.goto(appUrl(`/deals/${dealId}`));
    await panel().getByText("No important dates yet.").waitFor();
    await panel().getByRole("button", { name: "Add date" }).click();
    const form = page.getByRole("form", { name: "Add an important date" });
    // A bad year is refused on its field, nothing saved.
    await form.getByLabel("Kind").fill("Renewal");
    await form.getByLabel("Date").fill("0026-08-20");
    await form.getByRole("button", { name: "Add date" }).click();
    await form.getByText("Enter a year from 1900 to 2999").waitFor();
    expect(await form.getByLabel("Date").getAttribute("aria-invalid")).toBe("true");

    await form.getByLabel("Date").fill(day);
    await form.getByLabel("Remind the owner").selectOption({ label: "3 days before" });
    await form.getByLabel("Note").fill("Send the new quote");
    await form.getByRole("button", { name: "Add date" }).click();
    await form.waitFor({ state: "detached" });

    const item = panel().getByRole("listitem");
    await item.getByText("in 3 days").waitFor();
    expect(await item.innerText()).toContain("Renewal");
    expect(await item.innerText()).toContain(longDate(day));
    expect(await item.innerText()).toContain("Reminder 3 days before");
    expect(await item.innerText()).toContain("Send the new quote");
    await shown(page).getByText(`added the date Renewal, ${longDate(day)}`).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-dates-deal.png", fullPage: true });
  });

  it("edits the date's note in place of the old one", async () => {
    await panel().getByRole("button", { name: `Edit Renewal on ${longDate(day)}` }).click();
    const form = page.getByRole("form", { name: "Edit the date" });
    await form.getByLabel("Note").fill("Send the new quote and the terms");
    await form.getByRole("button", { name: "Save date" }).click();
    await form.waitFor({ state: "detached" });
    await panel().getByText("Send the new quote and the terms").waitFor();
    await shown(page).getByText("changed the date Renewal").waitFor();
  });

  it("lists it under Upcoming dates on the dashboard, linked to the deal", async () => {
    await page.goto(appUrl("/"));
    const card = page.getByRole("region", { name: "Upcoming dates" });
    const row = card.getByRole("listitem").filter({ hasText: dealName });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Renewal[\s\S]*in 3 days/);
    expect(await card.getByTestId("upcoming-dates-summary").innerText()).toBe("1 in the next 14 days");
    // Everyone's names each deal's owner.
    await card.getByRole("button", { name: "Everyone's" }).click();
    await expect.poll(() => row.innerText()).toContain(owner.name);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-dates-dashboard.png", fullPage: true });
    await row.getByRole("link", { name: dealName }).click();
    await page.waitForURL(appUrl(`/deals/${dealId}`));
  });

  it("reminds the owner in the bell and by email when the reminder job runs", async () => {
    // Today is the reminder day (three days before): the job, queued as the
    // hourly schedule queues it, is run by the local jobs function at once.
    await db`select private.enqueue_job('deal_dates.remind', '{}', null, ${`e2e-dates-${id}`})`;
    const title = `Renewal in 3 days: ${dealName}`;
    const bell = page.getByRole("banner").getByRole("button", { name: /^Notifications/ });
    await expect.poll(() => bell.getAttribute("aria-label"), { timeout: 30_000 }).toBe("Notifications, 1 unread");
    await bell.click();
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();
    await page.screenshot({ path: "/tmp/covey-e2e-dates-bell.png" });
    await expect
      .poll(async () => (await db`select subject from local_dev.mailbox where to_address = ${owner.email} and tag = 'date_reminder'`).map((m) => m.subject), {
        timeout: 30_000,
      })
      .toEqual([title]);
  });
});
