// The daily token check against real Postgres and the Graph API stand-in:
// a token about to expire (or revoked) is recorded on the page and in the
// Meta card's health, and raises one integration alert per page (its owners
// and admins are notified once, not once a day), resolved when the token
// works again.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { integrationOverview, listAlerts, openAlertCount } from "@/modules/integrations/queries";
import { runJobs } from "@/modules/jobs/edge";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_META, serveMetaGraph } from "@/supabase/local/meta-graph";
import { checkMetaTokens, TOKEN_CHECK_JOB } from "./token-check";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "token-check-secret" };
let keys: string;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";

async function check() {
  await t.admin`update private.job_schedules set next_run_at = now() where name = ${TOKEN_CHECK_JOB}`;
  return runJobs(service, { [TOKEN_CHECK_JOB]: checkMetaTokens }, { env, fetch });
}
const setToken = (over: Record<string, unknown>) =>
  fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId, ...over }) });
const alerts = () => t.admin`select user_id, title, link from notifications where type = 'integration_alert' order by id`;
const fingerprint = `meta:token:${DEMO_META.pageId}`;
const integrationAlerts = (view: "active" | "resolved" = "active") => t.db.asUser(owner.claims, (tx) => listAlerts(tx, view));
const metaHealth = async () => {
  const cards = await t.db.asUser(owner.claims, (tx) => integrationOverview(tx));
  return cards.find((c) => c.key === "meta")!;
};

beforeAll(async () => {
  keys = generateKeySpec("k1");
  graph = await serveMetaGraph(createMetaGraphStandIn(app));
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Token Watchers" });
  admin = await createMember(t, owner.orgId, "admin");
  member = await createMember(t, owner.orgId, "member");
  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const sealed = await sealSecret(await parseKeyring(keys), DEMO_META.token, { orgId: owner.orgId, purpose });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1') returning id`;
  await t.admin`insert into meta_pages (org_id, page_id, name, token_secret_id) values (${owner.orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id})`;
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});

describe("meta.token_check", () => {
  it("is scheduled daily", async () => {
    expect(await t.admin`select kind, every::text from private.job_schedules where name = ${TOKEN_CHECK_JOB}`).toEqual([
      { kind: TOKEN_CHECK_JOB, every: "1 day" },
    ]);
  });

  it("records a valid token as a success without alerting anyone", async () => {
    const summary = await check();
    expect(summary.succeeded).toBeGreaterThanOrEqual(1);
    expect(await t.admin`select token_status from meta_pages`).toEqual([{ token_status: "valid" }]);
    expect(await alerts()).toEqual([]);
    expect(await integrationAlerts()).toEqual([]);
    const meta = await metaHealth();
    expect(meta).toMatchObject({ last_success_at: expect.any(String), last_error_at: null, errors_24h: 0 });
  });

  it("raises one alert for the page, notifying owners and admins once, when a token expires within 7 days", async () => {
    await setToken({ expires_at: Math.floor(Date.now() / 1000) + 3 * 86400 });
    await check();
    await check();
    const [page] = await t.admin`select token_status, token_expires_at from meta_pages`;
    expect(page.token_status).toBe("expiring");
    expect(page.token_expires_at).toBeInstanceOf(Date);
    const got = await alerts();
    expect(got.map((a) => a.user_id).sort()).toEqual([owner.id, admin.id].sort());
    expect(got[0]).toMatchObject({ title: `Meta token for ${DEMO_META.pageName} expires soon`, link: expect.stringMatching(/^\/settings\/integrations#alert-\d+$/) });
    expect(got.some((a) => a.user_id === member.id)).toBe(false);

    const [alert, ...others] = await integrationAlerts();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ integration: "meta", account: DEMO_META.pageId, severity: "warning", count: 2, status: "open" });
    expect(alert.title).toBe(`Meta token for ${DEMO_META.pageName} expires soon`);
    expect(alert.detail).toMatch(/Replace it in Settings → Integrations → Meta/);
    expect(await t.db.asUser(owner.claims, (tx) => openAlertCount(tx))).toBe(1);
    // An expiring token still fetches leads: the card shows no error, only the warning.
    expect(await metaHealth()).toMatchObject({ configuration: "expiring", last_error_at: null, errors_24h: 0, open_alerts: 1 });
  });

  it("makes the same alert critical when the token stops working, and records the error", async () => {
    await setToken({ is_valid: false });
    await check();
    expect(await t.admin`select token_status from meta_pages`).toEqual([{ token_status: "invalid" }]);
    // Still the one alert (and its one notification per person), now saying the worse news.
    expect(await alerts()).toHaveLength(2);
    const [alert, ...others] = await integrationAlerts();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ severity: "critical", count: 3, title: `Meta token for ${DEMO_META.pageName} no longer works` });
    const [row] = await t.admin`select fingerprint from integration_alerts where id = ${alert.id}`;
    expect(row.fingerprint).toBe(fingerprint);
    const meta = await metaHealth();
    expect(meta).toMatchObject({ last_error_at: expect.any(String), errors_24h: 1 });
    expect(meta.last_error).toMatch(/^Invalid: /);
    expect(meta.last_error).not.toContain(DEMO_META.token);
  });

  it("resolves the alert once the token works again, and a relapse raises a new one", async () => {
    await setToken({ is_valid: true, expires_at: Math.floor(Date.now() / 1000) + 60 * 86400 });
    await check();
    expect(await t.admin`select token_status from meta_pages`).toEqual([{ token_status: "valid" }]);
    expect(await integrationAlerts()).toEqual([]);
    const [resolved] = await integrationAlerts("resolved");
    expect(resolved).toMatchObject({ account: DEMO_META.pageId, status: "resolved" });
    expect(await t.db.asUser(owner.claims, (tx) => openAlertCount(tx))).toBe(0);

    await setToken({ is_valid: false });
    await check();
    const [again] = await integrationAlerts();
    expect(again.id).not.toBe(resolved.id);
    expect(await alerts()).toHaveLength(4);
  });
});
