// Lead routing, end to end: an owner adds a round-robin rule for web-form
// leads among two members in Settings → Lead routing, a visitor submits the
// org's hosted web form, and the lead goes to the first member in turn, who
// is notified naming the rule; the lead's page shows the rule on its
// timeline and in its routing history. Then a partner is added in Settings →
// Partners with a rule for Texas moved above the rotation; a Texas lead is
// offered to the partner by email, the partner opens the link from the dev
// mailbox, accepts and sees the contact details, and the link refuses to
// work again. The preview says which rule would take a lead. Last, a
// partner that takes offers by signed webhook is added (its secret shown
// once) with a rule for Washington; a Washington lead's offer reaches a
// receiver this test runs on loopback, which verifies it with the
// `standardwebhooks` library and accepts it with a JSON POST to the offer's
// link, and the lead's page shows the partner accepted. The demo org's own
// webhook partner, whose system is the stand-in /dev/partner shows, gets a
// Washington lead of the demo org, and accepting it there answers Covey.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { appUrl, expectAccessible, expectDashboardOf, latestMailLink, launchBrowser, signUpOwner, uniqueSuffix, shown } from "../support/browser";

describe("lead routing and partners", () => {
  const id = uniqueSuffix();
  const owner = { name: "Rhea Router", email: `rhea.${id}@example.com`, password: `routing-pass-${id}` };
  const colleague = { name: "Cole Second", email: `cole.${id}@example.com` };
  const partnerEmail = `offers.${id}@lonestar.example`;
  const orgName = `Routing Co ${id}`;

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;
  let formKey: string;
  let receiver: Receiver;
  let partnerSecret: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    receiver = await startReceiver("/covey-offers");
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await receiver?.close();
  });

  /** The lead the hosted web form made for `email`. */
  const leadOf = async (email: string) =>
    (await db`select id, owner_id, status from leads where org_id = ${orgId} and email = ${email}`)[0];

  async function submitForm(first: string, email: string, state: string) {
    await page.goto(appUrl(`/f/${formKey}`));
    await shown(page).getByLabel("First name").fill(first);
    await shown(page).getByLabel("Email").fill(email);
    await shown(page).getByLabel("State").fill(state);
    await page.getByRole("button", { name: /submit|send/i }).click();
    await shown(page).getByText("Thanks, we will call you.").waitFor();
  }

  it("signs up, with a colleague and a web form", async () => {
    await signUpOwner(page, owner, orgName);
    await expectDashboardOf(page, orgName);
    [{ org_id: orgId }] = await db`select org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    const token = randomBytes(16).toString("hex");
    await db`insert into org_invites (org_id, email, role, token_hash, invited_by)
             select ${orgId}, ${colleague.email}, 'member', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), user_id
             from org_members where org_id = ${orgId} and role = 'owner'`;
    await db`insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
             values (${colleague.email}, extensions.crypt('not-used-here', extensions.gen_salt('bf', 4)), now(),
                     ${db.json({ full_name: colleague.name, invite_token: token })}, 'authenticated', 'authenticated')`;
    [{ key: formKey }] = await db`
      insert into web_forms (org_id, name, fields, min_fill_seconds, thank_you_message)
      values (${orgId}, 'Quote request', ${db.json([
        { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
        { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
        { name: "state", label: "State", type: "text", required: false, maps_to: "state" },
      ])}, 0, 'Thanks, we will call you.')
      returning key`;
  });

  it("adds a round-robin rule for web-form leads", async () => {
    await page.goto(appUrl("/"));
    await page.getByRole("link", { name: "Lead routing", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Lead routing" }).waitFor();
    await shown(page).getByText("No rules yet").waitFor();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Add rule" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a routing rule" });
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await dialog.getByText("Give the rule a name").waitFor();
    await dialog.getByText("Choose at least one user").waitFor();

    await dialog.getByLabel("Rule name").fill("Web form rotation");
    await dialog.getByRole("group", { name: "Comes from" }).getByLabel("Web form").click();
    await expect.poll(() => dialog.getByLabel("Action").inputValue()).toBe("round_robin");
    const users = dialog.getByRole("group", { name: "Users, in turn" });
    await users.getByLabel(owner.name).click();
    await users.getByLabel(colleague.name).click();
    expect(await dialog.getByText("Choose at least one user").count()).toBe(0);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await dialog.waitFor({ state: "detached" });

    const rule = page.getByRole("listitem", { name: "Web form rotation" });
    await rule.getByText("Source: Web form").waitFor();
    await rule.getByText(`Round-robin among users: ${owner.name} (0), ${colleague.name} (0)`).waitFor();
  });

  it("routes a web form lead to the first member in turn, who is told which rule", async () => {
    await submitForm("Ada", `ada.${id}@lead.example`, "CA");
    const ownerId = (await db`select id from auth.users where email = ${owner.email}`)[0].id;
    await expect.poll(() => leadOf(`ada.${id}@lead.example`)).toMatchObject({ owner_id: ownerId, status: "routed" });
    const [item] = await db`select data from timeline_events where lead_id = ${(await leadOf(`ada.${id}@lead.example`)).id} and kind = 'routed'`;
    expect(item.data).toMatchObject({ rule_name: "Web form rotation", user_name: owner.name });

    await page.goto(appUrl(`/leads/${(await leadOf(`ada.${id}@lead.example`)).id}`));
    const timeline = shown(page).locator('[data-kind="routed"]');
    await timeline.getByText(`routed this lead by the rule Web form rotation to ${owner.name}`).waitFor();
    await page.getByRole("region", { name: "Routing" }).getByText(`Routed by "Web form rotation" to ${owner.name}`).waitFor();
    await expectAccessible(page);

    await page.goto(appUrl("/notifications"));
    await shown(page).getByText("New lead: Ada").waitFor();
    await shown(page).getByText('Routed to you by the rule "Web form rotation".').waitFor();

    await submitForm("Bo", `bo.${id}@lead.example`, "NV");
    const colleagueId = (await db`select id from auth.users where email = ${colleague.email}`)[0].id;
    await expect.poll(() => leadOf(`bo.${id}@lead.example`)).toMatchObject({ owner_id: colleagueId, status: "routed" });

    await page.goto(appUrl("/settings/routing"));
    await page
      .getByRole("listitem", { name: "Web form rotation" })
      .getByText(`Round-robin among users: ${owner.name} (1), ${colleague.name} (1)`)
      .waitFor();
  });

  it("adds a partner and a Texas rule above the rotation", async () => {
    await page.getByRole("link", { name: "Partners", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Partners" }).waitFor();
    await page.getByRole("button", { name: "Add partner" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a partner" });
    await dialog.getByLabel("Name").fill("Lone Star Fulfil");
    await dialog.getByLabel("Contact email (offers go here)").fill("not an email");
    await dialog.getByLabel("States served (empty: any)").fill("TX, Texas");
    await dialog.getByRole("button", { name: "Add partner" }).click();
    await dialog.getByText("Enter an email address").waitFor();
    await dialog.getByText("Use 2-letter state codes, like CA").waitFor();
    await dialog.getByLabel("Contact email (offers go here)").fill(partnerEmail);
    await dialog.getByLabel("States served (empty: any)").fill("TX");
    await dialog.getByLabel("Leads per day (empty: no limit)").fill("5");
    await dialog.getByRole("button", { name: "Add partner" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: "Lone Star Fulfil" });
    await row.getByText("5/day").waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: "Lead routing", exact: true }).click();
    await page.getByRole("button", { name: "Add rule" }).click();
    const ruleDialog = page.getByRole("dialog", { name: "Add a routing rule" });
    await ruleDialog.getByLabel("Rule name").fill("Texas partner");
    await ruleDialog.getByLabel("In the states").fill("tx");
    await ruleDialog.getByLabel("Action").selectOption("partner");
    await ruleDialog.getByRole("group", { name: /^Partners/ }).getByLabel("Lone Star Fulfil").click();
    await ruleDialog.getByRole("button", { name: "Add rule" }).click();
    await ruleDialog.waitFor({ state: "detached" });

    const rules = page.getByRole("list", { name: "Routing rules" }).getByRole("listitem");
    await expect
      .poll(() => rules.evaluateAll((items) => items.map((i) => i.getAttribute("aria-label"))), { timeout: 15_000 })
      .toEqual(["Web form rotation", "Texas partner"]);
    await page.getByRole("button", { name: "Move Texas partner up" }).click();
    await expect
      .poll(() => rules.evaluateAll((items) => items.map((i) => i.getAttribute("aria-label"))), { timeout: 15_000 })
      .toEqual(["Texas partner", "Web form rotation"]);
    await page.getByRole("listitem", { name: "Texas partner" }).getByText("State: TX").waitFor();

    await shown(page).getByLabel("State").fill("TX");
    await page.getByRole("button", { name: "Which rule would take it?" }).click();
    await page.getByRole("status").getByText('Rule 1, "Texas partner", would take this lead.').waitFor();
    await shown(page).getByLabel("State").fill("OR");
    await page.getByRole("button", { name: "Which rule would take it?" }).click();
    await page.getByRole("status").getByText('Rule 2, "Web form rotation", would take this lead.').waitFor();
  });

  it("offers a Texas lead to the partner, who accepts once from the emailed link", async () => {
    await submitForm("Tex", `tex.${id}@lead.example`, "TX");
    await expect.poll(() => leadOf(`tex.${id}@lead.example`)).toMatchObject({ owner_id: null, status: "routed" });

    const link = await latestMailLink(page, partnerEmail, "partner_offer");
    expect(link).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: `A lead from ${orgName}` }).waitFor();
    await shown(page).getByText("For Lone Star Fulfil.").waitFor();
    await expect.poll(() => shown(page).getByText(`tex.${id}@lead.example`).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Accept lead" }).click();
    await shown(page).getByText("You accepted this lead").waitFor();
    await shown(page).getByText(`tex.${id}@lead.example`).waitFor();

    await page.goto(link);
    await page.getByRole("alert").getByText("This link has already been used: you accepted this lead.").waitFor();
    await expect.poll(() => page.getByRole("button", { name: "Accept lead" }).count()).toBe(0);

    await page.goto(appUrl("/settings/partners"));
    const offer = page.getByRole("table", { name: "Partner offers" }).getByRole("row").filter({ hasText: "Tex" });
    await offer.getByText("Accepted").waitFor();
    await offer.getByText("Texas partner").waitFor();
    await page.goto(appUrl("/notifications"));
    await shown(page).getByText("Lone Star Fulfil accepted Tex").waitFor();

    await page.goto(appUrl(`/leads/${(await leadOf(`tex.${id}@lead.example`)).id}`));
    const routing = page.getByRole("region", { name: "Routing" });
    await routing.getByText("Lone Star Fulfil accepted the lead").waitFor();
    await routing.getByRole("table", { name: "Partner offers" }).getByText("Accepted").waitFor();
  });

  it("adds a partner that takes offers by signed webhook, its secret shown once, with a Washington rule", async () => {
    await page.goto(appUrl("/settings/partners"));
    await page.getByRole("button", { name: "Add partner" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a partner" });
    await dialog.getByLabel("Name").fill("Cascade Hooks");
    await dialog.getByLabel("Contact email (offers go here)").fill(`ops.${id}@cascade.example`);
    await dialog.getByLabel("States served (empty: any)").fill("WA");
    await dialog.getByLabel("Offers are sent by").selectOption("webhook");
    await dialog.getByRole("button", { name: "Add partner" }).click();
    await dialog.getByText("Enter the URL offers are sent to").waitFor();
    await dialog.getByLabel("Webhook URL").fill(receiver.url);
    await dialog.getByRole("button", { name: "Add partner" }).click();
    const secret = dialog.getByTestId("partner-signing-secret");
    await secret.waitFor();
    partnerSecret = (await secret.textContent()) ?? "";
    expect(partnerSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: "Cascade Hooks" });
    await row.getByText("Signed webhook").waitFor();
    await row.getByText(`Secret ••••${partnerSecret.slice(-4)}`).waitFor();
    expect(await page.content()).not.toContain(partnerSecret);

    await page.getByRole("link", { name: "Lead routing", exact: true }).click();
    await page.getByRole("button", { name: "Add rule" }).click();
    const ruleDialog = page.getByRole("dialog", { name: "Add a routing rule" });
    await ruleDialog.getByLabel("Rule name").fill("Washington partner");
    await ruleDialog.getByLabel("In the states").fill("wa");
    await ruleDialog.getByLabel("Action").selectOption("partner");
    await ruleDialog.getByRole("group", { name: /^Partners/ }).getByLabel("Cascade Hooks").click();
    await ruleDialog.getByRole("button", { name: "Add rule" }).click();
    await ruleDialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Move Washington partner up" }).click();
    const rules = page.getByRole("list", { name: "Routing rules" }).getByRole("listitem");
    await expect
      .poll(() => rules.evaluateAll((items) => items.map((i) => i.getAttribute("aria-label"))), { timeout: 15_000 })
      .toEqual(["Texas partner", "Washington partner", "Web form rotation"]);
  });

  it("delivers a Washington lead's offer signed to the partner's receiver, which accepts it by POST", async () => {
    await submitForm("Wynn", `wynn.${id}@lead.example`, "WA");
    const [delivery] = await receiver.waitFor(1, 30_000);
    const offer = new Webhook(partnerSecret).verify(delivery.body, {
      "webhook-id": delivery.id,
      "webhook-timestamp": delivery.timestamp,
      "webhook-signature": delivery.signature,
    }) as { type: string; data: { from: string; lead: { first_name: string; state: string }; respond_url: string } };
    expect(offer).toMatchObject({ type: "lead.offered", data: { from: orgName, lead: { first_name: "Wynn", state: "WA" } } });
    expect(delivery.body).not.toContain(`wynn.${id}@lead.example`);

    const answer = await fetch(offer.data.respond_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ decision: "accept" }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: "accepted", lead: { email: `wynn.${id}@lead.example` } });
    const again = await fetch(offer.data.respond_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ decision: "reject" }),
    });
    expect(again.status).toBe(409);

    await page.goto(appUrl(`/leads/${(await leadOf(`wynn.${id}@lead.example`)).id}`));
    const routing = page.getByRole("region", { name: "Routing" });
    await routing.getByText("Cascade Hooks accepted the lead").waitFor();
    await routing.getByRole("table", { name: "Partner offers" }).getByText("Accepted").waitFor();
    await page.goto(appUrl("/settings/partners"));
    const row = page.getByRole("table", { name: "Partner offers" }).getByRole("row").filter({ hasText: "Wynn" });
    await row.getByText("Accepted").waitFor();
    await row.getByText("Washington partner").waitFor();
  });

  it("shows the demo webhook partner's offer at /dev/partner, where accepting it answers Covey", async () => {
    const first = `Dana${id}`;
    const [demo] = await db`select id from orgs where name = 'Covey Demo'`;
    const [lead] = await db`insert into leads (org_id, source, first_name, state) values (${demo.id}, 'web_form', ${first}, 'WA') returning id`;
    const offer = async () => (await db`select d.status, p.name from partner_deliveries d join partners p on p.id = d.partner_id where d.lead_id = ${lead.id}`)[0];
    expect(await offer()).toEqual({ status: "sent", name: "Cascade Fulfillment" });

    await page.goto(appUrl("/dev/partner"));
    await page.getByRole("heading", { level: 1, name: "Dev: a partner's system" }).waitFor();
    const offerCard = page.getByRole("region", { name: `${first}, WA · Web form` });
    // The offer reaches the stand-in through the job queue; the page shows what has arrived when it loads.
    await expect
      .poll(async () => {
        if (await offerCard.count()) return true;
        await page.reload();
        return false;
      }, { timeout: 30_000 })
      .toBe(true);
    await offerCard.getByText("Signature verified").waitFor();
    await expectAccessible(page);
    await offerCard.getByRole("button", { name: "Accept" }).click();
    await offerCard.getByText("Accepted; Covey answered 200.").waitFor();
    await expect.poll(offer).toEqual({ status: "accepted", name: "Cascade Fulfillment" });
  });
});
