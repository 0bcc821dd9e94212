// Meta Lead Ads on the embedded runtime: the demo owner finds the demo page
// connected in Settings → Integrations → Meta with its token masked (and
// nowhere in the page), tests the connection against the Graph API
// stand-in, is told clearly when a replacement token is refused, and edits
// a form's mapping. Then, playing a Facebook user on /dev/meta, it submits a
// lead that goes through the real meta-webhook function (signed as Meta
// signs) and the fetch job to become exactly one lead of the demo org; the
// lead appears in /leads with its Meta badge. The pages pass an
// accessibility scan.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_META } from "@/supabase/local/meta-graph";
import { appUrl, expectAccessible, launchBrowser, signIn, uniqueSuffix, waitForPath, shown } from "../support/browser";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("Meta Lead Ads", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("shows the connected demo page with its token masked", async () => {
    // The demo org's admin, not its owner: the suite's other journeys sign in
    // as the owner, and sign-in allows 8 tries per address in 5 minutes.
    await signIn(page, "alex.admin@covey.local");
    await page.getByRole("link", { name: "Integrations", exact: true }).click();
    await waitForPath(page, "/settings/integrations");
    await page.getByRole("link", { name: "Open Meta Lead Ads settings" }).click();
    await waitForPath(page, "/settings/integrations/meta");
    await page.getByRole("heading", { level: 1, name: "Meta Lead Ads" }).waitFor();
    const card = page.getByRole("region", { name: `Page ${DEMO_META.pageName}` }).or(shown(page).locator(`[aria-label="Page ${DEMO_META.pageName}"]`));
    await card.first().waitFor();
    expect(await shown(page).getByTestId("meta-token").textContent()).toBe(`••••••••${DEMO_META.token.slice(-4)}`);
    // Neither the rendered page nor its RSC payload carries the token.
    expect(await page.content()).not.toContain(DEMO_META.token);
    const forms = page.getByRole("table", { name: `Lead forms of ${DEMO_META.pageName}` });
    await expect(forms.getByRole("checkbox", { name: `${DEMO_META.formName} creates leads` }).getAttribute("data-state")).resolves.toBe("checked");
    await expect(forms.getByRole("checkbox", { name: `${DEMO_META.otherFormName} creates leads` }).getAttribute("data-state")).resolves.toBe("unchecked");
    await expectAccessible(page);
  });

  it("tests the connection with Meta", async () => {
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByRole("status").filter({ hasText: `Connected to ${DEMO_META.pageName}: token valid` }).waitFor();
  });

  it("says why a replacement token is refused, beside the field", async () => {
    await page.getByRole("button", { name: "Replace token" }).click();
    const dialog = page.getByRole("dialog", { name: "Replace the page token" });
    await dialog.getByLabel("Page access token").fill("EAAGthisTokenMetaHasNeverIssued");
    await dialog.getByRole("button", { name: "Replace token" }).click();
    await dialog.getByText(/Meta refused: Invalid OAuth access token/).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await shown(page).getByTestId("meta-token").textContent()).toBe(`••••••••${DEMO_META.token.slice(-4)}`);
  });

  it("edits a form's mapping", async () => {
    const row = page.getByRole("row").filter({ hasText: DEMO_META.formName });
    await row.getByRole("button", { name: "Mapping" }).click();
    const dialog = page.getByRole("dialog", { name: `Field mapping: ${DEMO_META.formName}` });
    await dialog.getByLabel(/^ZIP code/).selectOption("custom");
    await expect(dialog.getByLabel("Custom field key for ZIP code").inputValue()).resolves.toBe("custom:zip_code".slice(7));
    await dialog.getByRole("button", { name: "Save mapping" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByRole("button", { name: "Mapping" }).click();
    await expect(dialog.getByLabel(/^ZIP code/).inputValue()).resolves.toBe("custom");
    await expectAccessible(page);
    await page.keyboard.press("Escape");
  });

  it("turns a lead submitted as a Facebook user into one lead in /leads, with its Meta badge, within seconds", async () => {
    const suffix = uniqueSuffix();
    const name = `Faye Book${suffix}`;
    const email = `fb.${suffix}@example.com`;
    await page.goto(appUrl("/dev/meta"));
    await page.getByRole("heading", { level: 1, name: "Dev: submit a Meta lead" }).waitFor();
    await expectAccessible(page);
    await shown(page).getByLabel("Full name").fill(name);
    await shown(page).getByLabel("Email").fill(email);
    await shown(page).getByLabel("Phone number").fill("(212) 736-5000");
    await shown(page).getByLabel("State").fill("New York");
    await shown(page).getByLabel("How did you hear about us?").fill("A friend");
    await page.getByRole("button", { name: "Submit lead" }).click();
    const sent = page.getByRole("status").filter({ hasText: "the meta-webhook function answered 200" });
    await sent.waitFor();
    const leadgenId = (await sent.locator(".font-mono").textContent())!;

    // The list has no live updates: look again until the fetch job has made the lead.
    const row = page.getByRole("table").getByRole("row").filter({ hasText: name });
    await until("the lead in /leads", async () => {
      await page.goto(appUrl("/leads"));
      await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
      return (await row.count()) > 0;
    });
    await expect(row.locator("[data-tag]", { hasText: "Meta" }).count()).resolves.toBe(1);
    expect(await row.innerText()).toContain(email);

    const [lead] = await db`select l.phone, l.state, l.message, l.attribution, o.name as org
                            from leads l join orgs o on o.id = l.org_id where l.external_id = ${leadgenId}`;
    expect(lead).toMatchObject({
      phone: "+12127365000",
      state: "NY",
      message: "How did you hear about us?: A friend",
      attribution: expect.objectContaining({ page_id: DEMO_META.pageId, form_id: DEMO_META.formId }),
      org: "Covey Demo",
    });
    expect(await db`select count(*)::int as n from leads where email = ${email}`).toEqual([{ n: 1 }]);
  });
});
