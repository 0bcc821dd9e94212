// Inbound calls on the embedded runtime, against the Twilio stand-in and the
// real twilio-voice function. A customer calls the demo number from
// /dev/phone: the stand-in asks twilio-voice for the number's TwiML (signed
// as Twilio signs) and the caller hears its greeting, then voicemail's, then
// the beep; they leave a message and the call ends. The call is on Maria
// Gonzalez's timeline as a voicemail, her owner is told, and the voicemail
// plays in the browser's own audio player, fetched through the app from the
// stand-in's recording behind the account's credentials.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_TWILIO } from "@/modules/twilio/demo";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

const MARIA = "+15125550201";

describe("inbound calls and voicemail", () => {
  let browser: Browser;
  let page: Page;
  let phone: Page;
  let db: postgres.Sql;
  let mariaId: string;
  const message = `Hi, it's Maria, please call me back about Friday. ${uniqueSuffix()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    phone = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [maria] = await db`select p.id, u.email as owner from people p join auth.users u on u.id = p.owner_id where p.phone = ${MARIA}`;
    expect(maria.owner).toBe("alex.admin@covey.local");
    mariaId = maria.id;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("calls the org's number from the dev phone: the caller hears the greeting and leaves a voicemail", async () => {
    await phone.goto(appUrl("/dev/phone"));
    await phone.getByRole("heading", { level: 2, name: "Call a number as a customer" }).waitFor();
    await shown(phone).getByLabel("Calling from").fill(MARIA);
    await shown(phone).getByLabel("Number to call").fill(DEMO_TWILIO.number);
    await phone.getByRole("button", { name: "Call", exact: true }).click();
    const heard = shown(phone).getByRole("list", { name: "What you hear" }).getByTestId("dev-call-heard");
    await heard.filter({ hasText: /^Beep\. Leave your message/ }).waitFor({ timeout: 20_000 });
    const lines = await heard.allTextContents();
    const [phoneRow] = await db`select voice_greeting, voicemail_greeting from phones where number = ${DEMO_TWILIO.number}`;
    expect(lines[0]).toBe(`“${phoneRow.voice_greeting}”`);
    expect(lines).toContain(`“${phoneRow.voicemail_greeting}”`);

    await shown(phone).getByLabel("Your message").fill(message);
    await phone.getByRole("button", { name: "Leave voicemail" }).click();
    await expect.poll(() => shown(phone).getByTestId("dev-call-status").textContent(), { timeout: 20_000 }).toMatch(/^Called \+15125550100 · \d+:\d\d$/);
    // The stand-in speaks 150 words a minute.
    const seconds = Math.round(message.split(/\s+/).length / 2.5);
    expect(await heard.allTextContents()).toContain(`You leave a 0:0${seconds} message: “${message}”`);
    await expectAccessible(phone);
    await phone.screenshot({ path: "/tmp/voice-dev-phone.png", fullPage: true });
  });

  it("puts the voicemail on the caller's timeline, tells the owner, and plays it in the browser", async () => {
    await signIn(page, "alex.admin@covey.local");
    await page.goto(appUrl(`/people/${mariaId}`));
    const item = shown(page).locator('li[data-kind="call_received"]').filter({ has: page.locator('audio[aria-label="Play voicemail"]') });
    await expect
      .poll(
        async () => {
          if (await item.count()) return true;
          await page.reload();
          return false;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    const voicemail = item.first();
    expect(await voicemail.getByTestId("timeline-call-status").textContent()).toMatch(/^Voicemail/);
    // A click gives the page the user activation browsers require before audio plays.
    await voicemail.getByTestId("timeline-call-status").click();
    const played = await voicemail.locator('audio[aria-label="Play voicemail"]').evaluate(async (a: HTMLAudioElement) => {
      a.preload = "auto";
      await a.play();
      return { duration: a.duration, paused: a.paused, src: a.currentSrc };
    });
    expect(played.duration).toBeGreaterThan(3);
    expect(played.paused).toBe(false);
    expect(new URL(played.src).pathname).toMatch(/^\/api\/calls\/[0-9a-f-]{36}\/recording$/);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/voice-timeline.png", fullPage: true });

    await page.goto(appUrl("/notifications"));
    await shown(page).getByRole("link", { name: "Voicemail from Maria Gonzalez" }).first().waitFor();
  });
});
