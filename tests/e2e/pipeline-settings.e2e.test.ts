// Pipeline settings: stages and pipelines reorder by dragging their handle
// with the mouse or the keyboard (space, arrows, space), and with the up/down
// buttons; the order is saved.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, dndAnnounced, dndPickedUp, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix } from "../support/browser";

describe("pipeline settings", () => {
  const id = uniqueSuffix();
  const owner = { name: "Pia Pipeline", email: `pia.${id}@example.com`, password: `pipe-pass-${id}` };

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const stageOrder = async (pipeline = "Sales") =>
    (
      await db`select s.name from pipeline_stages s join pipelines p on p.id = s.pipeline_id
               where s.org_id = ${orgId} and p.name = ${pipeline} order by s.position`
    ).map((r) => r.name);
  const pipelineOrder = async () =>
    (await db`select name from pipelines where org_id = ${orgId} and archived_at is null order by position`).map((r) => r.name);
  const shownStages = (pipeline = "Sales") =>
    page
      .getByRole("list", { name: `Stages of ${pipeline}` })
      .getByRole("form")
      .evaluateAll((forms) => forms.map((f) => f.getAttribute("aria-label")?.replace(/^Stage /, "")));

  /**
   * Focus a handle, then space, an arrow, space, each key once the list has
   * announced the last. The page first settles (no request for half a
   * second), so a refresh from the last save cannot re-render the list under
   * the drag.
   */
  async function pickUpMoveDrop(name: string, key: "ArrowUp" | "ArrowDown", to: number) {
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: `Reorder ${name}` }).focus();
    await page.keyboard.press("Space");
    await dndPickedUp(page, name);
    await page.keyboard.press(key);
    await dndAnnounced(page, `${name} moved to position ${to} of`);
    await page.keyboard.press("Space");
  }

  it("signs up", async () => {
    await signUpOwner(page, owner, `Pipe Co ${id}`);
    await expectDashboardOf(page, `Pipe Co ${id}`);
    const [m] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m?.org_id;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("moves a stage with the keyboard: space on its handle, arrow up, space", async () => {
    await page.goto(appUrl("/settings/pipelines"));
    await page.getByRole("heading", { level: 1, name: "Pipelines" }).waitFor();
    const before = await stageOrder();
    expect(before.length).toBeGreaterThanOrEqual(4);
    await expectAccessible(page);

    const last = before[before.length - 1];
    await pickUpMoveDrop(last, "ArrowUp", before.length - 1);
    const expected = [...before.slice(0, -2), last, before[before.length - 2]];
    await expect.poll(stageOrder, { timeout: 10000 }).toEqual(expected);
    await expect.poll(shownStages).toEqual(expected);
  });

  it("drags a stage to the top with the mouse", async () => {
    const before = await stageOrder();
    const handle = page.getByRole("button", { name: `Reorder ${before[2]}` });
    const target = page.getByRole("button", { name: `Reorder ${before[0]}` });
    const from = (await handle.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    // Small steps: the drag starts after 5px and follows the pointer.
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 - 10, { steps: 15 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 - 15, { steps: 5 });
    await dndAnnounced(page, `${before[2]} moved to position 1 of`);
    await page.mouse.up();
    const expected = [before[2], before[0], before[1], ...before.slice(3)];
    await expect.poll(stageOrder, { timeout: 10000 }).toEqual(expected);
  });

  it("reorders pipelines by keyboard drag and with the up/down buttons", async () => {
    await page.getByLabel("New pipeline").fill("Partnerships");
    await page.getByRole("button", { name: "Add pipeline" }).click();
    await page.getByRole("button", { name: "Reorder Partnerships" }).waitFor();
    expect(await pipelineOrder()).toEqual(["Sales", "Partnerships"]);

    await pickUpMoveDrop("Partnerships", "ArrowUp", 1);
    await expect.poll(pipelineOrder, { timeout: 10000 }).toEqual(["Partnerships", "Sales"]);

    await page.getByRole("button", { name: "Move Partnerships down" }).click();
    await expect.poll(pipelineOrder, { timeout: 10000 }).toEqual(["Sales", "Partnerships"]);
    await expectAccessible(page);
  });
});
