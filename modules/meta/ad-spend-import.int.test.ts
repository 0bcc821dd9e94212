// Importing Meta ad spend against real Postgres, the job queue and the
// Graph API stand-in: connecting an account queues a 30-day backfill that
// follows Meta's paging; the daily run re-imports 7 days and takes Meta's
// revisions; Meta down is retried, dead-lettered and alerted; a refused
// token raises its own alert, resolved when the token works again; and
// another org sees none of it.
import { sql as kysely } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, type InsightsRow, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { addDays, adsTokenAlert, dayIn, IMPORT_AD_SPEND_JOB, importAdSpend, SCHEDULE_AD_SPEND_JOB, scheduleAdSpendImports } from "./ad-spend-import";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "ad-spend-test-secret" };
const ACCOUNT = "act_410000000000001";
const TOKEN = "EAAGadSpendSystemUserToken0000000000001";
const ZONE = "Pacific/Auckland";
const CAMPAIGNS = [
  { id: "120230000000001", name: "Winter leads" },
  { id: "120230000000002", name: "Lookalike" },
];
let keys: string;
let standIn: MetaGraphStandIn;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let rival: TestUser;
let accountRow: string;

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";
const handlers = { [IMPORT_AD_SPEND_JOB]: importAdSpend, [SCHEDULE_AD_SPEND_JOB]: scheduleAdSpendImports };
const runQueue = () => runJobs(service, handlers, { env, fetch });
const dev = (path: string, body: unknown) => fetch(`${graph.url}/_dev/${path}`, { method: "POST", body: JSON.stringify(body) });
const today = () => dayIn(ZONE, new Date());
const spend = () =>
  t.admin`select campaign_id, campaign_name, to_char(date, 'YYYY-MM-DD') as date, spend::text, impressions::int, clicks::int, leads
          from meta_ad_spend where ad_account_id = ${accountRow} order by date, campaign_id`;
const health = async () => {
  const [h] = await t.admin`select last_success_at, last_error_at, last_error,
                                   (select count(*)::int from integration_errors e where e.account = ${ACCOUNT}) as errors
                            from integration_health where org_id = ${owner.orgId} and integration = 'meta' and account = ${ACCOUNT}`;
  return h;
};
const openAlerts = () => t.admin`select fingerprint, severity, title, detail, count from integration_alerts where org_id = ${owner.orgId} and status <> 'resolved' order by id`;
const row = (campaign: (typeof CAMPAIGNS)[number], date: string, spend: string, leads = 2): InsightsRow => ({
  campaign_id: campaign.id,
  campaign_name: campaign.name,
  spend,
  impressions: "1200",
  clicks: "31",
  actions: [
    { action_type: "link_click", value: "31" },
    { action_type: "lead", value: String(leads) },
  ],
  date_start: date,
  date_stop: date,
});
async function daily() {
  await t.admin`update private.job_schedules set next_run_at = now() where name = 'meta.ad_spend'`;
  await runQueue();
}

