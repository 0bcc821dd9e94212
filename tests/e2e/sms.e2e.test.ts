// Twilio numbers and text messages on the embedded runtime, against the
// Twilio stand-in through the real SDK and the real twilio-sms function.
// An admin finds the demo number and the connected account (auth token
// masked) in Settings → Numbers and tests the connection. A customer texts
// the demo number from /dev/phone (signed as Twilio signs, through the real
// function and the receive job): the text is on Maria Gonzalez's timeline
// and in her owner's notifications. The owner answers from Maria's page; the
// reply is delivered (status callbacks) and shows on the customer's phone,
// and the conversation is in the inbox.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_TWILIO } from "@/modules/twilio/demo";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

const MARIA = "+15125550201";

describe("Twilio numbers and SMS", () => {
  let browser: Browser;
  let page: Page;
  let phone: Page;
  let db: postgres.Sql;
  let mariaId: string;
  const suffix = uniqueSuffix();
  const inbound = `Can we move our call to 4pm? ${suffix}`;
  const reply = `Yes, 4pm works. ${suffix}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    phone = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [maria] = await db`select p.id, u.email as owner from people p join auth.users u on u.id = p.owner_id where p.phone = ${MARIA}`;
    // The seed gives Maria Gonzalez to the demo admin, who signs in below.
    expect(maria.owner).toBe("alex.admin@covey.local");
    mariaId = maria.id;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("shows the demo account masked and its number in Settings → Numbers, and tests the connection", async () => {
    await signIn(page, "alex.admin@covey.local");
    await page.getByRole("link", { name: "Numbers", exact: true }).click();
    await waitForPath(page, "/settings/numbers");
    await page.getByRole("heading", { level: 1, name: "Numbers" }).waitFor();
    expect(await shown(page).getByTestId("twilio-auth-token").textContent()).toBe(`••••••••${DEMO_TWILIO.authToken.slice(-4)}`);
    expect(await page.content()).not.toContain(DEMO_TWILIO.authToken);
    const numbers = page.getByRole("table", { name: "Phone numbers" });
    await numbers.getByRole("row").filter({ hasText: DEMO_TWILIO.number }).filter({ hasText: DEMO_TWILIO.numberLabel }).waitFor();
    await page.getByRole("button", { name: "Test connection" }).click();
    const status = page.locator("p[role=status]");
    await status.waitFor();
    expect(await status.textContent()).toBe(`Connected to ${DEMO_TWILIO.friendlyName}.`);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/sms-numbers.png", fullPage: true });
  });

  it("texts the org's number from the dev phone: the text is on the right person's timeline and in the owner's notifications", async () => {
    await phone.goto(appUrl("/dev/phone"));
    await phone.getByRole("heading", { level: 1, name: "Dev: text a number as a customer" }).waitFor();
    await phone.getByLabel("Your phone number").fill(MARIA);
    await phone.getByLabel("Texting").fill(DEMO_TWILIO.number);
    await phone.getByRole("textbox", { name: "Message" }).fill(inbound);
    await phone.getByRole("button", { name: "Send text" }).click();
    const screen = phone.getByRole("list", { name: "Texts on this phone" });
    await screen.getByTestId("dev-phone-message").filter({ hasText: inbound }).waitFor();

    await page.goto(appUrl(`/people/${mariaId}`));
    const timeline = shown(page).locator('li[data-kind="sms_received"]').filter({ hasText: inbound });
    await expect
      .poll(
        async () => {
          if (await timeline.count()) return true;
          await page.reload();
          return false;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);
    expect(await timeline.first().textContent()).toContain(`received a text from ${MARIA}`);

    const bell = page.getByRole("banner").getByRole("button", { name: /^Notifications/ });
    await expect.poll(async () => Number(await bell.getAttribute("data-unread")), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.goto(appUrl("/notifications"));
    await shown(page).getByRole("link", { name: "Text from Maria Gonzalez" }).first().waitFor();
    await shown(page).getByText(inbound).first().waitFor();
  });

  it("answers from the person's page: the reply is queued at once, then delivered, and reaches the customer's phone", async () => {
    await page.goto(appUrl(`/people/${mariaId}`));
    await page.getByRole("button", { name: "Text", exact: true }).click();
    const drawer = page.getByRole("dialog", { name: "Text Maria Gonzalez" });
    await drawer.getByTestId("sms-message").filter({ hasText: inbound }).waitFor();
    await drawer.getByRole("textbox", { name: "Message" }).fill(reply);
    expect(await drawer.getByTestId("sms-counter").textContent()).toMatch(/1 segment · GSM-7/);
    await drawer.getByRole("button", { name: "Send text" }).click();
    const sent = drawer.getByTestId("sms-message").filter({ hasText: reply });
    await sent.waitFor();
    await expect.poll(() => sent.getByTestId("sms-status").textContent(), { timeout: 20_000 }).toBe(" · Delivered");
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/sms-drawer.png" });
    await page.keyboard.press("Escape");

    await page.reload();
    const item = shown(page).locator('li[data-kind="sms_sent"]').filter({ hasText: reply });
    await item.waitFor();
    expect(await item.getByTestId("timeline-sms-status").textContent()).toBe("Delivered");

    await phone.getByRole("list", { name: "Texts on this phone" }).getByTestId("dev-phone-message").filter({ hasText: reply }).waitFor({ timeout: 20_000 });
    await phone.screenshot({ path: "/tmp/sms-dev-phone.png", fullPage: true });
  });

  it("lists the conversation in the inbox", async () => {
    await page.getByRole("link", { name: "Inbox", exact: true }).click();
    await waitForPath(page, "/inbox");
    const conversations = page.getByRole("navigation", { name: "Conversations" });
    await conversations.getByTestId("conversation").filter({ hasText: "Maria Gonzalez" }).filter({ hasText: `You: ${reply}` }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/sms-inbox.png", fullPage: true });
  });
});
