// An integrator logs calls through the REST API on the embedded runtime: the
// demo owner makes a key with only the Calls scopes in Settings → API and a
// webhook endpoint for call events; a call logged with the key is on Maria
// Gonzalez's timeline, listed by the API, and delivered signed as
// call.logged with the call exactly as GET /api/v1/calls/{id} shows it; a
// call placed with the key rings Dana's phone on the Twilio stand-in and
// moves on as Twilio's callbacks say. The reference documents the Calls
// operations with an example.
import type { Browser, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { appUrl, expectAccessible, launchBrowser, shown, signIn, uniqueSuffix } from "../support/browser";

async function api(token: string, path: string, body?: unknown) {
  const res = await fetch(appUrl(`/api/v1${path}`), {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe("calls through the REST API", () => {
  const id = uniqueSuffix();
  const keyName = `Dialer sync ${id}`;
  const notes = `Quoted the kitchen remodel by phone. ${id}`;
  let browser: Browser;
  let page: Page;
  let db: postgres.Sql;
  let receiver: Receiver;
  let token: string;
  let secret: string;
  let personId: string;
  let callId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    db = postgres(inject("adminDbUrl"), { max: 1, onnotice: () => {} });
    receiver = await startReceiver(`/calls-api-${id}`);
    [{ id: personId }] = await db`select id from people where first_name = 'Maria' and last_name = 'Gonzalez'`;
    await signIn(page, "demo@covey.local");
  });
  afterAll(async () => {
    // The demo org is shared with the other journeys: leave no endpoint or key behind.
    if (db && receiver) await db`delete from webhook_endpoints where url = ${receiver.url}`;
    if (db) await db`update api_keys set revoked_at = now() where name = ${keyName}`;
    await db?.end();
    await browser?.close();
    await receiver?.close();
  });

  it("makes a key with the Calls scopes and an endpoint for call events", async () => {
    await page.goto(appUrl("/settings/api"));
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("Name", { exact: true }).fill(keyName);
    await dialog.getByRole("checkbox", { name: "Calls: write" }).click();
    // Writing calls needs reading them: the form ticks read with write.
    expect(await dialog.getByRole("checkbox", { name: "Calls: read" }).isChecked()).toBe(true);
    await page.screenshot({ path: "/tmp/calls-api-key-dialog.png" });
    await dialog.getByRole("button", { name: "Create key" }).click();
    const created = page.getByRole("dialog", { name: "Copy your new key" });
    token = await created.getByLabel("API key", { exact: true }).inputValue();
    await created.getByRole("button", { name: "I’ve stored it" }).click();
    const row = shown(page).getByTestId("api-key-row").filter({ hasText: keyName });
    await row.waitFor();
    expect(await row.innerText()).toContain("Calls: read, write");

    await page.goto(appUrl("/settings/webhooks"));
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const add = page.getByRole("dialog", { name: "Add an endpoint" });
    await add.getByLabel("Endpoint URL").fill(receiver.url);
    await add.getByRole("checkbox", { name: "All call events call.*" }).click();
    await add.getByRole("button", { name: "Add endpoint" }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Reveal" }).click();
    await page.getByRole("button", { name: "Hide" }).waitFor();
    secret = (await shown(page).getByTestId("signing-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
  });

  it("logs a call with the key: on the timeline, listed, and delivered as GET shows it", async () => {
    const refused = await api(token, "/calls", { person_id: personId, direction: "outbound", outcome: "left_voicemail", duration_seconds: -1 });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.error.details)).toEqual(["duration_seconds"]);

    const logged = await api(token, "/calls", { person_id: personId, direction: "outbound", outcome: "left_voicemail", duration_seconds: 150, notes });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    callId = logged.body.id;
    expect(logged.body).toMatchObject({ object: "call", source: "manual", status: "completed", person_id: personId, duration_seconds: 150, notes });

    const listed = await api(token, `/calls?person_id=${personId}&source=manual&limit=100`);
    expect(listed.body.data.find((c: { id: string }) => c.id === callId)).toEqual(logged.body);

    await page.goto(appUrl(`/people/${personId}`));
    const item = shown(page).locator('li[data-kind="call_logged"]').filter({ hasText: notes });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getByTestId("timeline-call-status").textContent()).toBe("Left voicemail · 2:30");
    await page.screenshot({ path: "/tmp/calls-api-timeline.png", fullPage: true });

    const isOurs = () => receiver.received.find((r) => r.payload.type === "call.logged" && r.payload.data.id === callId);
    await expect.poll(() => !!isOurs(), { timeout: 30_000, interval: 250 }).toBe(true);
    const delivery = isOurs()!;
    receiver.verify(delivery, secret);
    const got = await api(token, `/calls/${callId}`);
    expect(delivery.payload.data).toEqual(got.body);
    expect(delivery.payload).toMatchObject({ actor: { type: "api_key" } });
  });

  it("places a call with the key: the member's phone rings, and the call is on the timeline as Twilio moves it", async () => {
    const placed = await api(token, "/calls/dial", { person_id: personId });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ source: "twilio", direction: "outbound", status: "queued", person_id: personId, to: "+15125550201" });
    expect(placed.body.provider_sid).toMatch(/^CA[0-9a-f]{32}$/);
    // The Twilio stand-in rings Dana's phone and tells twilio-voice, signed, as Twilio would.
    await expect.poll(async () => (await api(token, `/calls/${placed.body.id}`)).body.status, { timeout: 15_000, interval: 250 }).toBe("ringing");
    await page.goto(appUrl(`/people/${personId}`));
    await shown(page).locator('li[data-kind="call_placed"]').first().waitFor({ timeout: 15_000 });
  });

  it("documents the Calls operations in the reference, with an example", async () => {
    await page.goto(appUrl("/settings/api/reference"));
    await shown(page).getByTestId("api-operation-link").filter({ hasText: "Log a call made outside Covey" }).click();
    await page.getByRole("heading", { level: 1, name: "Calls" }).waitFor();
    const op = shown(page).locator("#op-logcall");
    await op.getByRole("heading", { name: "Log a call made outside Covey" }).waitFor();
    const text = await op.innerText();
    expect(text).toMatch(/scope calls:write/);
    expect(text).toContain("Idempotency-Key");
    expect(await op.locator("pre").last().innerText()).toContain('"outcome": "left_voicemail"');
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/calls-api-reference.png", fullPage: true });
  });
});