beforeAll(async () => {
  keys = generateKeySpec("k1");
  standIn = createMetaGraphStandIn(app);
  graph = await serveMetaGraph(standIn);
  service = postgres(t.appUrl, { max: 3, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Spend Watchers" });
  member = await createMember(t, owner.orgId, "member");
  rival = await createUser(t, { orgName: "Rival agency" });
  await dev("ad-accounts", { account_id: ACCOUNT, name: "Spend Watchers Ads", currency: "NZD", timezone_name: ZONE, token: TOKEN, campaigns: CAMPAIGNS, page_size: 7 });
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});
beforeEach(() => {
  standIn.failInsights = false;
});

describe("meta.import_ad_spend", () => {
  it("backfills 30 days of the account's calendar when the account is connected, following every page", async () => {
    const purpose = `meta.ads_token:${ACCOUNT}`;
    const sealed = await sealSecret(await parseKeyring(keys), TOKEN, { orgId: owner.orgId, purpose });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1', '0001') returning id`;
    const [account] = await t.admin`insert into meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
                                    values (${owner.orgId}, ${ACCOUNT}, 'Spend Watchers Ads', 'NZD', ${ZONE}, ${secret.id}) returning id`;
    accountRow = account.id;
    expect(await t.admin`select kind, org_id, payload from jobs where kind = ${IMPORT_AD_SPEND_JOB}`).toEqual([
      { kind: IMPORT_AD_SPEND_JOB, org_id: owner.orgId, payload: { accountId: accountRow, days: 30 } },
    ]);

    await runQueue();
    const rows = await spend();
    // 30 days × 2 campaigns, ending today in Auckland (not in UTC), 7 rows a page: 9 pages.
    expect(rows).toHaveLength(60);
    expect(rows.at(-1)!.date).toBe(today());
    expect(rows[0].date).toBe(addDays(today(), -29));
    // (The daily schedule, due on the queue's first run, imported its 7 days beside it.)
    const calls = standIn.insightsCalls.filter((c) => c.accountId === ACCOUNT && c.since === addDays(today(), -29));
    expect(calls).toHaveLength(9);
    expect(calls[0]).toMatchObject({ since: addDays(today(), -29), until: today(), after: null });
    expect(calls.slice(1).every((c) => c.after)).toBe(true);
    // Meta's figures as it reported them: spend in the account's currency, and its `lead` action.
    expect(rows[0]).toMatchObject({ campaign_id: CAMPAIGNS[0].id, campaign_name: "Winter leads", spend: expect.stringMatching(/^\d+\.\d\d$/) });
    expect(rows.every((r) => r.leads >= 1 && r.impressions > 0 && r.clicks > 0)).toBe(true);
    expect(await t.admin`select last_import_status, last_import_error from meta_ad_accounts where id = ${accountRow}`).toEqual([
      { last_import_status: "ok", last_import_error: null },
    ]);
    expect(await health()).toMatchObject({ last_success_at: expect.any(Date), last_error_at: null, errors: 0 });
  });

  it("re-imports the last 7 days every day, taking Meta's revisions and dropping a day Meta no longer reports", async () => {
    expect(await t.admin`select every::text from private.job_schedules where name = 'meta.ad_spend'`).toEqual([{ every: "1 day" }]);
    const before = await spend();
    const old = before.find((r) => r.date === addDays(today(), -20) && r.campaign_id === CAMPAIGNS[0].id)!;
    // Meta revised yesterday's spend of the first campaign, and the second campaign's day before it is gone.
    const revised: InsightsRow[] = [];
    for (let i = 0; i < 7; i++) {
      const day = addDays(today(), -i);
      revised.push(row(CAMPAIGNS[0], day, i === 1 ? "77.70" : "10.00", i === 1 ? 5 : 1));
      if (i !== 2) revised.push(row(CAMPAIGNS[1], day, "3.50"));
    }
    await dev("ad-accounts", { account_id: ACCOUNT, rows: revised });

    await daily();
    const [job] = await t.admin`select status, payload from jobs where kind = ${IMPORT_AD_SPEND_JOB} order by id desc limit 1`;
    expect(job).toEqual({ status: "succeeded", payload: { accountId: accountRow, days: 7 } });
    const after = await spend();
    expect(after).toHaveLength(60 - 1);
    const yesterday = after.find((r) => r.date === addDays(today(), -1) && r.campaign_id === CAMPAIGNS[0].id);
    expect(yesterday).toMatchObject({ spend: "77.70", leads: 5, impressions: 1200, clicks: 31 });
    expect(after.some((r) => r.date === addDays(today(), -2) && r.campaign_id === CAMPAIGNS[1].id)).toBe(false);
    // Days before the range keep what was imported then.
    expect(after.find((r) => r.date === old.date && r.campaign_id === old.campaign_id)).toEqual(old);

    // The same answer again changes nothing: one row per campaign and day.
    await daily();
    expect(await spend()).toEqual(after);
  });

  it("retries while Meta is down, dead-letters after the last attempt with an alert, and a retry once it is back imports", async () => {
    await dev("ad-accounts", { account_id: ACCOUNT, rows: [row(CAMPAIGNS[0], today(), "42.00")] });
    await daily();
    standIn.failInsights = true;
    await t.admin`update private.job_schedules set next_run_at = now() where name = 'meta.ad_spend'`;
    for (let attempt = 1; attempt <= 8; attempt++) {
      // Each retry is due at once instead of after its backoff.
      await t.admin`update jobs set run_at = now() where kind = ${IMPORT_AD_SPEND_JOB} and status = 'pending'`;
      await runQueue();
    }
    const [dead] = await t.admin`select id, status, attempts, last_error from jobs
                                 where kind = ${IMPORT_AD_SPEND_JOB} order by id desc limit 1`;
    expect(dead).toMatchObject({ status: "dead", attempts: 8, last_error: expect.stringMatching(/unknown error/) });
    expect((await openAlerts()).map((a) => a.fingerprint)).toContain(`jobs:dead:${IMPORT_AD_SPEND_JOB}`);
    const [account] = await t.admin`select last_import_status, last_import_error from meta_ad_accounts where id = ${accountRow}`;
    expect(account.last_import_status).toBe("failed");
    expect(account.last_import_error).toMatch(/^Meta could not be reached/);
    const failing = await health();
    expect(failing).toMatchObject({ last_error_at: expect.any(Date), errors: 8 });
    expect(failing.last_error).not.toContain(TOKEN);
    // Nothing was lost or half-written while Meta was down.
    expect((await spend()).find((r) => r.date === today() && r.campaign_id === CAMPAIGNS[0].id)).toMatchObject({ spend: "42.00" });

    standIn.failInsights = false;
    await dev("ad-accounts", { account_id: ACCOUNT, rows: [row(CAMPAIGNS[0], today(), "43.25")] });
    await t.db.asUser(owner.claims, (tx) => kysely`select public.retry_job(${dead.id})`.execute(tx));
    await runQueue();
    expect((await spend()).find((r) => r.date === today() && r.campaign_id === CAMPAIGNS[0].id)).toMatchObject({ spend: "43.25" });
    const recovered = await health();
    expect(recovered.last_success_at > recovered.last_error_at).toBe(true);
  });

  it("raises one alert for a token Meta refuses, without retrying, and resolves it when the token works again", async () => {
    await dev("tokens", { token: TOKEN, is_valid: false });
    await daily();
    await daily();
    const refused = await t.admin`select status, attempts from jobs where kind = ${IMPORT_AD_SPEND_JOB} order by id desc limit 2`;
    expect(refused).toEqual([
      { status: "succeeded", attempts: 1 },
      { status: "succeeded", attempts: 1 },
    ]);
    const alert = (await openAlerts()).find((a) => a.fingerprint === adsTokenAlert(ACCOUNT));
    expect(alert).toMatchObject({ severity: "critical", count: 2, title: "Meta ad spend of Spend Watchers Ads cannot be imported" });
    expect(alert!.detail).toMatch(/Session has expired.*Connect the ad account again/);
    expect(alert!.detail).not.toContain(TOKEN);
    const [account] = await t.admin`select last_import_status, last_import_error from meta_ad_accounts where id = ${accountRow}`;
    expect(account).toMatchObject({ last_import_status: "failed", last_import_error: expect.stringMatching(/token no longer works/) });
    const owners = await t.admin`select user_id from notifications where type = 'integration_alert' and title = ${alert!.title}`;
    expect(owners.map((n) => n.user_id)).toEqual([owner.id]);

    await dev("tokens", { token: TOKEN, is_valid: true });
    await daily();
    expect((await openAlerts()).map((a) => a.fingerprint)).not.toContain(adsTokenAlert(ACCOUNT));
    expect(await t.admin`select last_import_status from meta_ad_accounts where id = ${accountRow}`).toEqual([{ last_import_status: "ok" }]);
  });

  it("queues nothing for a disabled account", async () => {
    await t.admin`update meta_ad_accounts set enabled = false where id = ${accountRow}`;
    const before = await t.admin`select count(*)::int as n from jobs where kind = ${IMPORT_AD_SPEND_JOB}`;
    await daily();
    expect(await t.admin`select count(*)::int as n from jobs where kind = ${IMPORT_AD_SPEND_JOB}`).toEqual(before);
    await t.admin`update meta_ad_accounts set enabled = true where id = ${accountRow}`;
  });

  it("shows the spend to the org's members and nothing to another org", async () => {
    const mine = await t.db.asUser(member.claims, (tx) => kysely<{ n: number }>`select count(*)::int as n from meta_ad_spend`.execute(tx));
    expect(mine.rows[0].n).toBeGreaterThan(0);
    const theirs = await t.db.asUser(rival.claims, (tx) =>
      kysely<{ spend: number; accounts: number }>`select (select count(*)::int from meta_ad_spend) as spend, (select count(*)::int from meta_ad_accounts) as accounts`.execute(tx),
    );
    expect(theirs.rows[0]).toEqual({ spend: 0, accounts: 0 });
    // Members read spend; no one writes it but the import.
    await expect(
      t.db.asUser(owner.claims, (tx) => kysely`update meta_ad_spend set spend = 0`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
  });
});
