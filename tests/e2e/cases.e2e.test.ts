// A surrogacy agency's cases, in the demo agency: intake (Ivy, a member)
// creates a case from the surrogate's contact details and sees its number in
// the list and on its page; the same email again is refused, naming and
// linking the case already there; she flags the case priority and the list
// highlights it. The case manager (Carmen, a manager) assigns it from the
// list's bulk bar, which a member is not offered. The journey makes its own
// uniquely named people and removes its cases afterwards.
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

describe("cases", () => {
  const suffix = uniqueSuffix();
  const first = "Journey";
  const last = `Case${suffix}`;
  const fullName = `${first} ${last}`;
  const email = `journey.case.${suffix}@example.com`.toLowerCase();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: postgres.Sql;
  let casesId: string;
  let listPath: string;
  let caseId: string;
  let padded: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [cases] = await db`
      select p.id from pipelines p join orgs o on o.id = p.org_id where o.name = 'Bloom Surrogacy Partners' and p.name = 'Cases'`;
    casesId = cases.id;
    listPath = `/deals/list?f=pipeline:eq:${casesId}&q=${encodeURIComponent(last)}`;
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await db`delete from deals where person_id in (select id from people where email = ${email})`;
    await db`delete from people where email = ${email}`;
    await db?.end();
  });

  const row = () => page.getByRole("row").filter({ hasText: fullName });

  it("creates a case from the surrogate's contact details and shows its number", async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await signIn(page, "ivy.intake@covey.local");
    await page.goto(appUrl(listPath));
    await page.getByRole("button", { name: "New case" }).click();
    const dialog = page.getByRole("dialog", { name: "New case" });
    await dialog.getByLabel("First name").fill(first);
    await dialog.getByLabel("Last name").fill(last);
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Phone").fill("(512) 555-0199");
    await dialog.getByLabel("State").fill("Texas");
    await page.screenshot({ path: "/tmp/covey-e2e-new-case.png" });
    await dialog.getByRole("button", { name: "Create case" }).click();
    await dialog.waitFor({ state: "hidden" });

    const [made] = await db`select d.id, d.number, p.state, p.phone from deals d join people p on p.id = d.person_id where p.email = ${email}`;
    expect(made).toMatchObject({ state: "TX", phone: "+15125550199" });
    caseId = made.id;
    padded = String(made.number).padStart(5, "0");
    await row().waitFor();
    expect(await row().getByRole("cell", { name: padded, exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-cases-list.png", fullPage: true });

    // Typed by its number with its zeros, the list finds it.
    await page.goto(appUrl(`/deals/list?f=pipeline:eq:${casesId}&q=${padded}`));
    await row().waitFor();

    await row().getByRole("link", { name: padded }).click();
    await waitForPath(page, `/deals/${caseId}`);
    expect(await shown(page).getByTestId("deal-number").innerText()).toBe(`No. ${padded}`);
  });

  it("refuses the same email for a second case, naming and linking the case already there", async () => {
    await page.goto(appUrl(listPath));
    await page.getByRole("button", { name: "New case" }).click();
    const dialog = page.getByRole("dialog", { name: "New case" });
    await dialog.getByLabel("First name").fill("Someone");
    await dialog.getByLabel("Email").fill(email.toUpperCase());
    await dialog.getByRole("button", { name: "Create case" }).click();
    await dialog.getByText(`This person already has an open case on Cases: No. ${padded} "${fullName}"`).first().waitFor();
    await page.screenshot({ path: "/tmp/covey-e2e-case-duplicate.png" });
    const link = dialog.getByRole("link", { name: "Open the existing case" });
    expect(await link.getAttribute("href")).toBe(`/deals/${caseId}`);
    const [{ n }] = await db`select count(*)::int as n from deals d join people p on p.id = d.person_id where p.email = ${email}`;
    expect(n).toBe(1);
    await link.click();
    await waitForPath(page, `/deals/${caseId}`);
  });

  it("flags the case priority on its page, and the list highlights it", async () => {
    const flag = page.getByRole("button", { name: "Priority" });
    expect(await flag.getAttribute("aria-pressed")).toBe("false");
    await flag.click();
    await expect.poll(() => flag.getAttribute("aria-pressed")).toBe("true");
    await page.screenshot({ path: "/tmp/covey-e2e-case-page.png", fullPage: true });
    const [{ priority }] = await db`select priority from deals where id = ${caseId}`;
    expect(priority).toBe(true);

    await page.goto(appUrl(listPath));
    await row().waitFor();
    expect(await row().getAttribute("data-highlight")).toBe("true");
    expect(await row().locator('[data-tag][data-value="true"]').innerText()).toBe("Priority");
    // A member works records; assigning them in bulk is a manager's.
    await row().getByRole("checkbox").check();
    await page.getByRole("region", { name: "Bulk actions" }).waitFor();
    expect(await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Assign" }).count()).toBe(0);
    await context.close();
  });

  it("lets the case manager assign the case from the list's bulk bar", async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await signIn(page, "carmen.cases@covey.local");
    await page.goto(appUrl(listPath));
    await row().waitFor();
    await row().getByRole("checkbox").check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await bar.getByRole("button", { name: "Assign" }).click();
    const [carmen] = await db`select coalesce(nullif(p.full_name, ''), u.email) as name, u.id from auth.users u
      join profiles p on p.user_id = u.id where u.email = 'carmen.cases@covey.local'`;
    await page.getByRole("menuitem", { name: carmen.name }).click();
    await expect.poll(async () => (await db`select owner_id from deals where id = ${caseId}`)[0].owner_id).toBe(carmen.id);
  });
});
