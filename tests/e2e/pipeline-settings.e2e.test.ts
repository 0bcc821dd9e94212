// Pipeline settings: stages and pipelines reorder by dragging their handle
// with the mouse or the keyboard (space, arrows, space), and with the up/down
// buttons. A pipeline's name and stages are one form with one Save: a new
// stage goes before Won and Lost with a probability between its neighbours',
// nothing is written until Save, and a bad row is named and nothing of the
// form is written.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, dndAnnounced, dndPickedUp, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

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
  const stageRows = (pipeline = "Sales") => page.getByRole("list", { name: `Stages of ${pipeline}` }).getByRole("group", { name: /^Stage / });
  const shownStages = (pipeline = "Sales") =>
    stageRows(pipeline).evaluateAll((rows) => rows.map((r) => r.getAttribute("aria-label")?.replace(/^Stage /, "")));
  const stageRow = (name: string) => page.getByRole("group", { name: `Stage ${name}`, exact: true });
  // Saved once the form starts afresh from the saved pipeline, with nothing left to save.
  const saveSales = async () => {
    const form = page.getByRole("form", { name: "Sales settings" });
    await form.getByRole("button", { name: "Save changes" }).click();
    await shown(page).getByText("Pipeline saved").waitFor();
    await form.getByText("Unsaved changes").waitFor({ state: "detached" });
    expect(await form.getByRole("button", { name: "Save changes" }).isDisabled()).toBe(true);
  };
  const savedStages = async () =>
    (
      await db`select s.name, s.probability from pipeline_stages s join pipelines p on p.id = s.pipeline_id
               where s.org_id = ${orgId} and p.name = 'Sales' order by s.position`
    ).map((r) => `${r.name} ${r.probability}%`);

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
    await expect.poll(shownStages).toEqual(expected);
    // Nothing is written until the form is saved.
    expect(await stageOrder()).toEqual(before);
    await saveSales();
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
    await expect.poll(shownStages).toEqual(expected);
    await saveSales();
    await expect.poll(stageOrder, { timeout: 10000 }).toEqual(expected);
  });

  it("adds a stage before Won and Lost, with a probability between its neighbours', on Save", async () => {
    await page.reload();
    const before = await savedStages();
    // Negotiation (75%) is the last open stage; Lost went above Won earlier.
    expect(before.slice(-3)).toEqual(["Negotiation 75%", "Lost 0%", "Won 100%"]);
    await page.getByRole("form", { name: "Sales settings" }).getByLabel("New stage").fill("Legal review");
    await page.keyboard.press("Enter");
    await expect.poll(() => shownStages()).toEqual([...before.slice(0, -2).map((s) => s.replace(/ \d+%$/, "")), "Legal review", "Lost", "Won"]);
    expect(await stageRow("Legal review").getByLabel("Probability %").inputValue()).toBe("90");
    expect(await savedStages()).toEqual(before);
    await saveSales();
    await expect.poll(savedStages, { timeout: 10000 }).toEqual([...before.slice(0, -2), "Legal review 90%", "Lost 0%", "Won 100%"]);
  });

  it("saves names, probabilities and deleted stages (moving their deals) with one Save, and names a bad row writing nothing", async () => {
    await db`
      insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency)
      select ${orgId}, 'Stays open', s.pipeline_id, s.id, 1, 5000, 'USD'
      from pipeline_stages s where s.org_id = ${orgId} and s.name = 'Negotiation'`;
    const dealStage = async () =>
      (await db`select s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.org_id = ${orgId} and d.name = 'Stays open'`)[0]?.name;
    await page.reload();
    const before = await savedStages();
    const form = page.getByRole("form", { name: "Sales settings" });
    await stageRow("Legal review").getByLabel("Name").fill("Legal");
    await stageRow("Legal").getByLabel("Probability %").fill("85");
    await stageRow("Qualified").getByLabel("Probability %").fill("150");
    await form.getByRole("button", { name: "Delete Contact made" }).click();
    await form.getByRole("button", { name: "Delete Negotiation" }).click();
    await form.getByLabel("Move the deals of Negotiation to").selectOption({ label: "Legal" });
    const row = (await shownStages()).indexOf("Qualified") + 1;
    expect(row).toBeGreaterThan(0);
    expect(await shownStages()).not.toContain("Contact made");
    await form.getByRole("button", { name: "Save changes" }).click();
    await shown(page).getByText(`Stage ${row} (Qualified): Between 0 and 100`).first().waitFor();
    await stageRow("Qualified").getByText("Between 0 and 100").waitFor();
    expect(await stageRow("Qualified").getByLabel("Probability %").getAttribute("aria-invalid")).toBe("true");
    expect(await savedStages()).toEqual(before);
    expect(await dealStage()).toBe("Negotiation");

    await stageRow("Qualified").getByLabel("Probability %").fill("15");
    await saveSales();
    const expected = before
      .filter((s) => !s.startsWith("Contact made") && !s.startsWith("Negotiation"))
      .map((s) => (s.startsWith("Qualified") ? "Qualified 15%" : s.startsWith("Legal review") ? "Legal 85%" : s));
    await expect.poll(savedStages, { timeout: 10000 }).toEqual(expected);
    expect(await dealStage()).toBe("Legal");
    await expectAccessible(page);
  });

  it("reorders pipelines by keyboard drag and with the up/down buttons", async () => {
    await shown(page).getByLabel("New pipeline").fill("Partnerships");
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
