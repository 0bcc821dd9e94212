// Meta Lead Ads on the embedded runtime: the demo owner finds the demo page
// connected in Settings → Integrations → Meta with its token masked (and
// nowhere in the page), tests the connection against the Graph API
// stand-in, is told clearly when a replacement token is refused, and edits
// a form's mapping. The page passes an accessibility scan.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_META } from "@/supabase/local/meta-graph";
import { expectAccessible, launchBrowser, signIn, waitForPath } from "../support/browser";

describe("Meta Lead Ads", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the connected demo page with its token masked", async () => {
    await signIn(page, "demo@covey.local");
    await page.getByRole("link", { name: "Integrations", exact: true }).click();
    await waitForPath(page, "/settings/integrations/meta");
    await page.getByRole("heading", { level: 1, name: "Meta Lead Ads" }).waitFor();
    const card = page.getByRole("region", { name: `Page ${DEMO_META.pageName}` }).or(page.locator(`[aria-label="Page ${DEMO_META.pageName}"]`));
    await card.first().waitFor();
    expect(await page.getByTestId("meta-token").textContent()).toBe(`••••••••${DEMO_META.token.slice(-4)}`);
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
    expect(await page.getByTestId("meta-token").textContent()).toBe(`••••••••${DEMO_META.token.slice(-4)}`);
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
});
