// One Kanban board open in two sessions: a move on one shows on the other
// within seconds with the new column totals; a column the reader scrolled deep
// keeps its depth and its place when the board refreshes; and a move the
// server cannot save goes back where it was, with a message. Cards count
// their days in stage from the stage history, on a new board and the demo's.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, dndAnnounced, dndPickedUp, expectDashboardOf, launchBrowser, signIn, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("deals: a board shared by two sessions", () => {
  const id = uniqueSuffix();
  const owner = { name: "Kim Kanban", email: `kim.${id}@example.com`, password: `kanban-pass-${id}` };
  let browser: Browser;
  let mover: Page;
  let watcher: Page;
  let db: postgres.Sql;
  let orgId: string;

  const column = (page: Page, stage: string) => shown(page).locator(`[data-testid="kanban-column"][data-stage="${stage}"]`);
  const card = (page: Page, name: string) => shown(page).locator(`[data-testid="deal-card"][data-deal="${name}"]`);
  const stageOf = async (page: Page, name: string) =>
    (await card(page, name).locator("xpath=ancestor::section[1]").getAttribute("data-stage")) ?? "";
  const cardsIn = (page: Page, stage: string) => column(page, stage).getByTestId("deal-card").count();

  // The board takes keys once hydrated (dnd-kit then adds its screen-reader instructions).
  async function openBoard(page: Page, load: () => Promise<unknown> = () => page.goto(appUrl("/deals"))) {
    await load();
    await page.locator('[id^="DndDescribedBy"]').waitFor({ state: "attached" });
  }

  // Each key waits for the board to announce the last one: the sensor measures the board in between.
  async function moveRight(page: Page, name: string, to: string) {
    await card(page, name).getByRole("button", { name: `Move ${name}` }).focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, name);
    await page.keyboard.press("ArrowRight");
    await dndAnnounced(page, `${name} is over ${to},`);
    await page.keyboard.press("Space");
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    mover = await (await browser.newContext()).newPage();
    watcher = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("signs up, fills a column with 60 deals and opens the board in a second session", async () => {
    await signUpOwner(mover, owner, `Board Co ${id}`);
    await expectDashboardOf(mover, `Board Co ${id}`);
    const [m] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m?.org_id;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    const inserted = await db`
      insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency)
      select ${orgId}, 'Lead ' || lpad(i::text, 2, '0'), s.pipeline_id, s.id, i, 10000, 'USD'
      from pipeline_stages s cross join generate_series(1, 60) i
      where s.org_id = ${orgId} and s.name = 'Qualified'`;
    expect(inserted.count).toBe(60);
    await db`
      update deal_stage_history h set changed_at = now() - interval '12 days'
      from deals d where d.id = h.deal_id and d.org_id = ${orgId} and d.name = 'Lead 02'`;
    await signIn(watcher, owner.email, owner.password);
    await expectDashboardOf(watcher, `Board Co ${id}`);
  });

  it("shows a move on the other board within seconds, with the new totals", async () => {
    await openBoard(mover);
    await openBoard(watcher);
    await card(mover, "Lead 01").waitFor();
    await card(watcher, "Lead 01").waitFor();
    expect(await column(watcher, "Qualified").getByTestId("column-count").innerText()).toMatch(/^60/);
    expect(await card(watcher, "Lead 02").getByTitle("Days in this stage").textContent()).toBe("12d in stage");
    expect(await card(watcher, "Lead 03").getByTitle("Days in this stage").textContent()).toBe("0d in stage");

    await moveRight(mover, "Lead 01", "Contact made");
    await expect.poll(() => stageOf(mover, "Lead 01")).toBe("Contact made");
    await expect.poll(() => stageOf(watcher, "Lead 01"), { timeout: 15_000 }).toBe("Contact made");
    expect(await column(watcher, "Contact made").getByTestId("column-count").innerText()).toMatch(/^1/);
    expect(await column(watcher, "Contact made").getByTestId("column-total").innerText()).toContain("$100.00");
    expect(await column(watcher, "Qualified").getByTestId("column-count").innerText()).toMatch(/^59/);
    expect(await column(watcher, "Qualified").getByTestId("column-total").innerText()).toContain("$5,900.00");
  });

  it("keeps a column scrolled deep at its depth and in place when the board refreshes", async () => {
    const more = column(watcher, "Qualified").getByRole("button", { name: /^Show \d+ more$/ });
    await expect
      .poll(async () => {
        if (await more.isVisible()) await more.click();
        return cardsIn(watcher, "Qualified");
      }, { timeout: 20_000 })
      .toBe(59);
    const deep = card(watcher, "Lead 41");
    await deep.scrollIntoViewIfNeeded();
    const before = (await deep.boundingBox())!.y;

    // Someone else renames a deal far below the first page of the column.
    await db`update deals set name = 'Lead 42 renamed' where org_id = ${orgId} and name = 'Lead 42'`;
    await card(watcher, "Lead 42 renamed").waitFor({ timeout: 15_000 });
    expect(await cardsIn(watcher, "Qualified")).toBe(59);
    expect(await card(watcher, "Lead 42").count()).toBe(0);
    expect(Math.abs((await deep.boundingBox())!.y - before)).toBeLessThan(2);
  });

  it("puts a card back, with a message, when the move cannot be saved", async () => {
    await openBoard(mover, () => mover.reload());
    await card(mover, "Lead 02").waitFor();
    // The server action (a POST to the page) fails after a moment.
    await mover.route("**/deals*", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      await new Promise((r) => setTimeout(r, 1000));
      await route.abort("failed");
    });
    try {
      await moveRight(mover, "Lead 02", "Contact made");
      await expect.poll(() => stageOf(mover, "Lead 02")).toBe("Contact made");
      await mover.getByText("The move could not be saved.").waitFor();
      expect(await stageOf(mover, "Lead 02")).toBe("Qualified");
    } finally {
      await mover.unroute("**/deals*");
    }
    const [row] = await db`select s.name from deals d join pipeline_stages s on s.id = d.stage_id
                           where d.org_id = ${orgId} and d.name = 'Lead 02'`;
    expect(row.name).toBe("Qualified");
  });

  it("counts the demo org's cards in days since each deal entered its stage, weeks ago, not 0d for all", async () => {
    const demo = await (await browser.newContext()).newPage();
    try {
      await signIn(demo, "sam.member@covey.local");
      await openBoard(demo);
      const days = (name: string) => card(demo, name).getByTitle("Days in this stage").textContent();
      // The seed made them 29, 23 and 17 days ago, straight into Qualified.
      expect(await days("Fleet tracking rollout")).toBe("29d in stage");
      expect(await days("Membership software")).toBe("23d in stage");
      expect(await days("Marketing bundle")).toBe("17d in stage");
      await card(demo, "Fleet tracking rollout").getByRole("link", { name: "Fleet tracking rollout" }).click();
      await demo.getByRole("heading", { level: 1, name: "Fleet tracking rollout" }).waitFor();
      const created = demo.getByRole("list", { name: "Stage history" }).getByRole("listitem").filter({ hasText: "Created in Qualified" });
      expect(await created.innerText()).not.toContain(await demo.evaluate(() => new Date().toLocaleDateString("en-US", { month: "short", day: "numeric" })));
    } finally {
      await demo.context().close();
    }
  });

  it("answers a bad board request with the app's error body", async () => {
    const badCards = await mover.request.get(appUrl("/deals/board-cards?pipeline=nope&stage=nope&after=x"));
    expect(badCards.status()).toBe(400);
    expect((await badCards.json()).error).toMatchObject({ code: "invalid_query", message: "pipeline must be a pipeline id", details: { pipeline: ["pipeline must be a pipeline id"] } });
    const badVersion = await mover.request.get(appUrl("/deals/board-version?pipeline=nope"));
    expect(badVersion.status()).toBe(400);
    expect((await badVersion.json()).error).toMatchObject({ code: "invalid_query", details: { pipeline: ["Not a pipeline id"] } });
  });
});
