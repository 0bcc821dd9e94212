// Deals on the Kanban board: a new organization creates a deal, drags it to
// another stage with the mouse, finds it there after a reload and in the
// deal's timeline, moves it again with the keyboard, marks it lost and won
// (one timeline item each, naming the stages), edits its fields in place
// and its owner from the header without reopening it, and the board and the
// deal page pass an accessibility scan.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, dndAnnounced, dndPickedUp, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("deals: Kanban board", () => {
  const id = uniqueSuffix();
  const owner = { name: "Dana Dealer", email: `dana.${id}@example.com`, password: `deals-pass-${id}` };
  const dealName = `Acme renewal ${id}`;
  let browser: Browser;
  let page: Page;

  const column = (stage: string) => shown(page).locator(`[data-testid="kanban-column"][data-stage="${stage}"]`);
  const card = (name = dealName) => shown(page).locator(`[data-testid="deal-card"][data-deal="${name}"]`);
  const stageOf = async (name = dealName) => (await card(name).locator("xpath=ancestor::section[1]").getAttribute("data-stage")) ?? "";
  // A move is saved when the server answers with the new column after a reload.
  const savedStage = async () => {
    await page.reload();
    await card().waitFor();
    return stageOf();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs up a new organization", async () => {
    await signUpOwner(page, owner, `Deals Co ${id}`);
    await expectDashboardOf(page, `Deals Co ${id}`);
  });

  it("creates a deal from the board", async () => {
    await page.goto(appUrl("/deals"));
    await page.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
    await page.getByRole("button", { name: "New deal" }).click();
    const form = page.getByRole("form", { name: "New deal" });
    await form.getByLabel("Name").fill(dealName);
    await form.getByLabel("Value").fill("12,500.00");
    await form.getByRole("button", { name: "Create deal" }).click();
    await card().waitFor();
    expect(await stageOf()).toBe("Qualified");
    expect(await card().innerText()).toContain("$12,500.00");
    expect(await column("Qualified").getByTestId("column-total").innerText()).toContain("$12,500.00");
  });

  async function drag(from: Locator, to: Locator) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 5, { steps: 5 });
    await page.mouse.move(b.x + b.width / 2, b.y + 60, { steps: 20 });
    await page.mouse.move(b.x + b.width / 2, b.y + 70, { steps: 5 });
    await page.mouse.up();
  }

  it("drags the deal to another stage, and it stays there after a reload", async () => {
    await drag(card().getByRole("button", { name: `Move ${dealName}` }), column("Proposal sent"));
    await expect.poll(() => stageOf()).toBe("Proposal sent");
    await expect.poll(savedStage, { timeout: 10_000 }).toBe("Proposal sent");
    expect(await column("Proposal sent").getByTestId("column-count").innerText()).toMatch(/^1/);
  });

  it("moves the deal with the keyboard", async () => {
    const handle = card().getByRole("button", { name: `Move ${dealName}` });
    await handle.focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, dealName);
    await page.keyboard.press("ArrowRight");
    await dndAnnounced(page, `${dealName} is over Negotiation,`);
    await page.keyboard.press("Space");
    await expect.poll(() => stageOf()).toBe("Negotiation");
    await expect.poll(savedStage, { timeout: 10_000 }).toBe("Negotiation");
  });

  it("passes an accessibility scan of the board", async () => {
    await shown(page).getByTestId("kanban-board").waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-deals-board.png", fullPage: true });
  });

  it("shows the stage changes on the deal page and its timeline", async () => {
    await card().getByRole("link", { name: dealName }).click();
    await page.getByRole("heading", { level: 1, name: dealName }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/deals\/[0-9a-f-]{36}$/);
    const history = page.getByRole("list", { name: "Stage history" });
    await history.getByText("Qualified → Proposal sent").waitFor();
    await history.getByText("Proposal sent → Negotiation").waitFor();
    const timeline = page.getByRole("list", { name: "Timeline" });
    await timeline.getByText(/moved this deal from Qualified\s*→\s*Proposal sent/).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-deal-page.png", fullPage: true });
  });

  it("marks the deal won and lost with a reason", async () => {
    await page.getByRole("button", { name: "Lost", exact: true }).click();
    await shown(page).getByLabel("Lost reason").fill("Budget cut");
    await page.getByRole("button", { name: "Mark as lost" }).click();
    await shown(page).getByText("Lost reason: Budget cut").waitFor();
    expect(await page.getByRole("button", { name: "Won", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Reopen" }).click();
    await page.getByRole("button", { name: "Won", exact: true }).waitFor();
    await page.getByRole("list", { name: "Stage history" }).getByText("“Budget cut”").waitFor();
    await page.getByRole("button", { name: "Won", exact: true }).click();
    await page.getByRole("button", { name: "Reopen" }).waitFor();
    expect(await page.getByRole("button", { name: "Lost", exact: true }).count()).toBe(0);
    // Each act is one timeline item that names the stages it moved the deal between.
    const timeline = page.getByRole("list", { name: "Timeline" });
    await timeline.getByText(/marked this deal as lost, moving it from Negotiation\s*→\s*Lost/).waitFor();
    await timeline.getByText(/reopened this deal, moving it from Lost\s*→\s*Negotiation/).waitFor();
    await timeline.getByText(/marked this deal as won, moving it from Negotiation\s*→\s*Won/).waitFor();
    // No second item for the same act, as a plain move between the stages.
    expect(await timeline.getByText(/moved this deal from (Negotiation\s*→\s*(Lost|Won)|Lost\s*→\s*Negotiation)/).count()).toBe(0);
    expect(await timeline.getByText(/(marked this deal as|reopened this deal)/).count()).toBe(3);
  });

  it("edits a won deal's fields in place and its owner from the header without reopening it", async () => {
    const timeline = page.getByRole("list", { name: "Timeline" });
    const details = shown(page).locator("dl").filter({ has: page.getByRole("button", { name: "Edit Tags" }) });
    await timeline.getByText(/reopened this deal/).first().waitFor();
    const reopenedBefore = await timeline.getByText(/reopened this deal/).count();

    await details.getByText("$12,500.00").click();
    const value = page.getByRole("textbox", { name: `Value of ${dealName}` });
    await value.fill("13,000");
    await value.press("Enter");
    await value.waitFor({ state: "detached" });
    await shown(page).getByTestId("deal-value").getByText("$13,000.00").waitFor();

    await page.getByRole("button", { name: "Edit Tags" }).click();
    const tags = page.getByRole("textbox", { name: `Tags of ${dealName}` });
    await tags.fill("hot");
    await tags.press("Enter");
    await tags.waitFor({ state: "detached" });

    const owner = page.getByRole("button", { name: /^Owner:/ });
    await owner.click();
    await page.getByRole("menuitemradio", { name: "No owner" }).click();
    await shown(page).getByText("Owner removed").waitFor();

    await page.reload();
    await page.getByRole("button", { name: "Reopen" }).waitFor();
    await details.getByText("hot").waitFor();
    await shown(page).getByTestId("deal-value").getByText("$13,000.00").waitFor();
    expect((await owner.innerText()).trim()).toBe("Owner: No owner");
    await timeline.getByText(/reopened this deal/).first().waitFor();
    expect(await timeline.getByText(/reopened this deal/).count()).toBe(reopenedBefore);
    expect(await timeline.getByText(/moved this deal from Won/).count()).toBe(0);
  });

  it("saves a won deal's whole form from Edit without reopening it", async () => {
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const form = page.getByRole("form", { name: "Deal details" });
    // The form opens in the won stage rather than one the deal has left.
    expect(await form.getByLabel("Stage").locator("option:checked").textContent()).toBe("Won");
    expect(await form.getByLabel("Tags").inputValue()).toBe("hot");
    await form.getByLabel("Tags").fill("hot, renewal");
    await form.getByRole("button", { name: "Save changes" }).click();
    await shown(page).getByText("Deal saved").waitFor();
    await form.waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("button", { name: "Reopen" }).waitFor();
    await shown(page).locator("dl").getByText("hot, renewal").waitFor();
    expect(await page.getByRole("list", { name: "Timeline" }).getByText(/moved this deal from Won/).count()).toBe(0);
    await expectAccessible(page);
  });
});
