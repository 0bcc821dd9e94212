// Lead settings and Conversions API stages on the embedded runtime, as the
// demo org's admin. In Settings → Lead settings the admin is told beside the
// field when a label is missing, adds a source and a status, moves the
// status up with the keyboard, and then uses both on a new lead, whose list
// row and page show their labels. Archiving the status moves its lead to
// another status first; the archived source stays on the lead.
// Then a lead submitted on /dev/meta is qualified on its page, and
// Settings → Integrations → Meta shows the conversion event sent to Meta
// within seconds, under the event name the admin chose for the stage.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_META } from "@/supabase/local/meta-graph";
import { appUrl, dndAnnounced, dndPickedUp, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("lead settings", () => {
  const id = uniqueSuffix();
  const source = `Trade show ${id}`;
  const status = `Contacted ${id}`;
  const leadName = `Tara Trade${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let leadUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const statuses = () => page.getByRole("list", { name: "Lead statuses" });
  const statusOrder = async () =>
    (await statuses().getByRole("group").evaluateAll((groups) => groups.map((g) => g.getAttribute("aria-label")))).map((l) => l?.replace(/^Status /, ""));

  it("opens Settings → Lead settings and names the field when a label is missing", async () => {
    await signIn(page, "alex.admin@covey.local");
    await page.getByRole("navigation").getByRole("link", { name: "Lead settings" }).click();
    await waitForPath(page, "/settings/leads");
    await page.getByRole("heading", { level: 1, name: "Lead settings" }).waitFor();
    const add = page.getByRole("form", { name: "Add a source" });
    await add.getByRole("button", { name: "Add source" }).click();
    await add.getByText("Enter a label").waitFor();
    await expect(add.getByLabel("New source").getAttribute("aria-invalid")).resolves.toBe("true");
    await expectAccessible(page);
  });

  it("adds a source and a status, and moves the status up with the keyboard", async () => {
    const addSource = page.getByRole("form", { name: "Add a source" });
    await addSource.getByLabel("New source").fill(source);
    await addSource.getByRole("button", { name: "Add source" }).click();
    await page.getByRole("listitem", { name: `Source ${source}` }).waitFor();

    const addStatus = page.getByRole("form", { name: "Add a status" });
    await addStatus.getByLabel("New status").fill(status);
    await addStatus.getByRole("button", { name: "Add status" }).click();
    await statuses().getByRole("group", { name: `Status ${status}` }).waitFor();
    const before = await statusOrder();
    expect(before.at(-1)).toBe(status);

    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: `Reorder ${status}` }).focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, status);
    await page.keyboard.press("ArrowUp");
    await dndAnnounced(page, `${status} moved to position ${before.length - 1} of`);
    await page.keyboard.press("Space");
    await expect.poll(statusOrder).toEqual([...before.slice(0, -2), status, before.at(-2)]);
    // The order shows at once; the toast says the server has it.
    await shown(page).locator("[data-sonner-toast]").filter({ hasText: "Order of statuses saved" }).waitFor();
    // Saved: the order survives a reload.
    await page.reload();
    await expect.poll(statusOrder).toEqual([...before.slice(0, -2), status, before.at(-2)]);
    await page.screenshot({ path: "test-results/lead-settings.png", fullPage: true });
  });

  it("uses the new source and status on a lead, shown by their labels", async () => {
    await page.goto(appUrl("/leads"));
    await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
    await page.getByRole("button", { name: "New lead" }).first().click();
    const form = page.getByRole("form", { name: "New lead" });
    await form.getByLabel("First name").fill("Tara");
    await form.getByLabel("Last name").fill(`Trade${id}`);
    await form.getByLabel("Email").fill(`tara.${id}@example.com`);
    await form.getByLabel("Source").selectOption({ label: source });
    await form.getByRole("button", { name: "Create lead" }).click();
    await form.waitFor({ state: "detached" });
    const row = page.getByRole("table").getByRole("row").filter({ hasText: leadName });
    await expect.poll(() => row.locator("[data-tag]", { hasText: source }).count()).toBe(1);

    await row.getByRole("link", { name: leadName }).click();
    await page.getByRole("heading", { level: 1, name: leadName }).waitFor();
    leadUrl = page.url();
    await page.getByRole("button", { name: /^Status: / }).click();
    await page.getByRole("menuitemradio", { name: status }).click();
    await page.getByRole("button", { name: `Status: ${status}` }).waitFor();
    await page.getByRole("list", { name: "Status history" }).getByRole("listitem").filter({ hasText: status }).waitFor();
  });

  it("archives the status by moving its lead, and the source, which stays on the lead", async () => {
    await page.goto(appUrl("/settings/leads"));
    const group = statuses().getByRole("group", { name: `Status ${status}` });
    await group.getByRole("button", { name: `Archive ${status}` }).click();
    const archive = page.getByRole("form", { name: `Archive ${status}` });
    await archive.getByLabel("Move its 1 lead to").selectOption({ label: "Qualified" });
    await archive.getByRole("button", { name: "Move leads and archive" }).click();
    await page.getByRole("list", { name: "Archived statuses" }).getByRole("listitem", { name: `Status ${status}` }).waitFor();
    await page.getByRole("listitem", { name: `Source ${source}` }).getByRole("button", { name: `Archive ${source}` }).click();
    await page.getByRole("listitem", { name: `Source ${source}` }).getByRole("button", { name: `Restore ${source}` }).waitFor();

    await page.goto(leadUrl);
    await page.getByRole("button", { name: "Status: Qualified" }).waitFor();
    await expect(shown(page).locator(`[data-source]`).first().textContent()).resolves.toBe(source);
    await page.getByRole("button", { name: "Status: Qualified" }).click();
    expect(await page.getByRole("menuitemradio", { name: status }).count()).toBe(0);
    await page.keyboard.press("Escape");
  });

  it("reports a qualified Meta lead to Meta within seconds, under the event name chosen for the stage", async () => {
    await page.goto(appUrl("/settings/integrations/meta"));
    await page.getByRole("heading", { level: 1, name: "Meta Lead Ads" }).waitFor();
    const stages = page.getByRole("form", { name: "Conversions API stages" });
    const qualified = stages.getByRole("listitem", { name: "Stage Qualified" });
    await qualified.getByLabel("Send Meta the event").fill(`Qualified lead ${id}`);
    await stages.getByRole("button", { name: "Save stages" }).click();
    await expect.poll(() => qualified.getByLabel("Send Meta the event").inputValue()).toBe(`Qualified lead ${id}`);
    await expect
      .poll(async () => (await db`select event_name from meta_conversion_stages m join orgs o on o.id = m.org_id
                                  where o.name = 'Covey Demo' and m.status = 'qualified'`)[0]?.event_name)
      .toBe(`Qualified lead ${id}`);
    const card = page.getByRole("region", { name: `Page ${DEMO_META.pageName}` }).or(shown(page).locator(`[aria-label="Page ${DEMO_META.pageName}"]`)).first();
    const dataset = card.getByLabel("Conversions API dataset ID");
    if (!(await dataset.inputValue())) {
      await dataset.fill("555000111222");
      await card.getByRole("button", { name: "Save", exact: true }).click();
      await expect
        .poll(async () => (await db`select conversions_dataset_id from meta_pages where page_id = ${DEMO_META.pageId}`)[0]?.conversions_dataset_id)
        .toBe("555000111222");
    }
    await page.screenshot({ path: "test-results/meta-stages.png", fullPage: true });

    await page.goto(appUrl("/dev/meta"));
    await page.getByRole("heading", { level: 1, name: "Dev: submit a Meta lead" }).waitFor();
    const name = `Quinn Qual${id}`;
    await shown(page).getByLabel("Full name").fill(name);
    await shown(page).getByLabel("Email").fill(`quinn.${id}@example.com`);
    await page.getByRole("button", { name: "Submit lead" }).click();
    await page.getByRole("status").filter({ hasText: "the meta-webhook function answered 200" }).waitFor();
    const leadId = await until("the Meta lead", async () => (await db`select id from leads where email = ${`quinn.${id}@example.com`}`)[0]?.id as string);

    await page.goto(appUrl(`/leads/${leadId}`));
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByRole("button", { name: /^Status: / }).click();
    await page.getByRole("menuitemradio", { name: "Qualified" }).click();
    await page.getByRole("button", { name: "Status: Qualified" }).waitFor();

    // The send is queued by the change itself: no minute-long poll to wait for.
    const events = page.getByRole("table", { name: `Conversion events of ${DEMO_META.pageName}` });
    const sent = events.getByRole("row").filter({ hasText: `Qualified lead ${id}` }).filter({ hasText: "Sent" });
    await until(
      "the conversion event on the Meta page",
      async () => {
        await page.goto(appUrl("/settings/integrations/meta"));
        await page.getByRole("heading", { level: 1, name: "Meta Lead Ads" }).waitFor();
        return (await sent.count()) > 0;
      },
      15_000,
    );
    await sent.getByRole("link", { name: "Open lead" }).waitFor();
    await expectAccessible(page);
  });
});
