// Message templates on the embedded runtime: a manager writes an email
// template in Settings → Templates (an unknown variable refused by name, a
// variable inserted with its button), previews it filled with a real person,
// then starts an email from it in that person's compose drawer and sees the
// filled email on the timeline; an SMS template, with its segment count, is
// used the same way in the Text drawer.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, DEMO_PASSWORD, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix, waitForPath } from "../support/browser";

describe("Message templates", () => {
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let personId: string;
  const suffix = uniqueSuffix();
  const company = `Langley Research ${suffix}`;
  const email = `katherine.${suffix}@example.com`;
  const phone = `+1737555${String(Math.floor(Math.random() * 10000)).padStart(4, "0")}`;
  const emailTemplate = `Quote follow-up ${suffix}`;
  const smsTemplate = `On my way ${suffix}`;
  // A manager of the demo org of this journey's own: managers may change every template, and no other journey signs in as them.
  const manager = `taylor.${suffix}@covey.local`;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    const token = `templates-${suffix}`;
    await db`
      insert into org_invites (org_id, email, role, token_hash, invited_by)
      select m.org_id, ${manager}, 'manager', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), m.user_id
      from org_members m join auth.users u on u.id = m.user_id where u.email = 'demo@covey.local'`;
    await db`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      values (${manager}, extensions.crypt(${DEMO_PASSWORD}, extensions.gen_salt('bf', 4)), now(),
              ${db.json({ full_name: "Taylor Templates", invite_token: token })}, 'authenticated', 'authenticated')`;
    [{ id: personId }] = await db`
      with m as (select m.org_id, m.user_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${manager}),
           c as (insert into companies (org_id, name) select org_id, ${company} from m returning id, org_id)
      insert into people (org_id, first_name, last_name, email, phone, company_id, owner_id)
      select c.org_id, 'Katherine', 'Johnson', ${email}, ${phone}, c.id, m.user_id from c, m
      returning id`;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("writes an email template in Settings → Templates and previews it on a real person", async () => {
    await signIn(page, manager);
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    await waitForPath(page, "/settings/templates");
    await page.getByRole("heading", { level: 1, name: "Templates" }).waitFor();
    const starters = page.getByRole("table", { name: "Email templates" });
    await starters.getByRole("row").filter({ hasText: "Introduction" }).filter({ hasText: "Covey starter" }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/templates-list.png", fullPage: true });

    await page.getByRole("link", { name: "New email template" }).click();
    await waitForPath(page, "/settings/templates/new");
    await shown(page).getByLabel("Name", { exact: true }).fill(emailTemplate);
    await shown(page).getByLabel("Subject", { exact: true }).fill("Your quote, {{frist_name}}");
    const body = page.getByRole("textbox", { name: "Body" });
    await body.click();
    await body.pressSequentially("Hi {{first_name|there}}, the quote for {{company}} is attached. ");
    await page.getByRole("button", { name: "Insert My name" }).click();
    await page.getByRole("button", { name: "Create template" }).click();
    const subjectError = shown(page).getByText("The subject uses an unknown variable: {{frist_name}}. Use one of the listed variables.", { exact: true });
    await subjectError.waitFor();
    expect(await db`select count(*)::int as n from message_templates where name = ${emailTemplate}`).toEqual([{ n: 0 }]);

    await shown(page).getByLabel("Subject", { exact: true }).fill("Your quote, {{first_name}}");
    await page.getByRole("combobox", { name: "Preview with" }).fill("Katherine Johnson");
    await page.getByRole("option", { name: /Katherine Johnson/ }).click();
    const preview = shown(page).getByTestId("template-preview");
    await expect.poll(() => shown(page).getByTestId("template-preview-subject").textContent(), { timeout: 10_000 }).toBe("Your quote, Katherine");
    await expect
      .poll(() => preview.locator("[data-slot=rich-text]").textContent(), { timeout: 10_000 })
      .toBe(`Hi Katherine, the quote for ${company} is attached. Taylor Templates`);
    await page.getByRole("tab", { name: "Plain text" }).click();
    expect(await shown(page).getByLabel("Plain-text alternative").inputValue()).toBe("Hi {{first_name|there}}, the quote for {{company}} is attached. {{my_name}}");
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/templates-editor.png", fullPage: true });

    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL((url) => /^\/settings\/templates\/[0-9a-f-]{36}$/.test(url.pathname));
    await page.getByRole("heading", { level: 1, name: emailTemplate }).waitFor();
    const [row] = await db`select subject, body, text_body from message_templates where name = ${emailTemplate}`;
    expect(row).toEqual({
      subject: "Your quote, {{first_name}}",
      body: "<p>Hi {{first_name|there}}, the quote for {{company}} is attached. {{my_name}}</p>",
      text_body: null,
    });
  });

  it("starts an email from the template in the person's compose drawer and shows it filled on the timeline", async () => {
    // Email goes out through the member's own Gmail: connect it on the Google stand-in first.
    await page.goto(appUrl("/settings/integrations/gmail"));
    await page.getByRole("link", { name: "Connect Gmail" }).click();
    await page.getByRole("heading", { name: "Choose an account" }).waitFor();
    await page.getByRole("radio", { name: /Use another account/ }).check();
    await page.getByRole("textbox", { name: "Other account email" }).fill(`taylor.${suffix}@gmail.com`);
    await page.getByRole("button", { name: "Allow" }).click();
    await waitForPath(page, "/settings/integrations/gmail");
    await shown(page).getByText(`taylor.${suffix}@gmail.com is connected.`).waitFor();

    await page.goto(appUrl(`/people/${personId}`));
    await page.getByRole("heading", { level: 1, name: "Katherine Johnson" }).waitFor();
    await page.getByRole("button", { name: "Compose email" }).click();
    const drawer = page.getByRole("dialog", { name: "New email" });
    await drawer.getByRole("combobox", { name: "Template" }).fill("quote follow");
    await page.getByRole("option", { name: new RegExp(emailTemplate) }).click();
    await expect.poll(() => drawer.getByLabel("Subject", { exact: true }).inputValue(), { timeout: 10_000 }).toBe("Your quote, Katherine");
    const message = drawer.getByRole("textbox", { name: "Message" });
    await expect.poll(() => message.textContent()).toBe(`Hi Katherine, the quote for ${company} is attached. Taylor Templates`);
    await message.click();
    await message.press("Control+End");
    await message.pressSequentially(" See you Tuesday.");
    await page.screenshot({ path: "/tmp/templates-compose.png", fullPage: true });
    await drawer.getByRole("button", { name: "Send" }).click();
    await drawer.waitFor({ state: "hidden" });

    const sent = shown(page).getByRole("list", { name: "Timeline" }).getByRole("article", { name: "Email: Your quote, Katherine" });
    await sent.waitFor();
    await sent.getByText(`Hi Katherine, the quote for ${company} is attached. Taylor Templates See you Tuesday.`).waitFor();
    const [logged] = await db`select status, subject, body_text from emails where person_id = ${personId} and direction = 'outbound'`;
    expect(logged).toEqual({ status: "sent", subject: "Your quote, Katherine", body_text: `Hi Katherine, the quote for ${company} is attached. Taylor Templates See you Tuesday.` });
  });

  it("writes an SMS template with its segment count and uses it in the Text drawer", async () => {
    await page.goto(appUrl("/settings/templates?channel=sms"));
    await page.getByRole("table", { name: "SMS templates" }).waitFor();
    await page.getByRole("link", { name: "New SMS template" }).click();
    await waitForPath(page, "/settings/templates/new");
    await shown(page).getByLabel("Name", { exact: true }).fill(smsTemplate);
    await shown(page).getByLabel("Message", { exact: true }).fill("Hi {{first_name|there}}, it's {{my_first_name}} from {{org_name}}: I'm on my way.");
    expect(await shown(page).getByTestId("template-sms-counter").textContent()).toMatch(/^81\/1600 characters · 1 segment · GSM-7/);
    await page.getByRole("combobox", { name: "Preview with" }).fill("Katherine Johnson");
    await page.getByRole("option", { name: /Katherine Johnson/ }).click();
    await expect
      .poll(() => shown(page).getByTestId("template-preview").locator("p").first().textContent(), { timeout: 10_000 })
      .toBe("Hi Katherine, it's Taylor from Covey Demo: I'm on my way.");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL((url) => /^\/settings\/templates\/[0-9a-f-]{36}$/.test(url.pathname));
    await page.screenshot({ path: "/tmp/templates-sms.png", fullPage: true });

    await page.goto(appUrl(`/people/${personId}`));
    await page.getByRole("button", { name: "Text", exact: true }).click();
    const drawer = page.getByRole("dialog", { name: "Text Katherine Johnson" });
    await drawer.getByRole("combobox", { name: "Template" }).fill(smsTemplate);
    await page.getByRole("option", { name: new RegExp(smsTemplate) }).click();
    const message = drawer.getByRole("textbox", { name: "Message" });
    await expect.poll(() => message.inputValue(), { timeout: 10_000 }).toBe("Hi Katherine, it's Taylor from Covey Demo: I'm on my way.");
    await expectAccessible(page);
    await drawer.getByRole("button", { name: "Send text" }).click();
    await expect.poll(() => message.inputValue(), { timeout: 10_000 }).toBe("");
    const [text] = await db`select body, status from sms_messages where person_id = ${personId} and direction = 'outbound'`;
    expect(text.body).toBe("Hi Katherine, it's Taylor from Covey Demo: I'm on my way.");
  });
});
