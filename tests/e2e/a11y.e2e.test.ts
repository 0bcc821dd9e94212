// Automated accessibility checks (axe) on the signed-out pages and the app
// shell, in the light and the dark theme.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signIn, shown } from "../support/browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(["light", "dark"] as const)("accessibility (%s theme)", (colorScheme) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ colorScheme });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
  });

  async function expectTheme() {
    const dark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
    expect(dark).toBe(colorScheme === "dark");
  }

  it("the sign-in page", async () => {
    await page.goto(appUrl("/sign-in"));
    await page.getByRole("heading", { level: 1, name: "Sign in to Covey" }).waitFor();
    await expectTheme();
    await expectAccessible(page);
    await page.screenshot({ path: `/tmp/covey-e2e-sign-in-${colorScheme}.png` });
  });

  it("the sign-up page", async () => {
    await page.goto(appUrl("/sign-up"));
    await page.getByRole("heading", { level: 1, name: "Create your organization" }).waitFor();
    await expectAccessible(page);
  });

  it("the dashboard (app shell)", async () => {
    await signIn(page, "demo@covey.local");
    await shown(page).getByTestId("member-count").waitFor();
    await expectTheme();
    await expectAccessible(page);
    await page.screenshot({ path: `/tmp/covey-e2e-dashboard-${colorScheme}.png` });
  });

  it("the Members page", async () => {
    await page.goto(appUrl("/settings/members"));
    await page.getByRole("table", { name: "Members" }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: `/tmp/covey-e2e-members-${colorScheme}.png`, fullPage: true });
  });
});
