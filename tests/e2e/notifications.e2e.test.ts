// Notifications: the owner assigns a lead to a member, and the member's bell,
// open in another browser context, counts it without a reload (the owner's
// stays empty). Opening it from the bell goes to the lead and marks it read; the notifications page filters unread and marks all
// read, which clears the bell; turning a type off in Settings →
// Notifications stops it. The pages pass an accessibility scan.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signIn, signUpOwner, uniqueSuffix, waitForPath, shown } from "../support/browser";

describe("notifications: the bell, the page and the settings", () => {
  const id = uniqueSuffix();
  const owner = { name: "Nora Notify", email: `nora.${id}@example.com`, password: `notify-pass-${id}` };
  const member = { email: `milo.${id}@example.com`, password: `member-pass-${id}` };

  let browser: Browser;
  let ownerContext: BrowserContext;
  let memberContext: BrowserContext;
  let ownerPage: Page;
  let memberPage: Page;
  let db: postgres.Sql;
  let orgId: string;
  let memberId: string;
  let ownerId: string;
  let leadId: string;

  const bell = (page: Page) => page.getByRole("banner").getByRole("button", { name: /^Notifications/ });

  /** A notification for the member, made through the SQL entry point as jobs and triggers make them. */
  async function notify(title: string, link: string | null, key: string): Promise<string | null> {
    const [row] = await db.begin(async (tx) => {
      await tx`set local role service_role`;
      return tx`select private.notify_user(${orgId}, ${memberId}, 'lead_assigned', ${title}, null, ${link}, ${key}) as id`;
    });
    return row.id;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    ownerContext = await browser.newContext();
    memberContext = await browser.newContext();
    ownerPage = await ownerContext.newPage();
    memberPage = await memberContext.newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("signs the owner up and a member in, each in their own browser", async () => {
    await signUpOwner(ownerPage, owner, `Notify Co ${id}`);
    [{ org_id: orgId, user_id: ownerId }] =
      await db`select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    // The member joins by invitation, as the onboarding journey shows; here the invitation is accepted directly.
    const token = randomBytes(16).toString("hex");
    await db`insert into org_invites (org_id, email, role, token_hash, invited_by)
             select ${orgId}, ${member.email}, 'member', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), user_id
             from org_members where org_id = ${orgId} and role = 'owner'`;
    [{ id: memberId }] = await db`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      values (${member.email}, extensions.crypt(${member.password}, extensions.gen_salt('bf', 4)), now(),
              ${db.json({ full_name: "Milo Member", invite_token: token })}, 'authenticated', 'authenticated')
      returning id`;
    [{ id: leadId }] = await db`insert into leads (org_id, first_name, last_name) values (${orgId}, 'Ada', 'Lovelace') returning id`;
    await signIn(memberPage, member.email, member.password);
    await expect.poll(() => bell(memberPage).getAttribute("data-unread")).toBe("0");
  });

  it("counts the owner's assignment in the member's bell, not the owner's", async () => {
    // The owner reassigns the lead as the app does it: as themselves, under RLS.
    await db.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: ownerId, role: "authenticated" })}, true)`;
      await tx`set local role authenticated`;
      await tx`update leads set owner_id = ${memberId} where id = ${leadId}`;
    });
    // The member's open page learns it by polling, without a reload.
    await expect.poll(() => bell(memberPage).getAttribute("aria-label"), { timeout: 20_000 }).toBe("Notifications, 1 unread");
    await ownerPage.reload();
    await expect.poll(() => bell(ownerPage).getAttribute("data-unread")).toBe("0");
  });

  it("opens the notification from the bell: the lead, and read", async () => {
    await bell(memberPage).click();
    const popover = memberPage.getByRole("dialog", { name: "Notifications" });
    await popover.getByText("Manual lead, assigned by Nora Notify.").waitFor();
    await popover.getByRole("link", { name: "Ada Lovelace was assigned to you" }).click();
    await waitForPath(memberPage, `/leads/${leadId}`);
    await memberPage.goto(appUrl("/notifications"));
    await expect.poll(() => bell(memberPage).getAttribute("data-unread")).toBe("0");
  });

  it("lists unread ones on the page and marks all read, which clears the bell", async () => {
    for (const title of ["Grace Hopper was assigned to you", "Alan Turing was assigned to you"]) {
      await notify(title, "/people", title);
    }
    await memberPage.goto(appUrl("/notifications?filter=unread"));
    await memberPage.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    const list = memberPage.getByRole("main").getByRole("listitem");
    await expect.poll(() => list.allInnerTexts()).toEqual([
      expect.stringContaining("Alan Turing was assigned to you"),
      expect.stringContaining("Grace Hopper was assigned to you"),
    ]);
    await expect.poll(() => bell(memberPage).getAttribute("aria-label")).toBe("Notifications, 2 unread");
    await expectAccessible(memberPage);

    await memberPage.getByRole("main").getByRole("button", { name: "Mark all read" }).click();
    await shown(memberPage).getByText("You have read everything.").waitFor();
    await expect.poll(() => bell(memberPage).getAttribute("data-unread")).toBe("0");
    await memberPage.getByRole("link", { name: "All", exact: true }).click();
    await expect.poll(() => list.count()).toBe(3);
  });

  it("stops a type the member turns off in Settings → Notifications", async () => {
    await memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
    await waitForPath(memberPage, "/settings/notifications");
    const box = memberPage.getByRole("checkbox", { name: "Lead assigned to you" });
    await expect.poll(() => box.getAttribute("aria-checked")).toBe("true");
    await box.click();
    await shown(memberPage).getByText("Lead assigned to you: off").waitFor();
    await expectAccessible(memberPage);
    expect(await notify("Silent", null, "silent")).toBeNull();
  });
});
