// Connecting Meta ad accounts and reading their cost per lead, against real
// Postgres and the Graph API stand-in: the token is checked with Meta (it
// must open the account and carry ads_read), sealed and never readable
// back; connecting queues the 30-day backfill; owners and admins only; the
// settings table counts the leads of the account's campaigns in its last
// 7 days beside their spend.
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { runJobs } from "@/modules/jobs/edge";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_AD_ACCOUNT, DEMO_META, serveMetaGraph } from "@/supabase/local/meta-graph";
import { connectAdAccount, disconnectAdAccount, importAdSpendNow, setAdAccountEnabled, testAdAccount } from "./ad-accounts";
import { addDays, dayIn, IMPORT_AD_SPEND_JOB, importAdSpend } from "./ad-spend-import";
import { campaignCosts, listAdAccounts } from "./ad-spend-queries";
import { graphClient } from "./graph";
import type { MetaDeps } from "./service";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "ad-accounts-secret" };
let keys: string;
let server: Awaited<ReturnType<typeof serveMetaGraph>>;
let deps: MetaDeps;
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let rival: TestUser;
const actor = (u: TestUser, role: "owner" | "member" = "owner") => ({ claims: u.claims, orgId: u.orgId, role });
const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: server.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";
const runImports = () => runJobs(service, { [IMPORT_AD_SPEND_JOB]: importAdSpend }, { env, fetch });
const connect = (u: TestUser = owner) => connectAdAccount(deps, actor(u), { accountId: DEMO_AD_ACCOUNT.accountId.slice(4), token: DEMO_AD_ACCOUNT.token });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

beforeAll(async () => {
  keys = generateKeySpec("k1");
  server = await serveMetaGraph(createMetaGraphStandIn(app));
  const keyring = await parseKeyring(keys);
  deps = { db: t.db, keyring: async () => keyring, graph: () => graphClient({ graphUrl: server.url, version: "v23.0", ...app }) };
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Ad Agency" });
  member = await createMember(t, owner.orgId, "member");
  rival = await createUser(t, { orgName: "Rival agency" });
});
afterAll(async () => {
  await service?.end();
  await server?.close();
});

