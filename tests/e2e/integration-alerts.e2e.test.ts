// Settings → Integrations: an alert raised through the real SQL entry point
// (as a dead job or an adapter raises it) reaches the owner's bell, the
// main navigation (an Alerts entry with its count, shown while any is open)
// and the settings nav's badge without a reload, is listed on the page the bell's
// notification links to, and is acknowledged (off the badge), snoozed (off
// the active list) and resolved. An adapter's failures show in the health
// of its integration. The page passes an accessibility scan.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appUrl, expectAccessible, launchBrowser, signUpOwner, uniqueSuffix, waitForPath, shown } from "../support/browser";

describe("integrations: health and alerts", () => {
  const id = uniqueSuffix();
  const owner = { name: "Ada Alert", email: `ada.alert.${id}@example.com`, password: `alerts-pass-${id}` };

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let orgId: string;
  let alertId: string;

  const nav = () => page.getByRole("navigation", { name: "Main" });
  const navLink = (name: string) => nav().getByRole("link", { name, exact: true });
  /** The count beside a nav link (its description, not part of its name). */
  const navBadge = (link: string) =>
    nav().getByRole("listitem").filter({ has: page.getByRole("link", { name: link, exact: true }) }).getByTestId("nav-badge");
  const bell = () => page.getByRole("banner").getByRole("button", { name: /^Notifications/ });
  const alertRow = () => page.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: "Meta page token expired" });

  /** As service_role, the way jobs and adapters call the database. */
  const asService = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) =>
    db.begin(async (tx) => {
      await tx`set local role service_role`;
      return fn(tx);
    }) as Promise<T>;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("shows each integration's health and no alerts at first", async () => {
    await signUpOwner(page, owner, `Alerts Co ${id}`);
    [{ org_id: orgId }] = await db`select m.org_id from org_members m join auth.users u on u.id = m.user_id where u.email = ${owner.email}`;
    await navLink("Integrations").click();
    await waitForPath(page, "/settings/integrations");
    await shown(page).getByText("No open alerts.", { exact: false }).waitFor();
    // Nothing to look at: no Alerts entry in the main navigation.
    expect(await navLink("Alerts").count()).toBe(0);
    for (const name of ["Meta Lead Ads", "Web forms", "Twilio", "Gmail", "Outbound webhooks", "Background jobs"]) {
      await page.getByRole("heading", { level: 2, name, exact: true }).waitFor();
    }
    expect(await shown(page).locator('[data-integration="twilio"]').getAttribute("data-status")).toBe("not_set_up");
    await expectAccessible(page);
  });

  it("counts an adapter's failure in its integration's health", async () => {
    await asService((tx) => tx`select private.record_integration_result(${orgId}, 'twilio', '+15550001111', false, 'HTTP 401 from Twilio')`);
    await page.reload();
    const twilio = shown(page).locator('[data-integration="twilio"]');
    await expect.poll(() => twilio.getAttribute("data-status")).toBe("failing");
    await twilio.getByText("HTTP 401 from Twilio").first().waitFor();
  });

  it("announces a raised alert in the bell and the nav badge, and the bell links to it", async () => {
    [{ id: alertId }] = await asService(
      (tx) => tx`select private.raise_alert(${orgId}, 'meta', '1234', 'meta:token_expired:1234', 'critical',
                                           'Meta page token expired', 'Reconnect the page to keep receiving leads.') as id`,
    );
    await page.goto(appUrl("/"));
    await expect.poll(() => navBadge("Alerts").textContent(), { timeout: 20_000 }).toBe("1 open alert, 1");
    await expect.poll(() => navBadge("Integrations").textContent()).toBe("1 open alert, 1");
    // In the main section, above the settings, where it is seen on every page.
    const sections = await nav().getByRole("list").all();
    expect(await sections[0].getByRole("link", { name: "Alerts", exact: true }).count()).toBe(1);
    expect(await navLink("Alerts").getAttribute("aria-describedby")).toBe(await navBadge("Alerts").getAttribute("id"));
    await navLink("Alerts").click();
    await waitForPath(page, "/settings/integrations");
    await alertRow().waitFor();
    await page.goto(appUrl("/"));
    await expect.poll(() => bell().getAttribute("aria-label")).toBe("Notifications, 1 unread");
    await bell().click();
    await page.getByRole("dialog", { name: "Notifications" }).waitFor();
    await page.getByRole("dialog", { name: "Notifications" }).getByRole("link", { name: "Meta page token expired" }).click();
    await waitForPath(page, "/settings/integrations");
    expect(new URL(page.url()).hash).toBe(`#alert-${alertId}`);
    await alertRow().getByText("Reconnect the page to keep receiving leads.").waitFor();
    expect(await alertRow().getAttribute("data-status")).toBe("open");
    // Raised again: counted on the same alert.
    await asService((tx) => tx`select private.raise_alert(${orgId}, 'meta', '1234', 'meta:token_expired:1234', 'critical',
                                                       'Meta page token expired', 'Reconnect the page to keep receiving leads.')`);
    await page.reload();
    await alertRow().getByText("seen 2 times", { exact: false }).waitFor();
    await expectAccessible(page);
  });

  it("acknowledges it: off the badge, still listed", async () => {
    await alertRow().getByRole("button", { name: "Acknowledge “Meta page token expired”" }).click();
    await shown(page).getByText("Alert acknowledged").waitFor();
    await expect.poll(() => alertRow().getAttribute("data-status")).toBe("acknowledged");
    await expect.poll(() => navBadge("Integrations").count()).toBe(0);
    expect(await navLink("Alerts").count()).toBe(0);
    await alertRow().getByText(`acknowledged by ${owner.name}`, { exact: false }).waitFor();
  });

  it("snoozes it off the active list, then resolves it", async () => {
    await alertRow().getByRole("button", { name: "Snooze “Meta page token expired”" }).click();
    const snooze = page.getByRole("dialog", { name: "Snooze for" });
    await snooze.getByLabel("Hours").fill("0");
    await snooze.getByRole("button", { name: "Snooze", exact: true }).click();
    await snooze.getByText("Snooze for at least 1 hour").waitFor();
    await snooze.getByRole("button", { name: "4 hours" }).click();
    await shown(page).getByText("Snoozed for 4 hours").waitFor();
    await shown(page).getByText("No open alerts.", { exact: false }).waitFor();

    await page.getByRole("link", { name: "Snoozed", exact: true }).click();
    await alertRow().getByText("snoozed until", { exact: false }).waitFor();
    await alertRow().getByRole("button", { name: "Resolve “Meta page token expired”" }).click();
    await shown(page).getByText("Alert resolved").waitFor();
    await page.getByRole("link", { name: "Resolved", exact: true }).click();
    await expect.poll(() => alertRow().getAttribute("data-status")).toBe("resolved");
    const [row] = await db`select status, resolved_at from integration_alerts where id = ${alertId}`;
    expect(row.status).toBe("resolved");
  });
});
