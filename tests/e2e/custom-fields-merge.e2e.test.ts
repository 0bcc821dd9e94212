// Custom fields and duplicates: an owner adds a select field to People in
// settings, creates two people with the same phone (filling the new field),
// finds them on /people/duplicates and merges them; the survivor keeps the
// field value and shows both people's notes, and the field is changed in
// place on the person's page. Two companies that only look alike are marked
// "Not a duplicate" and stay off /companies/duplicates.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, waitForPath, shown } from "../support/browser";

describe("custom fields and merging duplicates", () => {
  const id = uniqueSuffix();
  const owner = { name: "Mara Merge", email: `mara.${id}@example.com`, password: `merge-pass-${id}` };

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

  it("signs up", async () => {
    await signUpOwner(page, owner, `Merge Co ${id}`);
    await expectDashboardOf(page, `Merge Co ${id}`);
    const [m] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    orgId = m?.org_id;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("adds a select field to People in settings", async () => {
    await page.goto(appUrl("/settings/custom-fields"));
    await page.getByRole("heading", { level: 1, name: "Custom fields" }).waitFor();
    await shown(page).getByText("No custom fields on people yet.").waitFor();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Add field" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Label").fill("Lead source");
    expect(await dialog.getByLabel("Key").inputValue()).toBe("lead_source");
    await dialog.getByLabel("Type").click();
    await page.getByRole("option", { name: "Select", exact: true }).click();
    // Add option puts the cursor in the new box, and Enter there adds the next one.
    await dialog.getByRole("button", { name: "Add option" }).click();
    await page.keyboard.type("Webinar");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Referral");
    expect(await dialog.getByLabel("Option 2", { exact: true }).evaluate((box) => box === document.activeElement)).toBe(true);
    expect(await dialog.getByLabel("Option 1", { exact: true }).inputValue()).toBe("Webinar");
    expect(await dialog.getByLabel("Option 2", { exact: true }).inputValue()).toBe("Referral");
    await dialog.getByRole("button", { name: "Add option" }).click();
    expect(await dialog.getByLabel("Option 3", { exact: true }).evaluate((box) => box === document.activeElement)).toBe(true);
    await dialog.getByRole("button", { name: "Remove option 3" }).click();
    await dialog.getByRole("button", { name: "Add field" }).click();
    await dialog.waitFor({ state: "hidden" });

    const row = page.getByRole("row").filter({ hasText: "Lead source" });
    await row.getByText("Webinar, Referral").waitFor();
    await row.getByText("lead_source").waitFor();
    await expectAccessible(page);

    const [def] = await db`select field_type, options from custom_field_definitions where org_id = ${orgId} and key = 'lead_source'`;
    expect(def).toEqual({
      field_type: "select",
      options: [
        { value: "Webinar", label: "Webinar" },
        { value: "Referral", label: "Referral" },
      ],
    });
  });

  async function createPerson(first: string, last: string, phone: string, source?: string) {
    await page.goto(appUrl("/people"));
    await page.getByRole("button", { name: "New person" }).first().click();
    const form = page.getByRole("form", { name: "New person" });
    await form.getByLabel("First name").fill(first);
    await form.getByLabel("Last name").fill(last);
    await form.getByLabel("Phone", { exact: true }).fill(phone);
    if (source) await form.getByLabel("Lead source").selectOption(source);
    await form.getByRole("button", { name: "Create person" }).click();
    await expect.poll(async () => (await db`select count(*)::int as n from people where org_id = ${orgId} and first_name = ${first} and last_name = ${last}`)[0].n, { timeout: 15000 }).toBe(1);
  }

  it("creates two people with the same phone, each with a note", async () => {
    await createPerson("Olive", "Oyl", "(415) 555-0142", "Webinar");
    await createPerson("Olivia", "Oyl", "+1 415 555 0142");
    const people = await db`select id, first_name, phone, custom from people where org_id = ${orgId} order by created_at`;
    expect(people.map((p) => [p.first_name, p.phone])).toEqual([
      ["Olive", "+14155550142"],
      ["Olivia", "+14155550142"],
    ]);
    expect(people[0].custom).toEqual({ lead_source: "Webinar" });
    for (const [p, text] of [
      [people[0], "Met Olive at the webinar"],
      [people[1], "Olivia asked for pricing"],
    ] as const) {
      await db`insert into notes (org_id, person_id, body_html, body_text) values (${orgId}, ${p.id}, ${`<p>${text}</p>`}, ${text})`;
    }
  });

  it("finds them on /people/duplicates and merges them; the survivor shows both notes", async () => {
    await page.goto(appUrl("/people/duplicates"));
    await page.getByRole("heading", { level: 1, name: "Possible duplicates" }).waitFor();
    const pair = page.getByRole("list", { name: "Likely duplicate people" }).getByRole("listitem").first();
    await pair.getByText("Same phone +14155550142").waitFor();
    await expectAccessible(page);

    await pair.getByRole("button", { name: "Compare & merge" }).click();
    const dialog = page.getByRole("dialog", { name: "Compare and merge" });
    await dialog.getByRole("row", { name: /First name/ }).waitFor();
    await expectAccessible(page);
    // Keep Olive (the older record) but take Olivia's first name.
    await dialog.getByRole("radio", { name: 'Keep First name "Olivia"' }).check();
    await dialog.getByRole("button", { name: 'Merge into "Olive Oyl"' }).click();

    const [survivor] = await db`select id from people where org_id = ${orgId} and phone = '+14155550142'`;
    await waitForPath(page, `/people/${survivor.id}`);
    await shown(page).getByText("Met Olive at the webinar").first().waitFor();
    await shown(page).getByText("Olivia asked for pricing").first().waitFor();

    const rows = await db`select first_name, last_name, custom from people where org_id = ${orgId}`;
    expect(rows).toEqual([{ first_name: "Olivia", last_name: "Oyl", custom: { lead_source: "Webinar" } }]);
    const [event] = await db`select count(*)::int as n from domain_events where org_id = ${orgId} and type = 'person.merged'`;
    expect(event.n).toBe(1);

    await page.goto(appUrl("/people/duplicates"));
    await shown(page).getByText("No likely duplicate people found.", { exact: false }).waitFor();
  });

  it("changes the custom field in place on the person's page", async () => {
    const [person] = await db`select id from people where org_id = ${orgId}`;
    await page.goto(appUrl(`/people/${person.id}`));
    await page.getByRole("heading", { level: 1, name: "Olivia Oyl" }).waitFor();
    await page.getByRole("button", { name: "Edit Lead source" }).click();
    // A choice saves as soon as it is made.
    await page.getByRole("combobox", { name: "Lead source of Olivia Oyl" }).selectOption("Referral");
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await expect.poll(async () => (await db`select custom from people where id = ${person.id}`)[0].custom).toEqual({ lead_source: "Referral" });
    await page.reload();
    await page.getByRole("button", { name: "Edit Lead source" }).waitFor();
    await shown(page).locator("dl").getByText("Referral").waitFor();
  });

  it("marks two look-alike companies as not duplicates; they stay off the review page", async () => {
    await db`insert into companies (org_id, name, domain) values
               (${orgId}, 'Northwind Traders', 'northwind.example'), (${orgId}, 'Northwind Trading', 'northwind.example')`;
    await page.goto(appUrl("/companies/duplicates"));
    const pair = page.getByRole("list", { name: "Likely duplicate companies" }).getByRole("listitem").first();
    await pair.getByText("Same domain northwind.example").waitFor();
    await pair.getByRole("button", { name: /^Not a duplicate/ }).click();
    await shown(page).getByText("are no longer suggested as duplicates").waitFor();
    await shown(page).getByText("No likely duplicate companies found.", { exact: false }).waitFor();
    await expectAccessible(page);

    const [dismissal] = await db`select count(*)::int as n from duplicate_dismissals where org_id = ${orgId} and company_a_id is not null`;
    expect(dismissal.n).toBe(1);
    await page.reload();
    await shown(page).getByText("No likely duplicate companies found.", { exact: false }).waitFor();
  });
});
