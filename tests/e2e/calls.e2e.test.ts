// Calls on the embedded runtime. A member logs a call made outside Covey
// from a person's page ("Log call": who called, outcome, minutes, notes) and
// finds it on the person's timeline at once, with its outcome and duration.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

describe("calls", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let personId: string;
  const notes = `Walked her through the quote; calls back Friday. ${uniqueSuffix()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [maria] = await db`select id from people where first_name = 'Maria' and last_name = 'Gonzalez'`;
    personId = maria.id;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("logs a call made outside Covey from a person's page, on the timeline at once", async () => {
    await signIn(page, "sam.member@covey.local");
    await page.goto(appUrl(`/people/${personId}`));
    await page.getByRole("button", { name: "Log call" }).click();
    const dialog = page.getByRole("dialog", { name: "Log a call" });
    await dialog.getByLabel("Outcome").selectOption({ label: "Left voicemail" });
    await dialog.getByLabel("Duration (minutes)").fill("-2");
    await dialog.getByRole("button", { name: "Log call" }).click();
    const described = await dialog.getByLabel("Duration (minutes)").getAttribute("aria-describedby");
    expect(await dialog.locator(`[id="${described}"]`).textContent()).toBe("Minutes between 0 and 1440");
    await dialog.getByLabel("Duration (minutes)").fill("3");
    await expect.poll(() => dialog.getByLabel("Duration (minutes)").getAttribute("aria-invalid")).toBeNull();
    await expect.poll(() => dialog.locator(`[id="${described}"]`).count()).toBe(0);
    await dialog.getByLabel("Notes").fill(notes);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/calls-log-dialog.png" });
    await dialog.getByRole("button", { name: "Log call" }).click();
    await dialog.waitFor({ state: "hidden" });

    const item = shown(page).locator('li[data-kind="call_logged"]').filter({ hasText: notes });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getByTestId("timeline-call-status").textContent()).toBe("Left voicemail · 3:00");
    expect(await item.textContent()).toContain("logged a call to this person at +1");
    const [row] = await db`select outcome, duration_seconds, source from calls where notes = ${notes}`;
    expect(row).toEqual({ outcome: "left_voicemail", duration_seconds: 180, source: "manual" });
    await page.screenshot({ path: "/tmp/calls-timeline.png", fullPage: true });
  });
});
