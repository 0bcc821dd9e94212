// Leads that arrive as cases, on the surrogacy demo org (Bloom Surrogacy
// Partners, the surrogacy template): a Facebook user fills in Bloom's lead
// form on /dev/meta, the real meta-webhook function and fetch job make the
// lead, and the template's lead settings make it a case at once. The intake
// specialist finds the case with its source (Meta, the campaign and the
// form) and moves it to Qualified; the Conversions API event is sent to the
// Graph API stand-in, once, and the owner sees it under Settings →
// Integrations → Meta.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SURROGACY_DEMO_META } from "@/supabase/local/meta-graph";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("Meta leads that arrive as cases", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  const id = uniqueSuffix();
  const name = `Sadie Surrogate${id}`;
  const email = `sadie.${id}@example.com`;
  let dealId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("makes a Meta lead a case with its source, and reports it to Meta once when intake qualifies it", async () => {
    // The intake specialist plays the Facebook user too: /dev/meta is for signed-in members.
    await signIn(page, "ivy.intake@covey.local");
    await page.goto(appUrl("/dev/meta"));
    await page.getByRole("heading", { level: 1, name: "Dev: submit a Meta lead" }).waitFor();
    await shown(page).getByLabel("Lead form").selectOption({ label: SURROGACY_DEMO_META.formName });
    await shown(page).getByLabel("Full name").fill(name);
    await shown(page).getByLabel("Email").fill(email);
    await shown(page).getByLabel("State").fill("Texas");
    await page.getByRole("button", { name: "Submit lead" }).click();
    await page.getByRole("status").filter({ hasText: "the meta-webhook function answered 200" }).waitFor();
    dealId = await until("the case", async () => (await db`select deal_id from leads where email = ${email}`)[0]?.deal_id as string);
    const [lead] = await db`select id, external_id, attribution from leads where email = ${email}`;

    await page.goto(appUrl(`/deals/${dealId}`));
    await page.getByRole("heading", { level: 1, name }).waitFor();
    const source = shown(page).getByTestId("deal-lead-source");
    expect(await source.first().textContent()).toContain(
      `Source: Meta · campaign ${lead.attribution.campaign_id}, ad set ${lead.attribution.adgroup_id}, ad ${lead.attribution.ad_id}, form ${SURROGACY_DEMO_META.formId}`,
    );
    const stage = page.getByRole("navigation", { name: "Stage" });
    await expect(stage.getByRole("button", { name: "Stage New" }).getAttribute("aria-current")).resolves.toBe("step");
    await page.screenshot({ path: "test-results/leadcases-case.png", fullPage: true });

    await stage.getByRole("button", { name: "Stage Qualified" }).click();
    await until("the move", async () => (await stage.getByRole("button", { name: "Stage Qualified" }).getAttribute("aria-current")) === "step");
    await expectAccessible(page);
    const sent = await until(
      "the conversion event",
      async () => (await db`select event_name, status from meta_conversion_events where lead_id = ${lead.id} and status = 'sent'`)[0],
    );
    expect(sent).toEqual({ event_name: "qualified", status: "sent" });

    // Back to Contacted and Qualified again: Meta is told once.
    await stage.getByRole("button", { name: "Stage Contacted" }).click();
    await until("the move back", async () => (await stage.getByRole("button", { name: "Stage Contacted" }).getAttribute("aria-current")) === "step");
    await stage.getByRole("button", { name: "Stage Qualified" }).click();
    await until("the move again", async () => (await stage.getByRole("button", { name: "Stage Qualified" }).getAttribute("aria-current")) === "step");
    expect(await db`select count(*)::int as n from jobs where kind = 'meta.send_conversion' and payload ->> 'lead_id' = ${lead.id}`).toEqual([{ n: 1 }]);
  });

  it("shows the owner the event sent for the case in the page's conversion log", async () => {
    const owner = await (await browser.newContext()).newPage();
    await signIn(owner, "bloom@covey.local");
    const [lead] = await db`select id from leads where email = ${email}`;
    const events = owner.getByRole("table", { name: `Conversion events of ${SURROGACY_DEMO_META.pageName}` });
    const row = events.getByRole("row").filter({ has: owner.locator(`a[href="/leads/${lead.id}"]`) });
    await owner.goto(appUrl("/settings/integrations/meta"));
    await owner.getByRole("heading", { level: 1, name: "Meta Lead Ads" }).waitFor();
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain("qualified");
    expect(text).toContain("Sent");
    const stages = owner.getByRole("form", { name: "Conversions API stages" });
    await expect(stages.getByRole("listitem", { name: "Stage Cases: Qualified" }).getByLabel("Send Meta the event").inputValue()).resolves.toBe("qualified");
    await owner.screenshot({ path: "test-results/leadcases-meta.png", fullPage: true });
    await expectAccessible(owner);

    // Where each source's leads go is the org's data, shown and changed in Settings → Leads.
    await owner.goto(appUrl("/settings/leads"));
    const targets = owner.getByRole("region", { name: "Leads that arrive as deals" });
    const meta = targets.getByRole("listitem", { name: "Where Meta leads go" }).getByRole("combobox");
    await expect(meta.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).resolves.toBe("Cases: New");
    await owner.screenshot({ path: "test-results/leadcases-settings.png", fullPage: true });
    await expectAccessible(owner);
  });
});
