// A person's timeline filtered by kind, and "Last contacted" following a
// real text. The demo owner opens a new person of the demo org who has a
// note, two texts and an email: the chips count each kind; Emails and Texts
// keep only theirs, in the URL, through a reload; Calls says it has none;
// All, reached from the keyboard, shows everything again. Then a text sent
// from the drawer (through the Twilio stand-in, delivered by its signed
// status callbacks) moves the person's "Last contacted" from the day of
// their email to today. Last, the demo's own conversations: the email thread
// the demo owner's connected Gmail synced onto Daniel Kim's timeline, and
// Tom Becker's texts.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_TWILIO } from "@/modules/twilio/demo";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

describe("timeline filters and last contacted", () => {
  const suffix = uniqueSuffix();
  const digits = String(Date.now() % 10_000).padStart(4, "0");
  const phone = `+1737555${digits}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let personId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ timezoneId: "America/Chicago" })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const [owner] = await db`
      select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = 'demo@covey.local'`;
    const [person] = await db`
      insert into people (org_id, first_name, last_name, email, phone, owner_id)
      values (${owner.org_id}, 'Fiona', ${`Filter ${suffix}`}, ${`fiona.${suffix}@example.com`}, ${phone}, ${owner.user_id})
      returning id`;
    personId = person.id;
    // What the twilio-sms and gmail-push functions would have written: two texts in, one email in, and a member's note.
    for (const body of [`Is Tuesday still on? ${suffix}`, `Running late ${suffix}`]) {
      await db`
        insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, created_at)
        values (${owner.org_id}, 'inbound', ${DEMO_TWILIO.number}, ${phone}, ${body}, 'received', ${personId}, now() - interval '3 days')`;
    }
    await db`
      insert into emails (org_id, direction, provider, from_address, from_name, to_addresses, subject, body_text, status,
                          received_at, provider_message_id, provider_thread_id, person_id)
      values (${owner.org_id}, 'inbound', 'gmail', ${`fiona.${suffix}@example.com`}, 'Fiona Filter', '{demo.covey@gmail.com}',
              ${`Pricing question ${suffix}`}, 'What does the team plan cost?', 'received', now() - interval '2 days',
              ${`18c0${digits}aa00000001`}, ${`18c0${digits}aa00000001`}, ${personId})`;
    await db`insert into notes (org_id, person_id, body_html, author_id) values (${owner.org_id}, ${personId}, '<p>Met at the fair</p>', ${owner.user_id})`;
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  const items = () => shown(page).getByRole("list", { name: "Timeline" }).locator(":scope > li");
  const kinds = async () => [...new Set(await items().evaluateAll((els) => els.map((e) => e.getAttribute("data-kind"))))].sort();
  const chip = (name: string) => shown(page).getByRole("navigation", { name: "Filter activity" }).getByRole("link", { name: new RegExp(`^${name} \\d+$`) });
  const lastContacted = () => shown(page).locator("dt", { hasText: /^Last contacted$/ }).locator("xpath=following-sibling::dd[1]");

  it("counts each kind on its chip and filters to Emails, then Texts, keeping the filter in the URL through a reload", async () => {
    await signIn(page, "demo@covey.local");
    await page.goto(appUrl(`/people/${personId}`));
    await items().first().waitFor();
    expect(await chip("All").textContent()).toBe("All 5");
    expect(await chip("Texts").textContent()).toBe("Texts 2");
    expect(await chip("Emails").textContent()).toBe("Emails 1");
    expect(await chip("All").getAttribute("aria-current")).toBe("true");
    expect(await kinds()).toEqual(["created", "email", "note", "sms_received"]);

    await chip("Emails").click();
    await page.waitForURL((u) => u.searchParams.get("activity") === "emails");
    await expect.poll(kinds).toEqual(["email"]);
    expect(await chip("Emails").getAttribute("aria-current")).toBe("true");
    expect(await items().first().textContent()).toContain(`Pricing question ${suffix}`);

    await chip("Texts").click();
    await page.waitForURL((u) => u.searchParams.get("activity") === "texts");
    await expect.poll(kinds).toEqual(["sms_received"]);
    expect(await items().count()).toBe(2);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/timeline-filter-texts.png", fullPage: true });

    await page.reload();
    await items().first().waitFor();
    expect(new URL(page.url()).searchParams.get("activity")).toBe("texts");
    expect(await kinds()).toEqual(["sms_received"]);
    expect(await chip("Texts").getAttribute("aria-current")).toBe("true");
  });

  it("says so when a kind has nothing, and goes back to All from the keyboard", async () => {
    await chip("Calls").click();
    await page.waitForURL((u) => u.searchParams.get("activity") === "calls");
    await expect.poll(() => shown(page).getByTestId("timeline-empty").textContent()).toBe("No calls with this person yet. Show all activity");
    expect(await items().count()).toBe(0);

    await chip("All").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => !u.searchParams.has("activity"));
    await expect.poll(kinds).toEqual(["created", "email", "note", "sms_received"]);
    expect(await chip("All").getAttribute("aria-current")).toBe("true");
  });

  it("moves Last contacted to today when a text sent from the drawer goes out", async () => {
    const day = (daysAgo: number) =>
      page.evaluate((n) => new Date(Date.now() - n * 86_400_000).toLocaleDateString("en-US", { dateStyle: "medium" }), daysAgo);
    expect((await lastContacted().textContent())?.trim()).toBe(await day(2));
    await page.getByRole("button", { name: "Text", exact: true }).click();
    const drawer = page.getByRole("dialog", { name: `Text Fiona Filter ${suffix}` });
    await drawer.getByRole("textbox", { name: "Message" }).fill(`Tuesday works, see you at 10. ${suffix}`);
    await drawer.getByRole("button", { name: "Send text" }).click();
    const sent = drawer.getByTestId("sms-message").filter({ hasText: `Tuesday works, see you at 10. ${suffix}` });
    await expect.poll(() => sent.getByTestId("sms-status").textContent(), { timeout: 20_000 }).toBe(" · Delivered");
    await page.keyboard.press("Escape");

    await page.reload();
    await expect.poll(async () => (await lastContacted().textContent())?.trim()).toBe(await day(0));
    const [row] = await db`select last_contacted_at from people where id = ${personId}`;
    const [text] = await db`select sent_at from sms_messages where person_id = ${personId} and direction = 'outbound'`;
    expect(row.last_contacted_at).toEqual(text.sent_at);
    await page.screenshot({ path: "/tmp/timeline-last-contacted.png", fullPage: true });
  });

  it("shows the demo's email thread with Daniel Kim under Emails, synced from the demo owner's Gmail with its thread id", async () => {
    const [daniel] = await db`select id from people where first_name = 'Daniel' and last_name = 'Kim'`;
    await page.goto(appUrl(`/people/${daniel.id}?activity=emails`));
    const emails = shown(page).getByRole("list", { name: "Timeline" }).getByRole("article", { name: /^Email: / });
    // The first sync runs as a job when the stack starts.
    await expect
      .poll(
        async () => {
          if ((await emails.count()) === 3) return true;
          await page.reload();
          return false;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    expect(await emails.allTextContents()).toEqual([
      expect.stringContaining("Saturdays are perfect."),
      expect.stringContaining("our installers work Saturdays"),
      expect.stringContaining("how long does the rollout take"),
    ]);
    for (const ids of await emails.getByTestId("email-gmail-ids").allTextContents()) expect(ids).toContain("Gmail thread 18c2a7d4e9f00001");
    expect(await chip("Emails").textContent()).toBe("Emails 3");
    await page.screenshot({ path: "/tmp/timeline-demo-emails.png", fullPage: true });

    const [tom] = await db`select id from people where first_name = 'Tom' and last_name = 'Becker'`;
    await page.goto(appUrl(`/people/${tom.id}?activity=texts`));
    await items().first().waitFor();
    expect(await items().evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual(["sms_received", "sms_sent"]);
  });
});
