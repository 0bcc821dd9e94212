// Settings → Webhooks: an owner adds an endpoint pointing at a receiver this
// test runs on loopback, reveals the signing secret, sends a test event that
// the receiver verifies with the `standardwebhooks` library, and finds the
// attempt in the delivery log. Then the secret is rotated with an overlap,
// and an endpoint the dispatcher turned off for failing is announced on the
// dashboard and re-enabled from there. Every webhooks page passes an
// accessibility scan.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { appUrl, expectAccessible, expectDashboardOf, launchBrowser, signUpOwner, uniqueSuffix, waitForPath, shown } from "../support/browser";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("settings: webhooks", () => {
  const id = uniqueSuffix();
  const owner = { name: "Wren Webhook", email: `wren.${id}@example.com`, password: `hooks-pass-${id}` };

  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let receiver: Receiver;
  let endpointPath: string;
  let secret: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: appUrl() });
    page = await context.newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    receiver = await startReceiver("/covey-hooks");
    receiver.behave(() => ({ status: 200, headers: { "content-type": "text/plain" }, body: "received by the e2e receiver" }));
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await receiver?.close();
  });

  it("signs up", async () => {
    await signUpOwner(page, owner, `Hooks Co ${id}`);
    await expectDashboardOf(page, `Hooks Co ${id}`);
  });

  it("adds an endpoint, with clear errors for a bad one", async () => {
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
    await shown(page).getByText("No endpoints yet.").waitFor();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add an endpoint" });
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await dialog.getByText("Enter the endpoint's URL").waitFor();
    await dialog.getByText("Choose at least one event type").waitFor();
    await expectAccessible(page);

    // The server applies the URL policy: no private addresses.
    await dialog.getByLabel("Endpoint URL").fill("https://10.0.0.8/hooks");
    await dialog.getByRole("checkbox", { name: "All deal events deal.*" }).click();
    expect(await dialog.getByRole("checkbox", { name: "deal.moved" }).isChecked()).toBe(true);
    expect(await dialog.getByRole("checkbox", { name: "deal.moved" }).isDisabled()).toBe(true);
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await dialog.getByText(/cannot receive webhooks: .*private address/).waitFor();

    await dialog.getByLabel("Endpoint URL").fill(receiver.url);
    await dialog.getByLabel("Description (optional)").fill("Order system");
    await dialog.getByRole("checkbox", { name: "person.created" }).click();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    endpointPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: receiver.url }).waitFor();
    await shown(page).getByText("No delivery attempts yet.").waitFor();
    await expectAccessible(page);

    const [row] = await db`select url, description, event_types, enabled from webhook_endpoints where id = ${endpointPath.split("/").pop()!}`;
    expect(row).toEqual({ url: receiver.url, description: "Order system", event_types: ["person.created", "deal.*"], enabled: true });
  });

  it("reveals the signing secret", async () => {
    const secretBox = shown(page).getByTestId("signing-secret");
    expect(await secretBox.textContent()).not.toMatch(/^whsec_[A-Za-z0-9+/]{20}/);
    await page.getByRole("button", { name: "Reveal" }).click();
    await page.getByRole("button", { name: "Hide" }).waitFor();
    secret = (await secretBox.textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.getByRole("button", { name: "Copy" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  });

  it("sends a test event that the receiver verifies, and logs the attempt", async () => {
    await page.getByRole("button", { name: "Send test event" }).click();
    const toast = await shown(page).getByText(/Test event sent \(webhook-id [0-9a-f-]{36}\)/).textContent();
    const webhookId = /webhook-id ([0-9a-f-]{36})/.exec(toast!)![1];

    const got = await until("the test event at the receiver", async () => receiver.received.find((r) => r.headers["webhook-id"] === webhookId));
    const payload = new Webhook(secret).verify(got.body, got.headers) as { type: string; id: string };
    expect(payload).toMatchObject({ type: "webhook.test", id: webhookId });

    const row = shown(page).getByTestId("attempt-row").filter({ hasText: webhookId });
    await until("the attempt in the delivery log", async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      return (await row.count()) > 0;
    });
    await row.getByText("webhook.test").waitFor();
    await row.getByText("✓ 200", { exact: true }).waitFor();
    await row.getByText("Show body").click();
    await row.getByText("received by the e2e receiver").waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: "Failed", exact: true }).click();
    await shown(page).getByText("No attempts match this filter.").waitFor();
    await page.getByRole("link", { name: /^Dead letters \(0\)$/ }).click();
    await shown(page).getByText("No dead letters.").waitFor();
    await expectAccessible(page);
  });

  it("rotates the secret; the previous one keeps signing for the overlap", async () => {
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await dialog.getByText(/signature from both secrets/).waitFor();
    expect(await dialog.getByLabel("Keep the current secret valid for").inputValue()).toBe("24");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    await shown(page).getByText("Secret rotated; the previous one keeps signing for 24 hours").waitFor();
    await shown(page).getByTestId("previous-secret-note").waitFor();

    await page.getByRole("button", { name: "Reveal" }).click();
    await page.getByRole("button", { name: "Hide" }).waitFor();
    const rotated = (await shown(page).getByTestId("signing-secret").textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);

    // A delivery now verifies with either secret.
    const before = receiver.received.length;
    await page.getByRole("button", { name: "Send test event" }).click();
    const got = await until("a delivery after the rotation", async () => receiver.received[before]);
    for (const s of [secret, rotated]) expect(new Webhook(s).verify(got.body, got.headers)).toMatchObject({ type: "webhook.test" });
  });

  it("announces an endpoint turned off for failing and re-enables it", async () => {
    const endpointId = endpointPath.split("/").pop()!;
    // What the dispatcher does after sustained failure.
    await db`update webhook_endpoints set enabled = false, disabled_reason = 'failing', consecutive_failures = 12,
             failing_since = now() - interval '2 days' where id = ${endpointId}`;
    await page.goto(appUrl("/"));
    const alert = shown(page).getByTestId("webhooks-failing-alert");
    await alert.getByText("A webhook endpoint was turned off after failing repeatedly").waitFor();
    await expectAccessible(page);
    await alert.getByRole("link", { name: receiver.url }).click();
    await waitForPath(page, endpointPath);
    await shown(page).getByText("Disabled: failing").first().waitFor();
    expect(await page.getByRole("button", { name: "Send test event" }).isDisabled()).toBe(true);
    await expectAccessible(page);

    await shown(page).getByTestId("webhooks-failing-alert").getByRole("button", { name: "Re-enable" }).click();
    await shown(page).getByText(/Endpoint enabled/).waitFor();
    await shown(page).getByTestId("webhooks-failing-alert").waitFor({ state: "detached" });
    const [row] = await db`select enabled, disabled_reason, consecutive_failures from webhook_endpoints where id = ${endpointId}`;
    expect(row).toEqual({ enabled: true, disabled_reason: null, consecutive_failures: 0 });

    await page.goto(appUrl("/"));
    await page.getByRole("heading", { level: 1, name: "Welcome, Wren" }).waitFor();
    expect(await shown(page).getByTestId("webhooks-failing-alert").count()).toBe(0);
  });

  it("lists the endpoint with its last delivery and success rate, and deletes it", async () => {
    await page.goto(appUrl("/settings/webhooks"));
    const row = page.getByRole("row").filter({ hasText: receiver.url });
    await row.getByText("Enabled").waitFor();
    await row.getByText("100%").waitFor();
    await row.getByText("Order system").waitFor();
    await expectAccessible(page);

    await row.getByRole("link", { name: receiver.url }).click();
    await waitForPath(page, endpointPath);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete this endpoint?" });
    await expectAccessible(page);
    await confirm.getByRole("button", { name: "Delete endpoint" }).click();
    await waitForPath(page, "/settings/webhooks");
    await shown(page).getByText("No endpoints yet.").waitFor();
  });
});
