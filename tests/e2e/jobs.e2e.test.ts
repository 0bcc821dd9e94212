// An admin's journey through Settings → Jobs: a job that failed for good
// (a jobs.prune queued with a bad payload, run by the real jobs function under
// Deno) shows as dead with its error and attempts; once its data is fixed,
// Retry runs it again and it shows as succeeded, with both attempts.
import type { Browser, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signIn, uniqueSuffix, shown } from "../support/browser";

describe("jobs: an admin retries a dead job", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let jobId: string;
  const error = "keep_days must be a whole number of days from 1 to 3650; got 0";
  const row = () => shown(page).locator(`tr[data-job-id="${jobId}"]`);

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [{ id }] = await db`
      select private.enqueue_job('jobs.prune', '{"keep_days": 0}', o.id, ${`e2e-${uniqueSuffix()}`}, now(), 3)::text as id
      from orgs o where o.name = 'Covey Demo'`;
    jobId = id;
    // The demo org's admin, not its owner: the suite's other journeys sign in
    // as the owner, and sign-in allows 8 tries per address in 5 minutes.
    await signIn(page, "alex.admin@covey.local");
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });

  it("shows the dead job with its error and attempts", async () => {
    // The commit woke the function: the job fails for good on its first attempt.
    await expect.poll(async () => (await db`select status from jobs where id = ${jobId}`)[0].status, { timeout: 30_000 }).toBe("dead");
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
    await page.getByRole("link", { name: /^Dead \d+/ }).click();
    await page.waitForURL(/view=dead/);
    await row().waitFor();
    expect(await row().getByText("Dead", { exact: true }).count()).toBe(1);
    await row().getByText(error).waitFor();
    await row().getByText("1 / 3").waitFor();

    await row().getByRole("button", { name: /jobs\.prune.*show attempts/ }).click();
    const tries = page.getByRole("list", { name: `Attempts of job ${jobId}` });
    await tries.getByText("Attempt 1").waitFor();
    expect(await tries.getByRole("listitem").count()).toBe(1);
    await tries.getByText("Failed").waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-jobs-dead.png", fullPage: true });
  });

  it("retries it and sees it succeed", async () => {
    // What made it fail is fixed in its data; Retry runs it again now.
    await db`update jobs set payload = '{"keep_days": 30}' where id = ${jobId}`;
    await row().getByRole("button", { name: "Retry" }).click();
    await shown(page).getByText("Job queued to run now").waitFor();
    await row().waitFor({ state: "detached" });

    await page.getByRole("link", { name: /^Succeeded \d+/ }).click();
    await page.waitForURL(/view=succeeded/);
    // The page re-reads itself while jobs are in flight, so no reload is needed.
    await row().getByText("Succeeded", { exact: true }).waitFor({ timeout: 30_000 });
    await row().getByRole("button", { name: /show attempts/ }).click();
    const tries = page.getByRole("list", { name: `Attempts of job ${jobId}` });
    await tries.getByText("Succeeded").waitFor();
    expect(await tries.getByRole("listitem").allInnerTexts()).toEqual([
      expect.stringMatching(/Attempt 1[\s\S]*Failed[\s\S]*keep_days must be/),
      expect.stringMatching(/Attempt 1 \(retried\)[\s\S]*Succeeded/),
    ]);
    expect(await row().getByRole("button", { name: "Retry" }).count()).toBe(0);
    await page.screenshot({ path: "/tmp/covey-e2e-jobs-succeeded.png", fullPage: true });
  });
});
