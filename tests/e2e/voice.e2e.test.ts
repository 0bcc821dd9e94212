// Inbound calls on the embedded runtime, against the Twilio stand-in and the
// real twilio-voice function. An admin sets how the demo number answers in
// Settings → Numbers (a timeout out of range is refused on its field). A
// customer calls the demo number from
// /dev/phone: the stand-in asks twilio-voice for the number's TwiML (signed
// as Twilio signs) and the caller hears its greeting, then voicemail's, then
// the beep; they leave a message and the call ends. The call is on Maria
// Gonzalez's timeline as a voicemail, her owner is told, and the voicemail
// plays in the browser's own audio player, fetched through the app from the
// stand-in's recording behind the account's credentials. The demo's own
// voicemail, made at start-up, plays too.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_TWILIO } from "@/modules/twilio/demo";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

const MARIA = "+15125550201";

describe("inbound calls and voicemail", () => {
  let browser: Browser;
  let page: Page;
  let phone: Page;
  let db: postgres.Sql;
  let mariaId: string;
  const suffix = uniqueSuffix();
  const message = `Hi, it's Maria, please call me back about Friday. ${suffix}`;
  const greeting = `Thanks for calling Covey Demo, ${suffix}.`;

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

  it("sets how the number answers calls in Settings → Numbers, refusing a timeout out of range on its field", async () => {
    await signIn(page, "alex.admin@covey.local");
    await page.getByRole("link", { name: "Numbers", exact: true }).click();
    await waitForPath(page, "/settings/numbers");
    await page.getByRole("button", { name: `Call answering for ${DEMO_TWILIO.number}` }).click();
    const dialog = page.getByRole("dialog", { name: `How ${DEMO_TWILIO.number} answers calls` });
    await dialog.getByRole("textbox", { name: "Greeting", exact: true }).fill(greeting);
    const timeout = dialog.getByRole("textbox", { name: "Ring the default owner for (seconds)" });
    await timeout.fill("2");
    await dialog.getByRole("button", { name: "Save call answering" }).click();
    await expect.poll(() => timeout.getAttribute("aria-invalid")).toBe("true");
    expect(await shown(page).getByText("At least 5 seconds", { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/voice-settings.png" });
    await timeout.fill("15");
    await dialog.getByRole("button", { name: "Save call answering" }).click();
    await dialog.waitFor({ state: "hidden" });
    const [row] = await db`select voice_greeting, voice_forward_timeout_seconds from phones where number = ${DEMO_TWILIO.number}`;
    expect(row).toEqual({ voice_greeting: greeting, voice_forward_timeout_seconds: 15 });
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
    const [phoneRow] = await db`select voicemail_greeting from phones where number = ${DEMO_TWILIO.number}`;
    // The greeting just set; the forward to the number's owner's own phone rings out after the timeout just set.
    expect(lines[0]).toBe(`“${greeting}”`);
    expect(lines[1]).toMatch(/^Ringing \+1\d{10} for 15 seconds… no answer\.$/);
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

  it("plays the demo's voicemail, whose recording the stand-in got back at start-up", async () => {
    const [aisha] = await db`select id from people where phone = '+15125550203'`;
    await page.goto(appUrl(`/people/${aisha.id}`));
    const voicemail = shown(page).locator('li[data-kind="call_received"]').filter({ has: page.locator('audio[aria-label="Play voicemail"]') });
    await voicemail.first().waitFor();
    await voicemail.first().getByTestId("timeline-call-status").click();
    const duration = await voicemail
      .first()
      .locator("audio")
      .evaluate(async (a: HTMLAudioElement) => {
        await a.play();
        return a.duration;
      });
    expect(duration).toBeCloseTo(12, 0);
  });
});
