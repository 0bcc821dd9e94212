// Teams: an owner makes a team in Settings → Teams, puts a member in it by
// keyboard, sees the team beside the member in Settings → Members, and
// restricts a pipeline stage to it in Settings → Pipelines. On the board, a
// member outside the team is refused with a message naming the stage and
// the card goes back; the member in the team moves it.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  appUrl,
  dndAnnounced,
  dndPickedUp,
  expectAccessible,
  expectDashboardOf,
  launchBrowser,
  shown,
  signIn,
  signUpOwner,
  uniqueSuffix,
} from "../support/browser";

describe("teams", () => {
  const id = uniqueSuffix();
  const owner = { name: "Tara Teams", email: `tara.${id}@example.com`, password: `teams-pass-${id}` };
  const insider = { name: "Ivy Intake", email: `ivy.${id}@example.com`, password: `ivy-pass-${id}` };
  const outsider = { name: "Otto Outside", email: `otto.${id}@example.com`, password: `otto-pass-${id}` };
  const orgName = `Teams Co ${id}`;
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

  async function join(person: { name: string; email: string; password: string }) {
    const token = randomBytes(16).toString("hex");
    await db`insert into org_invites (org_id, email, role, token_hash, invited_by)
             select ${orgId}, ${person.email}, 'member', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), user_id
             from org_members where org_id = ${orgId} and role = 'owner'`;
    await db`insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
             values (${person.email}, extensions.crypt(${person.password}, extensions.gen_salt('bf', 4)), now(),
                     ${db.json({ full_name: person.name, invite_token: token })}, 'authenticated', 'authenticated')`;
  }

  const card = (p: Page, name: string) => shown(p).locator(`[data-testid="deal-card"][data-deal="${name}"]`);
  const stageOnBoard = async (p: Page, name: string) =>
    (await card(p, name).locator("xpath=ancestor::section[1]").getAttribute("data-stage")) ?? "";
  const savedStage = async () =>
    (await db`select s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.org_id = ${orgId} and d.name = 'Handoff deal'`)[0].name;

  async function openBoard(p: Page) {
    await p.goto(appUrl("/deals"));
    await p.locator('[id^="DndDescribedBy"]').waitFor({ state: "attached" });
    await card(p, "Handoff deal").waitFor();
  }

  async function moveRight(p: Page, name: string, to: string) {
    await card(p, name).getByRole("button", { name: `Move ${name}` }).focus();
    await p.keyboard.press("Space");
    await dndPickedUp(p, name);
    await p.keyboard.press("ArrowRight");
    await dndAnnounced(p, `${name} is over ${to},`);
    await p.keyboard.press("Space");
  }

  it("signs up with two colleagues and a deal in Proposal sent", async () => {
    await signUpOwner(page, owner, orgName);
    await expectDashboardOf(page, orgName);
    [{ org_id: orgId }] = await db`select org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    await join(insider);
    await join(outsider);
    await db`insert into deals (org_id, name, pipeline_id, stage_id, currency)
             select ${orgId}, 'Handoff deal', s.pipeline_id, s.id, 'USD' from pipeline_stages s
             where s.org_id = ${orgId} and s.name = 'Proposal sent'`;
  });

  it("creates a team, refuses a second one of the same name, and adds a member by keyboard", async () => {
    await page.getByRole("link", { name: "Teams", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    await shown(page).getByText("No teams yet.").waitFor();

    const form = page.getByRole("form", { name: "New team" });
    await form.getByLabel("Team name").fill("Case management");
    await form.getByLabel("Description").fill("Takes approved cases through matching");
    await form.getByRole("button", { name: "Create team" }).click();
    await shown(page).getByText("Team created").waitFor();
    const team = page.getByRole("region", { name: "Case management team" });
    await team.getByText("Takes approved cases through matching").waitFor();
    await team.getByText("Nobody is in this team yet.").waitFor();
    await expect.poll(() => form.getByLabel("Team name").inputValue()).toBe("");

    await form.getByLabel("Team name").fill("case MANAGEMENT");
    await form.getByRole("button", { name: "Create team" }).click();
    await form.getByText("Another team already has this name").waitFor();
    expect(await form.getByLabel("Team name").getAttribute("aria-invalid")).toBe("true");
    expect((await db`select count(*)::int as n from teams where org_id = ${orgId}`)[0].n).toBe(1);

    // The member picker and its button take the keyboard alone.
    const picker = team.getByLabel("Add a member", { exact: true });
    await picker.focus();
    await picker.selectOption({ label: insider.name });
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Add to team");
    await page.keyboard.press("Enter");
    await shown(page).getByText(`${insider.name} joined Case management`).waitFor();
    await team.getByRole("list", { name: "Members of Case management" }).getByText(insider.name).waitFor();
    await expectAccessible(page);
    const members = await db`select p.full_name from team_members tm join teams t on t.id = tm.team_id
                             join profiles p on p.user_id = tm.user_id where t.org_id = ${orgId}`;
    expect(members.map((m) => m.full_name)).toEqual([insider.name]);
  });

  it("shows each member's teams in Settings → Members", async () => {
    await page.getByRole("link", { name: "Members", exact: true }).click();
    const table = page.getByRole("table", { name: "Members" });
    await table.waitFor();
    await expect.poll(() => table.getByRole("row", { name: new RegExp(insider.name) }).getByRole("cell").nth(3).innerText()).toBe("Case management");
    expect(await table.getByRole("row", { name: new RegExp(outsider.name) }).getByRole("cell").nth(3).innerText()).toBe("None");
  });

  it("restricts the Negotiation stage to the team in Settings → Pipelines", async () => {
    await page.getByRole("link", { name: "Pipelines", exact: true }).click();
    const stage = page.getByRole("group", { name: "Stage Negotiation", exact: true });
    await stage.getByRole("group", { name: "Or these teams" }).getByRole("checkbox", { name: "Case management" }).click();
    const form = page.getByRole("form", { name: "Sales settings" });
    await form.getByRole("button", { name: "Save changes" }).click();
    await shown(page).getByText("Pipeline saved").waitFor();
    await form.getByText("Unsaved changes").waitFor({ state: "detached" });
    const [row] = await db`select s.restricted_team_ids::text[] as teams, t.name from pipeline_stages s
                           join teams t on t.id = any (s.restricted_team_ids) where s.org_id = ${orgId} and s.name = 'Negotiation'`;
    expect(row).toMatchObject({ name: "Case management" });
    expect(await stage.getByRole("checkbox", { name: "Case management" }).isChecked()).toBe(true);
  });

  it("gives a number to the team in Settings → Numbers", async () => {
    const number = `+1512555${id.replace(/\D/g, "").padStart(4, "0").slice(-4)}`;
    await page.getByRole("link", { name: "Numbers", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Numbers" }).waitFor();
    await page.getByRole("button", { name: "Add number" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a Twilio number" });
    await dialog.getByLabel("Phone number").fill(number);
    await dialog.getByLabel("Default owner or team").selectOption({ label: "Case management (team)" });
    await dialog.getByRole("button", { name: "Add number" }).click();
    await shown(page).getByText("Number added").waitFor();
    const row = page.getByRole("table", { name: "Phone numbers" }).getByRole("row", { name: new RegExp(number.slice(-4)) });
    await expect.poll(() => row.getByRole("cell").nth(3).innerText()).toBe("Case management (team)");
    const [phone] = await db`select t.name from phones p join teams t on t.id = p.default_team_id where p.number = ${number}`;
    expect(phone).toMatchObject({ name: "Case management" });
  });

  it("refuses a member outside the team on the board, naming the stage, and lets the team's member through", async () => {
    const other = await (await browser.newContext()).newPage();
    await signIn(other, outsider.email, outsider.password);
    await openBoard(other);
    await moveRight(other, "Handoff deal", "Negotiation");
    await shown(other).getByText('Only the Case management team can move deals into the "Negotiation" stage').waitFor();
    await expect.poll(() => stageOnBoard(other, "Handoff deal")).toBe("Proposal sent");
    expect(await savedStage()).toBe("Proposal sent");
    await other.context().close();

    const teammate = await (await browser.newContext()).newPage();
    await signIn(teammate, insider.email, insider.password);
    await openBoard(teammate);
    await moveRight(teammate, "Handoff deal", "Negotiation");
    await expect.poll(() => savedStage()).toBe("Negotiation");
    expect(await stageOnBoard(teammate, "Handoff deal")).toBe("Negotiation");
    await teammate.context().close();
  });
});
