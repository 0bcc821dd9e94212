// The Kanban board filtered and closing deals: a search whose only match
// sits in an off-screen column says how many matches each column holds,
// narrows the columns without any and scrolls the match into view; won and
// lost are not columns but drop areas that appear while a card is held, and
// dropping a card there (mouse or keyboard) marks the deal won, or lost with
// the reason asked for.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, dndAnnounced, dndPickedUp, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("deals: a filtered board and the Won and Lost drop areas", () => {
  const id = uniqueSuffix();
  const owner = { name: "Fay Filter", email: `fay.${id}@example.com`, password: `filter-pass-${id}` };
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;

  const column = (stage: string) => shown(page).locator(`[data-testid="kanban-column"][data-stage="${stage}"]`);
  const card = (name: string) => shown(page).locator(`[data-testid="deal-card"][data-deal="${name}"]`);
  const dealState = async (name: string) => {
    const [row] = await db`select d.status, d.lost_reason, s.name as stage from deals d join pipeline_stages s on s.id = d.stage_id
                           where d.org_id = ${orgId} and d.name = ${name}`;
    return { status: row.status, stage: row.stage, reason: row.lost_reason };
  };

  async function openBoard(path = "/deals") {
    await page.goto(appUrl(path));
    await page.locator('[id^="DndDescribedBy"]').waitFor({ state: "attached" });
  }

  /** The part of the column's box inside the board's scrolled view, in pixels. */
  const visibleWidth = (stage: string) =>
    column(stage).evaluate((el) => {
      const view = el.closest<HTMLElement>('[data-testid="kanban-board"]')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return Math.max(0, Math.min(box.right, view.right) - Math.max(box.left, view.left));
    });

  beforeAll(async () => {
    browser = await launchBrowser();
    // Narrow enough that the Negotiation column starts off-screen.
    page = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("signs up and fills the board", async () => {
    await signUpOwner(page, owner, `Filter Co ${id}`);
    await expectDashboardOf(page, `Filter Co ${id}`);
    const [m] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m?.org_id;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    const deals: [string, string, string][] = [
      ["Alpha one", "Qualified", "open"],
      ["Alpha two", "Qualified", "open"],
      ["Alpha three", "Qualified", "open"],
      ["Zebra rollout", "Negotiation", "open"],
      ["Zebra pilot", "Won", "won"],
    ];
    for (const [i, [name, stage, status]] of deals.entries()) {
      await db`
        insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, status)
        select ${orgId}, ${name}, s.pipeline_id, s.id, ${i}, 250000, 'USD', ${status}
        from pipeline_stages s where s.org_id = ${orgId} and s.name = ${stage}`;
    }
  });

  it("shows won and lost as drop areas, not as columns", async () => {
    await openBoard();
    await card("Alpha one").waitFor();
    const stages = await shown(page).getByTestId("kanban-column").evaluateAll((els) => els.map((e) => e.getAttribute("data-stage")));
    expect(stages).toEqual(["Qualified", "Contact made", "Proposal sent", "Negotiation"]);
    expect(await card("Zebra pilot").count()).toBe(0);
    expect(await shown(page).getByTestId("outcome-areas").isVisible()).toBe(false);
  });

  it("says where a search's matches are and brings the first into view", async () => {
    expect(await visibleWidth("Negotiation")).toBeLessThan(100);
    await page.getByRole("searchbox", { name: "Search" }).fill("zebra");
    await card("Alpha one").waitFor({ state: "detached" });
    const matches = shown(page).getByTestId("board-matches");
    await expect.poll(() => matches.innerText()).toContain("1 matching deal:");
    expect(await matches.innerText()).toContain("Closed, not on the board: 1 won.");
    expect(await column("Negotiation").getByTestId("column-count").textContent()).toBe("1 matching deal");
    expect(await column("Qualified").getAttribute("data-no-matches")).toBe("true");
    expect(await column("Negotiation").getAttribute("data-no-matches")).toBeNull();
    await expect.poll(() => visibleWidth("Negotiation")).toBeGreaterThan(250);
    await card("Zebra rollout").waitFor();
    await expectAccessible(page);

    // Scrolled away, the match's button brings its column back.
    await shown(page).getByTestId("kanban-board").evaluate((el) => el.scrollTo({ left: 0 }));
    await expect.poll(() => visibleWidth("Negotiation")).toBeLessThan(250);
    await matches.getByRole("button", { name: "Negotiation 1" }).click();
    await expect.poll(() => visibleWidth("Negotiation")).toBeGreaterThan(250);
  });

  it("marks a deal won when its card is dropped on the Won area", async () => {
    await openBoard();
    const handle = card("Alpha one").getByRole("button", { name: "Move Alpha one" });
    const a = (await handle.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 5 });
    const won = shown(page).getByTestId("drop-won");
    await won.waitFor();
    const b = (await won.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 20 });
    await dndAnnounced(page, "Alpha one is over Won");
    await page.mouse.up();
    await card("Alpha one").waitFor({ state: "detached" });
    await expect.poll(() => dealState("Alpha one"), { timeout: 10_000 }).toEqual({ status: "won", stage: "Won", reason: null });
    expect(await shown(page).getByTestId("outcome-areas").isVisible()).toBe(false);
  });

  it("marks a deal lost from the keyboard, asking why", async () => {
    const handle = card("Alpha two").getByRole("button", { name: "Move Alpha two" });
    await page.waitForLoadState("networkidle");
    await handle.focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, "Alpha two");
    await page.keyboard.press("ArrowDown");
    await dndAnnounced(page, "Alpha two is over Qualified, position 2 of 2");
    await page.keyboard.press("ArrowDown");
    await dndAnnounced(page, "Alpha two is over Won");
    await page.keyboard.press("ArrowRight");
    await dndAnnounced(page, "Alpha two is over Lost");
    await page.keyboard.press("Space");
    const dialog = page.getByRole("dialog", { name: "Mark “Alpha two” as lost" });
    await dialog.getByLabel("Lost reason").fill("Budget cut");
    await dialog.getByRole("button", { name: "Mark as lost" }).click();
    await dialog.waitFor({ state: "detached" });
    await card("Alpha two").waitFor({ state: "detached" });
    await expect.poll(() => dealState("Alpha two"), { timeout: 10_000 }).toEqual({ status: "lost", stage: "Lost", reason: "Budget cut" });
  });

  it("puts the card back when the lost dialog is cancelled", async () => {
    await openBoard();
    const handle = card("Alpha three").getByRole("button", { name: "Move Alpha three" });
    await page.waitForLoadState("networkidle");
    await handle.focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, "Alpha three");
    await shown(page).getByTestId("drop-won").waitFor();
    await page.keyboard.press("ArrowDown");
    await dndAnnounced(page, "Alpha three is over Won");
    await page.keyboard.press("ArrowRight");
    await dndAnnounced(page, "Alpha three is over Lost");
    await page.keyboard.press("Space");
    const dialog = page.getByRole("dialog", { name: "Mark “Alpha three” as lost" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await card("Alpha three").waitFor();
    expect(await card("Alpha three").locator("xpath=ancestor::section[1]").getAttribute("data-stage")).toBe("Qualified");
    expect(await dealState("Alpha three")).toEqual({ status: "open", stage: "Qualified", reason: null });
  });
});
