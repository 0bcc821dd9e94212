// Click-to-call on the embedded runtime, against the Twilio stand-in through
// the real SDK and the real twilio-voice function. A member without a phone
// on their profile is told to add one, and the refusal's link takes them to
// Settings → Profile, which refuses a number that is not one and keeps
// theirs in E.164. Then Call on Maria Gonzalez's row rings the member's
// phone, played by /dev/phone: they answer, are bridged to Maria, hang up,
// and the call on Maria's timeline follows Twilio's status callbacks from
// ringing to completed with its duration.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_TWILIO } from "@/modules/twilio/demo";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, waitForPath } from "../support/browser";

const MARIA = "+15125550201";
const SAM = "sam.member@covey.local";
const SAMS_PHONE = "+15125550153";

describe("click-to-call", () => {
  let browser: Browser;
  let page: Page;
  let phone: Page;
  let db: postgres.Sql;
  let mariaId: string;

  const toast = (text: string) => shown(page).locator("[data-sonner-toast]").filter({ hasText: text });
  const latestCall = () => shown(page).locator('li[data-kind="call_placed"]').first();
  const callStatus = () => latestCall().getByTestId("timeline-call-status").textContent();

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    phone = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [maria] = await db`select id from people where phone = ${MARIA}`;
    mariaId = maria.id;
    // Sam starts without a phone on the profile, as a new member does.
    await db`update profiles set phone = null where email = ${SAM}`;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("asks a member without a phone to add theirs, links to Settings → Profile, and keeps it in E.164 there", async () => {
    await signIn(page, SAM);
    await page.goto(appUrl(`/people/${mariaId}`));
    await page.getByRole("button", { name: "Call Maria Gonzalez", exact: true }).click();
    const refusal = toast("Add your own phone in Settings → Profile first");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("Covey rings it, then connects you to the contact.");
    expect(await db`select count(*)::int as n from calls c join profiles p on p.user_id = c.user_id where p.email = ${SAM} and c.source = 'twilio'`).toEqual([{ n: 0 }]);
    await refusal.getByRole("button", { name: "Add your phone in Settings → Profile" }).click();
    await waitForPath(page, "/settings/profile");

    const field = page.getByRole("textbox", { name: "Your phone" });
    await field.fill("555 01");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const described = (await field.getAttribute("aria-describedby"))?.split(" ") ?? [];
    const messages = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages).toContain("Enter a valid phone number, e.g. +1 415 555 0100");
    expect((await db`select phone from profiles where email = ${SAM}`)[0].phone).toBeNull();

    await field.fill("(512) 555-0153");
    await page.getByRole("button", { name: "Save" }).click();
    await toast("Profile saved").waitFor();
    await expect.poll(async () => (await db`select phone from profiles where email = ${SAM}`)[0].phone).toBe(SAMS_PHONE);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/click-to-call-profile.png", fullPage: true });
  });

  it("calls Maria from her row: the member's phone rings on /dev/phone, is answered and bridged, and her timeline follows the call to completed", async () => {
    await page.goto(appUrl(`/people?q=${encodeURIComponent("Maria Gonzalez")}`));
    await page.getByRole("button", { name: `Call Maria Gonzalez at ${MARIA}` }).click();
    await toast("Calling your phone, +1 512 555 0153").waitFor();
    await page.screenshot({ path: "/tmp/click-to-call-list.png" });

    await phone.goto(appUrl("/dev/phone"));
    const ringing = shown(phone).getByTestId("dev-placed-call").filter({ hasText: "+1 512 555 0153 is ringing" }).first();
    await ringing.waitFor({ timeout: 15_000 });
    expect(await ringing.textContent()).toContain(`Covey is calling you from +1 512 555 0100; answer and it connects you to +1 512 555 0201.`);
    await expectAccessible(phone);
    await phone.screenshot({ path: "/tmp/click-to-call-dev-phone-ringing.png", fullPage: true });

    await page.goto(appUrl(`/people/${mariaId}`));
    await latestCall().waitFor();
    expect(await latestCall().textContent()).toContain(`called this person at ${MARIA}`);
    await expect.poll(callStatus, { timeout: 15_000 }).toBe("Ringing");

    await ringing.getByRole("button", { name: "Answer" }).click();
    const connected = shown(phone).getByTestId("dev-placed-call").filter({ hasText: "Connected to +1 512 555 0201" });
    await connected.waitFor();
    expect(await connected.textContent()).toContain("They see +1 512 555 0100 calling.");
    await expect.poll(callStatus, { timeout: 15_000 }).toBe("In progress");

    await connected.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(callStatus, { timeout: 15_000 }).toMatch(/^Completed · 0:\d\d$/);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/click-to-call-timeline.png", fullPage: true });

    const [row] = await db`
      select c.status, c.direction, c.source, c.org_number, c.contact_number, c.duration_seconds, c.provider_sid
      from calls c join profiles p on p.user_id = c.user_id
      where p.email = ${SAM} and c.source = 'twilio' order by c.created_at desc limit 1`;
    expect(row).toMatchObject({ status: "completed", direction: "outbound", org_number: DEMO_TWILIO.number, contact_number: MARIA });
    expect(row.duration_seconds).toBeGreaterThan(0);
    expect(row.provider_sid).toMatch(/^CA[0-9a-f]{32}$/);
  });
});