describe("connecting a Meta ad account", () => {
  it("refuses members, a token Meta rejects, a token without ads_read, and an account the token cannot open, naming the field", async () => {
    expect((await refusal(connect(member))).code).toBe("forbidden");
    const bad = await refusal(connectAdAccount(deps, actor(owner), { accountId: DEMO_AD_ACCOUNT.accountId, token: "EAAGnotARealToken00000000000" }));
    expect(bad.details?.token?.[0]).toMatch(/^Meta refused: Invalid OAuth access token/);
    // The demo page's token works, but for leads, not ads.
    const pageToken = await refusal(connectAdAccount(deps, actor(owner), { accountId: DEMO_AD_ACCOUNT.accountId, token: DEMO_META.token }));
    expect(pageToken.details?.accountId?.[0]).toMatch(/^Meta refused: Unsupported get request/);
    await fetch(`${server.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: "EAAGleadsOnlySystemUser000000001", scopes: ["leads_retrieval"] }) });
    const noAds = await refusal(connectAdAccount(deps, actor(owner), { accountId: DEMO_AD_ACCOUNT.accountId, token: "EAAGleadsOnlySystemUser000000001" }));
    expect(noAds.details?.token?.[0]).toMatch(/lacks the ads_read permission/);
    const shape = await refusal(connectAdAccount(deps, actor(owner), { accountId: "my ads", token: "short" }));
    expect(Object.keys(shape.details ?? {}).sort()).toEqual(["accountId", "token"]);
    expect(await t.admin`select 1 from meta_ad_accounts`).toHaveLength(0);
  });

  it("checks the token with Meta, seals it, keeps Meta's name, currency and zone, and queues the 30-day backfill", async () => {
    const { id } = await connect();
    const [account] = await t.db.asUser(member.claims, (tx) => listAdAccounts(tx));
    expect(account).toMatchObject({
      id,
      accountId: DEMO_AD_ACCOUNT.accountId,
      name: DEMO_AD_ACCOUNT.name,
      currency: "USD",
      timeZone: DEMO_AD_ACCOUNT.timeZone,
      tokenHint: DEMO_AD_ACCOUNT.token.slice(-4),
      enabled: true,
      lastImportAt: null,
    });
    const readable = await t.db.asUser(member.claims, async (tx) => ({
      accounts: await listAdAccounts(tx),
      raw: (await sql`select to_jsonb(a) as a from meta_ad_accounts a`.execute(tx)).rows,
    }));
    expect(JSON.stringify(readable)).not.toContain(DEMO_AD_ACCOUNT.token);
    expect(await t.admin`select payload from jobs where kind = ${IMPORT_AD_SPEND_JOB}`).toEqual([{ payload: { accountId: id, days: 30 } }]);
    // Another org connecting the same account is its own connection, seeing nothing of this one.
    expect(await t.db.asUser(rival.claims, (tx) => listAdAccounts(tx))).toEqual([]);
  });

  it("shows each account's last 7 days: spend, the leads of its campaigns, and cost per lead", async () => {
    await runImports();
    const today = dayIn(DEMO_AD_ACCOUNT.timeZone, new Date());
    const [spring, retargeting] = DEMO_AD_ACCOUNT.campaigns;
    // Three leads from Spring promo this week, one from Retargeting, one from Spring promo two weeks ago, one from elsewhere.
    const lead = (campaign: string, daysAgo: number, org = owner.orgId) =>
      t.admin`insert into leads (org_id, source, first_name, attribution, created_at)
              values (${org}, 'meta', 'Ad lead', ${t.admin.json({ campaign_id: campaign })}, now() - make_interval(days => ${daysAgo}))`;
    await lead(spring.id, 0);
    await lead(spring.id, 2);
    await lead(spring.id, 5);
    await lead(retargeting.id, 1);
    await lead(spring.id, 14);
    await lead("999999999", 1);
    await lead(spring.id, 1, rival.orgId);

    const [account] = await t.db.asUser(owner.claims, (tx) => listAdAccounts(tx));
    expect(account.lastImportAt).toBeInstanceOf(Date);
    expect(account.week).toMatchObject({ from: addDays(today, -6), to: today, leads: 4 });
    const [{ total }] = await t.admin`select sum(spend)::text as total from meta_ad_spend where date between ${addDays(today, -6)}::date and ${today}::date`;
    expect(account.week.spend).toBe(Number(total).toFixed(2));
    expect(account.week.costPerLead).toBe((Math.round((Number(total) * 100) / 4) / 100).toFixed(2));

    const costs = await t.db.asUser(member.claims, (tx) => campaignCosts(tx, { from: addDays(today, -6), to: today }));
    const springCost = costs.find((c) => c.campaignId === spring.id)!;
    expect(springCost).toMatchObject({ campaignName: spring.name, leads: 3, currency: "USD", accountId: DEMO_AD_ACCOUNT.accountId });
    expect(springCost.costPerLead).toBe((Math.round((Number(springCost.spend) * 100) / 3) / 100).toFixed(2));
    expect(costs.find((c) => c.campaignId === DEMO_AD_ACCOUNT.campaigns[2].id)).toMatchObject({ leads: 0, costPerLead: null });
    const fortnight = await t.db.asUser(member.claims, (tx) => campaignCosts(tx, { from: addDays(today, -20), to: today, campaignId: spring.id }));
    expect(fortnight.map((c) => c.leads)).toEqual([4]);
  });

  it("tests the stored token, pauses and resumes the import, imports now, and disconnects with the token and the spend", async () => {
    const [account] = await t.db.asUser(owner.claims, (tx) => listAdAccounts(tx));
    expect(await testAdAccount(deps, actor(owner), { id: account.id })).toEqual({ ok: true, name: DEMO_AD_ACCOUNT.name, currency: "USD", error: null });
    expect((await refusal(setAdAccountEnabled(deps, actor(member, "member"), { id: account.id, enabled: false }))).code).toBe("forbidden");
    await setAdAccountEnabled(deps, actor(owner), { id: account.id, enabled: false });
    expect(await t.admin`select enabled from meta_ad_accounts`).toEqual([{ enabled: false }]);
    await setAdAccountEnabled(deps, actor(owner), { id: account.id, enabled: true });
    await importAdSpendNow(deps, actor(owner), { id: account.id });
    expect(await t.admin`select count(*)::int as n from jobs where kind = ${IMPORT_AD_SPEND_JOB} and status = 'pending' and payload ->> 'days' = '7'`).toEqual([{ n: 1 }]);
    // Another org's member cannot reach the account at all.
    expect((await refusal(testAdAccount(deps, actor(rival), { id: account.id }))).code).toBe("not_found");

    await disconnectAdAccount(deps, actor(owner), { id: account.id });
    expect(await t.admin`select (select count(*)::int from meta_ad_accounts) as accounts, (select count(*)::int from meta_ad_spend) as spend,
                                (select count(*)::int from org_secrets where purpose like 'meta.ads_token:%') as tokens`).toEqual([
      { accounts: 0, spend: 0, tokens: 0 },
    ]);
    // The queued import finds nothing to do.
    await runImports();
    expect(await t.admin`select status from jobs where kind = ${IMPORT_AD_SPEND_JOB} order by id desc limit 1`).toEqual([{ status: "succeeded" }]);
  });
});
