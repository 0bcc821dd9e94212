// Gmail on the embedded runtime (SPEC acceptance 4): a member connects their
// Gmail through the Google stand-in's consent screen (the refresh token never
// reaches the page), sends an email from a person's compose drawer and sees
// it on the person's timeline with Gmail's thread id, then, playing the
// contact on /dev/gmail, replies in the thread: the reply comes back through
// the real gmail-push function and the sync job onto the same timeline, and
// the person's owner is told in their bell.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

describe("Gmail", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let personId: string;
  const contact = `grace.${uniqueSuffix()}@example.com`;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    [{ id: personId }] = await db`
      insert into people (org_id, first_name, last_name, email, owner_id)
      select m.org_id, 'Grace', 'Hopper', ${contact}, m.user_id
      from org_members m join auth.users u on u.id = m.user_id where u.email = 'sam.member@covey.local'
      returning id`;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("connects the member's Gmail through Google's consent screen", async () => {
    // A member, not the owner or admin the other journeys sign in as: Gmail is per member, and sign-in is rate limited per address.
    await signIn(page, "sam.member@covey.local");
    await page.getByRole("link", { name: "Gmail", exact: true }).click();
    await waitForPath(page, "/settings/integrations/gmail");
    await page.getByRole("heading", { level: 1, name: "Gmail" }).waitFor();
    await page.getByRole("link", { name: "Connect Gmail" }).click();

    await page.getByRole("heading", { name: "Choose an account" }).waitFor();
    expect(new URL(page.url()).searchParams.get("access_type")).toBe("offline");
    await page.getByRole("radio", { name: /Sam Sales/ }).check();
    await page.getByRole("button", { name: "Allow" }).click();

    await waitForPath(page, "/settings/integrations/gmail");
    const connected = shown(page).getByText("sam.sales.covey@gmail.com is connected.");
    const refused = shown(page).getByRole("alert").filter({ hasText: "Gmail is not connected" });
    await connected.or(refused).first().waitFor();
    expect(await refused.count(), await refused.allTextContents().then((t) => t.join(" "))).toBe(0);
    const state = shown(page).getByTestId("gmail-sync-state");
    // The first fact is the mailbox's status.
    expect(await state.locator("dd").first().textContent()).toBe("Connected");
    const [secret] = await db`select s.hint from org_secrets s join gmail_mailboxes m on m.token_secret_id = s.id where m.email = 'sam.sales.covey@gmail.com'`;
    expect(secret.hint).toHaveLength(4);
    // The refresh token is nowhere in the page or its RSC payload.
    const [{ purpose }] = await db`select purpose from org_secrets s join gmail_mailboxes m on m.token_secret_id = s.id where m.email = 'sam.sales.covey@gmail.com'`;
    expect(purpose).toMatch(/^gmail\.refresh_token:/);
    expect(await page.content()).not.toMatch(/1\/\/[A-Za-z0-9_-]{20,}/);
    await expectAccessible(page);
  });

  it("sends an email from a person and shows it on the timeline with its Gmail thread id", async () => {
    await page.goto(appUrl(`/people/${personId}`));
    await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();
    await page.getByRole("button", { name: "Compose email" }).click();
    const drawer = page.getByRole("dialog", { name: "New email" });
    await drawer.getByText("Sent from your Gmail, sam.sales.covey@gmail.com.").waitFor();
    expect(await drawer.getByLabel("To").inputValue()).toBe(contact);
    await drawer.getByLabel("Subject").fill("Proposal for {{first_name}}");
    await drawer.getByRole("textbox", { name: "Message" }).fill("Hello {{first_name}}, here is the proposal.");
    await drawer.getByRole("button", { name: "Send" }).click();
    await drawer.waitFor({ state: "hidden" });

    const timeline = page.getByRole("list", { name: "Timeline" });
    const email = timeline.getByRole("article", { name: "Email: Proposal for Grace" });
    await email.waitFor();
    await email.getByText("Hello Grace, here is the proposal.").waitFor();
    const [row] = await db`select provider_thread_id, provider_message_id, status from emails where person_id = ${personId} and direction = 'outbound'`;
    expect(row.status).toBe("sent");
    expect(row.provider_thread_id).toMatch(/^[0-9a-f]{16}$/);
    expect(await email.getByTestId("email-gmail-ids").textContent()).toContain(`Gmail thread ${row.provider_thread_id}`);
  });

  it("brings a reply written on /dev/gmail onto the person's timeline, in the same thread", async () => {
    await page.goto(appUrl("/dev/gmail"));
    await page.getByRole("heading", { level: 1, name: "Dev: Gmail" }).waitFor();
    const replying = shown(page).getByLabel("Replying to");
    expect(await replying.locator("option:checked").textContent()).toContain("Proposal for Grace");
    expect(await shown(page).getByLabel("From (the contact's email)").inputValue()).toBe(contact);
    await shown(page).getByLabel("From name").fill("Grace Hopper");
    await shown(page).getByLabel("Message").fill("Thanks, the proposal looks good.");
    await page.getByRole("button", { name: "Deliver to the mailbox" }).click();
    await page.getByRole("status").filter({ hasText: "Delivered" }).waitFor();

    await page.goto(appUrl(`/people/${personId}`));
    const timeline = page.getByRole("list", { name: "Timeline" });
    const reply = timeline.getByRole("article", { name: "Email: Re: Proposal for Grace" });
    // The push, the queue and the sync run in the background; the page shows what has arrived.
    for (let i = 0; i < 50 && !(await reply.isVisible()); i++) {
      await page.waitForLoadState("networkidle");
      await page.reload();
      await timeline.waitFor();
    }
    await reply.getByText("Thanks, the proposal looks good.").waitFor();
    await shown(page).getByText("received an email from").first().waitFor();
    const rows = await db`select direction, provider_thread_id from emails where person_id = ${personId} order by created_at`;
    expect(rows.map((r) => r.direction)).toEqual(["outbound", "inbound"]);
    expect(rows[1].provider_thread_id).toBe(rows[0].provider_thread_id);
    const [note] = await db`select n.title, n.link from notifications n join auth.users u on u.id = n.user_id
                            where u.email = 'sam.member@covey.local' and n.type = 'email_received'`;
    expect(note).toEqual({ title: "Email from Grace Hopper", link: `/people/${personId}` });
  });
});
