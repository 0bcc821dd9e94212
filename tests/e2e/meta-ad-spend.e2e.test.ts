// Meta ad spend on the embedded runtime: the demo org's admin finds the demo
// ad account in Settings → Integrations → Meta with its token masked,
// disconnects it, is told beside the field when Meta refuses a token,
// connects the account again with its real token, and sees the 30-day
// import land: the last 7 days' spend, the leads of its campaigns and the
// cost per lead, as the database has them. The page passes an
// accessibility scan.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_AD_ACCOUNT } from "@/supabase/local/meta-graph";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, waitForPath } from "../support/browser";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const usd = (amount: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(amount);

describe("Meta ad spend", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  const row = () => shown(page).getByTestId(`ad-account-${DEMO_AD_ACCOUNT.accountId}`);

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("shows the demo ad account with its token masked", async () => {
    // The demo org's admin: the suite's other journeys sign in as the owner,
    // and sign-in allows 8 tries per address in 5 minutes.
    await signIn(page, "alex.admin@covey.local");
    await page.goto(appUrl("/settings/integrations/meta"));
    await waitForPath(page, "/settings/integrations/meta");
    await page.getByRole("table", { name: "Ad spend, last 7 days" }).waitFor();
    await row().waitFor();
    expect(await row().getByTestId("ad-account-token").textContent()).toBe(`••••••••${DEMO_AD_ACCOUNT.token.slice(-4)}`);
    expect(await page.content()).not.toContain(DEMO_AD_ACCOUNT.token);
  });

  it("disconnects the ad account, with its spend", async () => {
    await page.getByRole("button", { name: `Disconnect ${DEMO_AD_ACCOUNT.name}` }).click();
    const confirm = page.getByRole("alertdialog", { name: `Disconnect ${DEMO_AD_ACCOUNT.name}?` });
    await confirm.getByRole("button", { name: "Disconnect ad account" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.getByRole("table", { name: "Ad spend, last 7 days" }).waitFor({ state: "detached" });
    expect(await db`select count(*)::int as n from meta_ad_spend s join meta_ad_accounts a on a.id = s.ad_account_id
                    where a.account_id = ${DEMO_AD_ACCOUNT.accountId}`).toEqual([{ n: 0 }]);
  });

  it("says beside the field why Meta refuses a token, then connects the account with its real one", async () => {
    await page.getByRole("button", { name: "Connect an ad account" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a Meta ad account" });
    await dialog.getByLabel("Ad account ID").fill(DEMO_AD_ACCOUNT.accountId);
    await dialog.getByLabel("Access token").fill("EAAGthisTokenMetaHasNeverIssued");
    await dialog.getByRole("button", { name: "Connect ad account" }).click();
    await dialog.getByText(/Meta refused: Invalid OAuth access token/).waitFor();
    expect(await dialog.getByLabel("Access token").getAttribute("aria-invalid")).toBe("true");

    await dialog.getByLabel("Access token").fill(DEMO_AD_ACCOUNT.token);
    await dialog.getByRole("button", { name: "Connect ad account" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row().waitFor();
    expect(await row().innerText()).toContain(DEMO_AD_ACCOUNT.name);
  });

  it("shows the imported spend of the last 7 days, the leads of its campaigns and the cost per lead", async () => {
    // A lead from the Spring promo campaign today, as a Meta lead ad would make it.
    const [org] = await db`select org_id from meta_ad_accounts where account_id = ${DEMO_AD_ACCOUNT.accountId}`;
    await db`insert into leads (org_id, source, first_name, last_name, email, attribution)
             values (${org.org_id}, 'meta', 'Spring', 'Lead', 'spring.lead@example.com',
                     ${db.json({ campaign_id: DEMO_AD_ACCOUNT.campaigns[0].id, page_id: "100000000000001" })})`;

    // The import runs in the background: look again until it has landed.
    await until("the 30-day import", async () => {
      await page.reload();
      await row().waitFor();
      return (await row().innerText()).includes("Imported");
    });
    const [week] = await db`
      with a as (select id, org_id, time_zone, (now() at time zone time_zone)::date as today from meta_ad_accounts
                 where account_id = ${DEMO_AD_ACCOUNT.accountId})
      select (select sum(s.spend)::float8 from meta_ad_spend s where s.ad_account_id = a.id and s.date > a.today - 7) as spend,
             (select count(distinct s.date)::int from meta_ad_spend s where s.ad_account_id = a.id) as days,
             (select count(*)::int from leads l
               where l.org_id = a.org_id and l.created_at >= ((a.today - 6)::timestamp at time zone a.time_zone)
                 and l.attribution ->> 'campaign_id' in (select s.campaign_id from meta_ad_spend s
                                                         where s.ad_account_id = a.id and s.date > a.today - 7)) as leads
      from a`;
    expect(week.days).toBe(30);
    expect(week.leads).toBeGreaterThanOrEqual(1);
    expect(await row().getByTestId("ad-spend-week").innerText()).toContain(usd(week.spend));
    expect(await row().getByTestId("ad-leads-week").innerText()).toBe(String(week.leads));
    expect(await row().getByTestId("ad-cpl-week").innerText()).toBe(usd(Math.round((week.spend * 100) / week.leads) / 100));
    await expectAccessible(page);
  });
});
