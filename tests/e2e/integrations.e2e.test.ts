// The integrator's journey: the demo owner creates an API key in Settings →
// API and reads it off the page once; the test calls the REST API with it,
// adds a webhook endpoint in the UI pointing at a receiver it runs on
// loopback, moves a deal through the API, gets the signed `deal.moved`
// delivery (verified with the `standardwebhooks` library) and finds it in
// the endpoint's delivery log. Then the key is revoked in the UI and refused
// from the next request on. The API settings and reference pages pass an
// accessibility scan.
import type { Browser, Page } from "playwright-core";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Received, type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { appUrl, expectAccessible, launchBrowser, signIn, uniqueSuffix, shown } from "../support/browser";

async function api(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(appUrl(`/api/v1${path}`), {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe("integrations: API key, REST API and a webhook delivery", () => {
  const id = uniqueSuffix();
  const keyName = `Zapier sync ${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let receiver: Receiver;
  let token: string;
  let endpointPath: string | undefined;
  let secret: string;

  const keyRow = () => shown(page).getByTestId("api-key-row").filter({ hasText: keyName });

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: appUrl() });
    page = await context.newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    receiver = await startReceiver(`/integrations-${uniqueSuffix()}`);
    receiver.behave(() => ({ status: 204 }));
    await signIn(page, "demo@covey.local");
  });

  afterAll(async () => {
    // The demo org is shared with the other journeys: leave no endpoint behind
    // to fail (and be announced) once this receiver is gone.
    if (db && receiver) await db`delete from webhook_endpoints where url = ${receiver.url}`;
    await db?.end();
    await browser?.close();
    await receiver?.close();
  });

  it("creates a key in Settings → API and shows the token once", async () => {
    await page.getByRole("link", { name: "API", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "API" }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-api-settings.png", fullPage: true });

    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByRole("button", { name: "Create key" }).click();
    await dialog.getByText("Name the key").waitFor();
    await dialog.getByText("Choose at least one scope").waitFor();

    await dialog.getByLabel("Name", { exact: true }).fill(keyName);
    await dialog.getByRole("button", { name: "Full access" }).click();
    await dialog.getByRole("checkbox", { name: "Webhooks: write" }).click();
    expect(await dialog.getByRole("checkbox", { name: "Webhooks: read" }).isChecked()).toBe(true);
    await dialog.getByRole("checkbox", { name: "Notes: read" }).click();
    // Clearing read clears write too.
    expect(await dialog.getByRole("checkbox", { name: "Notes: write" }).isChecked()).toBe(false);
    await dialog.getByLabel("Expires").selectOption("90");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Copy your new key" });
    await shown.getByText("You won’t see this key again").waitFor();
    token = await shown.getByLabel("API key", { exact: true }).inputValue();
    expect(token).toMatch(/^covey_[a-z0-9]{8}_[A-Za-z0-9_-]{20,}$/);
    await shown.getByRole("button", { name: "Copy" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page);
    await shown.getByRole("button", { name: "I’ve stored it" }).click();
    await shown.waitFor({ state: "hidden" });

    // The list shows the prefix only, never the token again.
    await keyRow().waitFor();
    const row = await keyRow().innerText();
    expect(row).toContain(token.slice(0, 14));
    expect(row).not.toContain(token.slice(15));
    expect(row).toContain("Dana Demo");
    expect(row).toContain("Active");
    expect(row).not.toMatch(/Notes:/);
    expect(await page.content()).not.toContain(token.slice(15));
  });

  it("calls the REST API with the key", async () => {
    const me = await api(token, "/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ object: "api_key", prefix: token.slice(0, 14), org: { name: "Covey Demo" } });
    expect(me.body.scopes).toContain("people:write");
    expect(me.body.scopes).not.toContain("notes:read");

    const created = await api(token, "/people", { method: "POST", body: { first_name: "Ada", last_name: `Api ${id}`, email: `ada.${id}@example.com` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ object: "person", first_name: "Ada", email: `ada.${id}@example.com` });

    const listed = await api(token, `/people?q=${encodeURIComponent(`ada.${id}@example.com`)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);

    const refused = await api(token, "/people", { method: "POST", body: { first_name: "Ada", shoe_size: 9 } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "validation_failed", details: { shoe_size: [expect.any(String)] } });

    // The person made through the API is in the app, created by the key.
    await page.goto(appUrl(`/people/${created.body.id}`));
    await page.getByRole("heading", { level: 1, name: `Ada Api ${id}` }).waitFor();

    await page.goto(appUrl("/settings/api"));
    expect(await keyRow().innerText()).toMatch(/seconds? ago/);
  });

  it("adds a webhook endpoint for deal events in Settings → Webhooks", async () => {
    await page.goto(appUrl("/settings/webhooks"));
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add an endpoint" });
    await dialog.getByLabel("Endpoint URL").fill(receiver.url);
    await dialog.getByRole("checkbox", { name: "All deal events deal.*" }).click();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    endpointPath = new URL(page.url()).pathname;

    await page.getByRole("button", { name: "Reveal" }).click();
    await page.getByRole("button", { name: "Hide" }).waitFor();
    secret = (await shown(page).getByTestId("signing-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
  });

  it("moves a deal through the API and the receiver gets the signed deal.moved", async () => {
    const pipelines = await api(token, "/pipelines");
    expect(pipelines.status, JSON.stringify(pipelines.body)).toBe(200);
    const open = (pipelines.body.data[0].stages as { id: string; is_won: boolean; is_lost: boolean }[]).filter(
      (s) => !s.is_won && !s.is_lost,
    );
    expect(open.length).toBeGreaterThanOrEqual(2);
    const deal = await api(token, "/deals", {
      method: "POST",
      body: { name: `Integration deal ${id}`, stage_id: open[0].id, value_minor: 1250000 },
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const moved = await api(token, `/deals/${deal.body.id}/move`, {
      method: "POST",
      body: { stage_id: open[1].id, reason: "Moved by the integration" },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.stage_id).toBe(open[1].id);

    const verifier = new Webhook(secret);
    const isMove = (d: Received) => {
      const p = JSON.parse(d.body);
      return p.type === "deal.moved" && p.data.id === deal.body.id;
    };
    await expect.poll(() => receiver.received.some(isMove), { timeout: 30_000, interval: 250 }).toBe(true);
    const delivery = receiver.received.find(isMove)!;
    const payload = verifier.verify(delivery.body, delivery.headers) as {
      id: string;
      type: string;
      data: Record<string, unknown>;
      changes: Record<string, unknown>;
      actor: { type: string };
    };
    expect(delivery.headers["webhook-id"]).toBe(payload.id);
    expect(payload.data).toMatchObject({ id: deal.body.id, stage_id: open[1].id, name: `Integration deal ${id}` });
    expect(payload.changes.stage_id).toEqual([open[0].id, open[1].id]);
    expect(payload.actor.type).toBe("api_key");
    // A tampered body fails verification.
    expect(() => verifier.verify(delivery.body.replace(`Integration deal ${id}`, "Forged"), delivery.headers)).toThrow();

    // The endpoint's delivery log shows the attempt with that webhook-id.
    await page.goto(appUrl(endpointPath!));
    const attempt = shown(page).getByTestId("attempt-row").filter({ hasText: payload.id });
    await expect
      .poll(
        async () => {
          if (await attempt.count()) return true;
          await page.getByRole("button", { name: "Refresh" }).click();
          return false;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    expect(await attempt.innerText()).toContain("deal.moved");
    expect(await attempt.innerText()).toContain("204");

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("alertdialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await page.waitForURL((u) => u.pathname === "/settings/webhooks");
  });

  it("revokes the key; the API refuses it from then on", async () => {
    await page.goto(appUrl("/settings/api"));
    await keyRow().getByRole("button", { name: `Actions for the key ${keyName}` }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    const confirm = page.getByRole("alertdialog", { name: `Revoke “${keyName}”?` });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expect.poll(async () => keyRow().getAttribute("data-status")).toBe("revoked");
    expect(await keyRow().innerText()).toMatch(/by Dana Demo/);

    const me = await api(token, "/me");
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("unauthorized");
  });

  it("the API reference lists the operations with scopes and examples", async () => {
    await page.getByRole("link", { name: "API reference" }).click();
    await page.getByRole("heading", { level: 1, name: "API reference" }).waitFor();
    await page.getByRole("heading", { name: "Errors" }).waitFor();
    await expectAccessible(page);
    const doc = await fetch(appUrl("/api/v1/openapi.json")).then((r) => r.json());
    const ops = Object.values(doc.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(await shown(page).getByTestId("api-operation-link").count()).toBe(ops);

    await shown(page).getByTestId("api-operation-link").filter({ hasText: "Create a person" }).click();
    await page.getByRole("heading", { level: 1, name: "People" }).waitFor();
    const create = shown(page).locator("#op-createperson");
    await create.getByRole("heading", { name: "Create a person" }).waitFor();
    const text = await create.innerText();
    expect(text).toMatch(/scope people:write/);
    expect(text).toContain("Idempotency-Key");
    expect(text).toContain("Returns the person object");
    expect(await create.locator("pre").last().innerText()).toMatch(/^curl -X POST ".*\/api\/v1\/people"/);
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-api-reference.png" });
  });
});

describe("integrations: the API pages in the dark theme", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ colorScheme: "dark" })).newPage();
    await signIn(page, "demo@covey.local");
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("Settings → API, its create dialog and the reference pass an accessibility scan", async () => {
    await page.goto(appUrl("/settings/api"));
    await page.getByRole("table", { name: "API keys" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByRole("button", { name: "Read everything" }).click();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await page.goto(appUrl("/settings/api/reference"));
    await page.getByRole("navigation", { name: "API reference contents" }).waitFor();
    await expectAccessible(page);
    await page.goto(appUrl("/settings/api/reference/deals"));
    await shown(page).locator("#object-deal details summary").click();
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/covey-e2e-api-reference-dark.png" });
  });
});
