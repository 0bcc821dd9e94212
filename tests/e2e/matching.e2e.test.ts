// Matching on the surrogacy demo: Carmen, a case manager, opens a case
// pending a match, proposes a match with intended parents picked from the
// suggestions (their reasons shown), takes it through the surrogate's and
// the parents' review and the match meeting to matched, and finds both
// records in their Matched stage, each naming the other. The records are
// the test's own, uniquely named; the demo org is shared with other journeys.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

describe("matching a case with intended parents", () => {
  const id = uniqueSuffix();
  const surrogate = `Sofia Match${id}`;
  const parents = `Harper Family${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let caseId: string;
  let parentsId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [org] = await db`select o.id, u.id as carmen from orgs o join org_members m on m.org_id = o.id
                           join auth.users u on u.id = m.user_id
                           where o.name = 'Bloom Surrogacy Partners' and u.email = 'carmen.cases@covey.local'`;
    const stage = async (pipeline: string, name: string) =>
      (await db`select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
                where p.org_id = ${org.id} and p.name = ${pipeline} and s.name = ${name}`)[0];
    const pending = await stage("Cases", "Pending match");
    const qualified = await stage("Intended parents", "Qualified");
    const [sofia] = await db`insert into people (org_id, first_name, last_name, state, country, owner_id)
                             values (${org.id}, 'Sofia', ${`Match${id}`}, 'TX', 'US', ${org.carmen}) returning id`;
    [{ id: caseId }] = await db`
      insert into deals (org_id, name, pipeline_id, stage_id, currency, owner_id, person_id, custom)
      values (${org.id}, ${surrogate}, ${pending.pipeline_id}, ${pending.id}, 'USD', ${org.carmen}, ${sofia.id},
              ${db.json({ expected_compensation: 55000 })}) returning id`;
    const [harper] = await db`insert into people (org_id, first_name, last_name, state, country, owner_id)
                              values (${org.id}, 'Harper', ${`Family${id}`}, 'CA', 'US', ${org.carmen}) returning id`;
    [{ id: parentsId }] = await db`
      insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor, owner_id, person_id, custom)
      values (${org.id}, ${parents}, ${qualified.pipeline_id}, ${qualified.id}, 'USD', 8000000, ${org.carmen}, ${harper.id},
              ${db.json({ preferred_states: "TX, CA" })}) returning id`;
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const match = (p: Page) => shown(p).getByTestId("match").filter({ hasText: parents });
  const status = (p: Page) => match(p).getByTestId("match-status");

  it("proposes a match with intended parents picked from the suggestions, each reason shown", async () => {
    await signIn(page, "carmen.cases@covey.local");
    await page.goto(appUrl(`/deals/${caseId}`));
    await shown(page).getByText("No matches yet.").waitFor();
    await page.getByRole("button", { name: "Propose a match" }).click();
    const dialog = page.getByRole("dialog", { name: "Propose a match" });
    await dialog.getByLabel("Find intended parents").fill(`Family${id}`);
    const suggestion = dialog.getByTestId("match-suggestion").filter({ hasText: parents });
    await expect.poll(() => suggestion.innerText()).toContain("3 of 3 met");
    const reasons = await suggestion.locator("li").allInnerTexts();
    expect(reasons).toEqual(["Lives in TX: surrogacy-friendly state", "Lives in TX: parents prefer TX", "Budget $80,000 ≥ expected $55,000"]);
    await page.screenshot({ path: "/tmp/matching-suggestions.png" });
    await expectAccessible(page);
    await suggestion.click();
    await expect.poll(() => suggestion.getAttribute("aria-checked")).toBe("true");
    await dialog.getByRole("button", { name: "Propose match" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => status(page).innerText()).toBe("Proposed");
  });

  it("advances through the surrogate's and the parents' review and the meeting to matched", async () => {
    for (const [button, next] of [
      ["Move to Surrogate reviewing", "Surrogate reviewing"],
      ["Move to Intended parents reviewing", "Intended parents reviewing"],
      ["Move to Match meeting", "Match meeting"],
      ["Mark matched", "Matched"],
    ] as const) {
      await match(page).getByRole("button", { name: button }).click();
      await expect.poll(() => status(page).innerText()).toBe(next);
    }
    expect(await match(page).getByRole("button", { name: "Decline" }).count()).toBe(0);
    await match(page).locator("summary").click();
    const history = await match(page).getByRole("list", { name: `History of the match with ${parents}` }).locator("> li > span:first-child").allInnerTexts();
    expect(history).toEqual(["Proposed", "Surrogate reviewing", "Intended parents reviewing", "Match meeting", "Matched"]);
    await page.screenshot({ path: "/tmp/matching-case-matched.png", fullPage: true });
  });

  it("shows both records in their Matched stage, each naming the other", async () => {
    await page.goto(appUrl(`/deals/${caseId}`));
    await expect.poll(() => shown(page).getByText("in Matched").count()).toBe(1);
    await expect.poll(() => shown(page).getByText(`made the match with ${parents}`).count()).toBeGreaterThan(0);
    await page.goto(appUrl(`/deals/${parentsId}`));
    await expect.poll(() => shown(page).getByText("in Matched").count()).toBe(1);
    const theirs = shown(page).getByTestId("match").filter({ hasText: surrogate });
    await expect.poll(() => theirs.getByTestId("match-status").innerText()).toBe("Matched");
    await expect.poll(() => shown(page).getByText(`made the match with ${surrogate}`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: "/tmp/matching-parents-matched.png", fullPage: true });
    await expectAccessible(page);
    const saved = await db`select s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.id in ${db([caseId, parentsId])}`;
    expect(saved.map((r) => r.name)).toEqual(["Matched", "Matched"]);
  });
});
