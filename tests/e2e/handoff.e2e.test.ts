// Scenario 8's handoff, on the Bloom demo: Ivy (Intake) submits two cases
// for handoff from their pages; Carmen (Case management) sees them in her
// handoff queue with the navigation's badge, accepts one and denies the
// other with a reason (an empty reason is refused). Ivy finds the accepted
// case locked: no edit controls, a note saying who may change it, and a
// forced change refused by the database; the denied one is back at "Under
// review" with Carmen's reason.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, signOut, uniqueSuffix } from "../support/browser";

describe("handoff queue (scenario 8)", () => {
  const id = uniqueSuffix();
  const accepted = `Harper Lane ${id}`;
  const denied = `Quinn Avery ${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  const dealIds: Record<string, string> = {};

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    // Two approved cases of Ivy's, as intake leaves them before the handoff.
    for (const name of [accepted, denied]) {
      const [row] = await db`
        insert into deals (org_id, name, pipeline_id, stage_id, currency, owner_id)
        select p.org_id, ${name}, p.id, s.id, 'USD', u.id
        from pipelines p join orgs o on o.id = p.org_id join pipeline_stages s on s.pipeline_id = p.id, auth.users u
        where o.name = 'Bloom Surrogacy Partners' and p.name = 'Cases' and s.name = 'Approved' and u.email = 'ivy.intake@covey.local'
        returning id`;
      dealIds[name] = row.id;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const stored = async (name: string) =>
    (await db`select s.name as stage, u.email as owner from deals d join pipeline_stages s on s.id = d.stage_id
              left join auth.users u on u.id = d.owner_id where d.id = ${dealIds[name]}`)[0];

  it("lets Ivy submit her cases for handoff from their pages", async () => {
    await signIn(page, "ivy.intake@covey.local");
    for (const name of [accepted, denied]) {
      await page.goto(appUrl(`/deals/${dealIds[name]}`));
      await page.getByRole("button", { name: "Submit for handoff" }).click();
      await shown(page).getByTestId("handoff-waiting").filter({ hasText: "submitted by Ivy Intake" }).waitFor();
      expect(await stored(name)).toMatchObject({ stage: "Pending handoff" });
    }
    // Intake does not decide: no Accept or Deny on the case.
    expect(await page.getByRole("button", { name: `Accept ${denied}` }).count()).toBe(0);
    await signOut(page);
  });

  it("shows Carmen her queue with the badge; she accepts one case and denies the other with a reason", async () => {
    await signIn(page, "carmen.cases@covey.local");
    const nav = page.getByRole("navigation").getByRole("link", { name: /^Handoffs/ });
    await nav.waitFor();
    // The badge counts what waits for her side (other journeys' cases may wait too).
    const badge = await shown(page).getByTestId("nav-badge").filter({ hasText: /handoffs? waiting/ }).textContent();
    expect(Number(/(\d+) handoffs? waiting/.exec(badge ?? "")?.[1])).toBeGreaterThanOrEqual(2);
    await nav.click();
    await page.getByRole("heading", { level: 1, name: "Handoff queue" }).waitFor();
    await page.getByRole("heading", { level: 2, name: /^Cases waiting/ }).waitFor();
    const row = (name: string) => shown(page).getByTestId("handoff-row").filter({ hasText: name });
    await expect.poll(() => row(accepted).textContent()).toContain("Ivy Intake");
    await expectAccessible(page);
    await page.screenshot({ path: "test-results/handoff-queue.png", fullPage: true });

    await page.getByRole("button", { name: `Accept ${accepted}` }).click();
    await row(accepted).waitFor({ state: "detached" });
    expect(await stored(accepted)).toEqual({ stage: "Pending match", owner: "carmen.cases@covey.local" });

    await page.getByRole("button", { name: `Deny ${denied}` }).click();
    const dialog = page.getByRole("dialog", { name: `Deny the handoff of ${denied}` });
    await dialog.getByRole("button", { name: "Deny handoff" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toBe("Say why the handoff is denied");
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Her medical records release is not signed yet");
    await dialog.getByRole("button", { name: "Deny handoff" }).click();
    await row(denied).waitFor({ state: "detached" });
    expect(await stored(denied)).toEqual({ stage: "Under review", owner: "ivy.intake@covey.local" });
    await signOut(page);
  });

  it("leaves Ivy the accepted case to look at only, and the denied one back with its reason", async () => {
    await signIn(page, "ivy.intake@covey.local");
    await page.goto(appUrl(`/deals/${dealIds[accepted]}`));
    await expect
      .poll(() => shown(page).getByTestId("deal-locked").textContent())
      .toBe("Locked: only the Case management team can change this case while it is in “Pending match”.");
    expect(await page.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Mark as (won|lost)|^Won$|^Lost$/ }).count()).toBe(0);
    await page.screenshot({ path: "test-results/handoff-locked.png", fullPage: true });

    // Forced past the page, as Ivy in SQL: the database refuses.
    const [ivy] = await db`select id from auth.users where email = 'ivy.intake@covey.local'`;
    const forced = await db
      .begin(async (sql) => {
        await sql`select set_config('request.jwt.claims', ${JSON.stringify({ sub: ivy.id, role: "authenticated", aud: "authenticated" })}, true)`;
        await sql`set local role authenticated`;
        await sql`update deals set name = 'Renamed by intake' where id = ${dealIds[accepted]}`;
      })
      .catch((e: { code: string; message: string }) => e);
    expect(forced).toMatchObject({ code: "42501" });
    expect((await db`select name from deals where id = ${dealIds[accepted]}`)[0].name).toBe(accepted);

    await page.goto(appUrl(`/deals/${dealIds[denied]}`));
    await expect
      .poll(() => shown(page).getByTestId("handoff-denied").textContent())
      .toBe("Handoff denied by Carmen Cases: Her medical records release is not signed yet");
    await page.getByRole("button", { name: "Submit for handoff" }).waitFor();
    await signOut(page);
  });
});
