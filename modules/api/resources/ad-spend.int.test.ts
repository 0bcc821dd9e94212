// The ad spend endpoints through the real route handler, on real Postgres
// under RLS: the reports:read scope, filters and keyset pages of the spend
// rows, cost per lead beside the leads of each campaign, refusals naming
// the parameter, and nothing of another org.
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listAdSpendOperation, summarizeAdSpendOperation } from "./ad-spend";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
let leadsOnly: string;
let otherToken: string;
let usd: string;
let nzd: string;

const SPRING = "120210000000001";
const RETARGET = "120210000000002";
const KIWI = "120250000000001";

async function account(orgId: string, act: string, currency: string, zone: string) {
  const [a] = await t.admin`with s as (insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                       values (${orgId}, ${`meta.ads_token:${act}`}, 'v1.k1.aaaa.bbbb.cccc.dddd', 'k1', 'dddd') returning id)
                            insert into meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
                            select ${orgId}, ${act}, ${`Ads ${act}`}, ${currency}, ${zone}, s.id from s returning id`;
  return a.id as string;
}
const spend = (orgId: string, accountId: string, campaign: string, date: string, amount: string, name = "Campaign") =>
  t.admin`insert into meta_ad_spend (org_id, ad_account_id, campaign_id, campaign_name, date, spend, impressions, clicks, leads)
          values (${orgId}, ${accountId}, ${campaign}, ${name}, ${date}, ${amount}, 1000, 20, 3)`;
const lead = (orgId: string, campaign: string, at: string) =>
  t.admin`insert into leads (org_id, source, first_name, attribution, created_at)
          values (${orgId}, 'meta', 'Ad lead', ${t.admin.json({ campaign_id: campaign })}, ${at})`;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Spend API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["reports:read"])).token;
  leadsOnly = (await createTestKey(t, owner, ["leads:read"])).token;
  otherToken = (await createTestKey(t, other, ["reports:read"])).token;
  usd = await account(owner.orgId, "act_500000000000001", "USD", "America/Los_Angeles");
  nzd = await account(owner.orgId, "act_500000000000002", "NZD", "Pacific/Auckland");
  for (const [date, amount] of [
    ["2026-11-01", "100.00"],
    ["2026-11-02", "50.50"],
    ["2026-11-03", "49.50"],
  ] as const) {
    await spend(owner.orgId, usd, SPRING, date, amount, "Spring promo");
  }
  await spend(owner.orgId, usd, RETARGET, "2026-11-02", "30.00", "Retargeting");
  await spend(owner.orgId, nzd, KIWI, "2026-11-02", "80.00", "Kia ora");
  // Four Spring promo leads on the account's days 1–3 of November in Los Angeles (01:30 there on the 1st; 22:00 there on the 3rd, the 4th in UTC),
  // one the evening before in Los Angeles (still October 31 there), none for Retargeting.
  await lead(owner.orgId, SPRING, "2026-11-01T08:30:00Z");
  await lead(owner.orgId, SPRING, "2026-11-02T18:00:00Z");
  await lead(owner.orgId, SPRING, "2026-11-03T20:00:00Z");
  await lead(owner.orgId, SPRING, "2026-11-04T06:00:00Z");
  await lead(owner.orgId, SPRING, "2026-11-01T06:00:00Z");
  await lead(owner.orgId, KIWI, "2026-11-02T01:00:00Z");
  // Another org's spend and leads on the same campaign id count nowhere here.
  const otherAccount = await account(other.orgId, "act_500000000000003", "USD", "UTC");
  await spend(other.orgId, otherAccount, SPRING, "2026-11-02", "999.00");
  await lead(other.orgId, SPRING, "2026-11-02T12:00:00Z");
});

describe("/api/v1/ad-spend", () => {
  it("needs the reports:read scope", async () => {
    const refused = await callApi(listAdSpendOperation, { token: leadsOnly });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/reports:read/);
    expect((await callApi(summarizeAdSpendOperation, { token: leadsOnly, query: "from=2026-11-01&to=2026-11-03" })).status).toBe(403);
  });

  it("lists spend rows newest day first, filtered by days, campaign and account, a page at a time", async () => {
    const all = await callApi(listAdSpendOperation, { token });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.data.map((r: { date: string; spend: string }) => `${r.date} ${r.spend}`)).toEqual([
      "2026-11-03 49.50",
      "2026-11-02 80.00",
      "2026-11-02 30.00",
      "2026-11-02 50.50",
      "2026-11-01 100.00",
    ]);
    expect(all.body.data[0]).toMatchObject({
      object: "ad_spend",
      ad_account_id: usd,
      account_id: "act_500000000000001",
      campaign_id: SPRING,
      campaign_name: "Spring promo",
      currency: "USD",
      impressions: 1000,
      clicks: 20,
      meta_leads: 3,
    });

    const spring = await callApi(listAdSpendOperation, { token, query: [["campaign_id", SPRING], ["from", "2026-11-02"], ["to", "2026-11-03"]] });
    expect(spring.body.data.map((r: { date: string }) => r.date)).toEqual(["2026-11-03", "2026-11-02"]);
    const kiwi = await callApi(listAdSpendOperation, { token, query: [["ad_account_id", nzd]] });
    expect(kiwi.body.data.map((r: { currency: string }) => r.currency)).toEqual(["NZD"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: [string, string][] = [["limit", "2"], ...(cursor ? [["cursor", cursor] as [string, string]] : [])];
      const page = await callApi(listAdSpendOperation, { token, query });
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((r: { id: string }) => r.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((r: { id: string }) => r.id));
  });

  it("refuses a bad day, a reversed range, a bad cursor and unknown parameters, naming them", async () => {
    const badDay = await callApi(listAdSpendOperation, { token, query: "from=2026-02-30" });
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.details.from[0]).toMatch(/not a day of the calendar/);
    const reversed = await callApi(listAdSpendOperation, { token, query: "from=2026-11-03&to=2026-11-01" });
    expect(reversed.body.error.details.to).toEqual(["to is before from"]);
    const cursor = await callApi(listAdSpendOperation, { token, query: "cursor=nonsense" });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe("invalid_cursor");
    const unknown = await callApi(listAdSpendOperation, { token, query: "campaign=1" });
    expect(unknown.body.error.details).toHaveProperty("campaign");
    const account = await callApi(listAdSpendOperation, { token, query: "ad_account_id=act_500000000000001" });
    expect(account.body.error.details).toHaveProperty("ad_account_id");
  });

  it("shows another org's key nothing", async () => {
    const theirs = await callApi(listAdSpendOperation, { token: otherToken, query: [["ad_account_id", usd]] });
    expect(theirs.body.data).toEqual([]);
    const summary = await callApi(summarizeAdSpendOperation, { token: otherToken, query: "from=2026-11-01&to=2026-11-03" });
    expect(summary.body.data.map((c: { spend: string; leads: number }) => [c.spend, c.leads])).toEqual([["999.00", 1]]);
  });
});

describe("/api/v1/ad-spend/summary", () => {
  it("puts each campaign's spend beside the leads it brought in the account's days, with cost per lead and totals per currency", async () => {
    const r = await callApi(summarizeAdSpendOperation, { token, query: "from=2026-11-01&to=2026-11-03" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ from: "2026-11-01", to: "2026-11-03" });
    expect(r.body.data).toEqual([
      expect.objectContaining({ object: "campaign_cost", campaign_id: SPRING, campaign_name: "Spring promo", currency: "USD", spend: "200.00", meta_leads: 9, leads: 4, cost_per_lead: "50.00" }),
      expect.objectContaining({ campaign_id: KIWI, currency: "NZD", spend: "80.00", leads: 1, cost_per_lead: "80.00" }),
      expect.objectContaining({ campaign_id: RETARGET, spend: "30.00", leads: 0, cost_per_lead: null }),
    ]);
    expect(r.body.totals).toEqual([
      { currency: "USD", spend: "230.00", leads: 4, cost_per_lead: "57.50" },
      { currency: "NZD", spend: "80.00", leads: 1, cost_per_lead: "80.00" },
    ]);
    const one = await callApi(summarizeAdSpendOperation, { token, query: `from=2026-11-02&to=2026-11-02&campaign_id=${SPRING}` });
    expect(one.body.data.map((c: { spend: string; leads: number }) => [c.spend, c.leads])).toEqual([["50.50", 1]]);
  });

  it("needs a range of at most 366 days, naming what is wrong", async () => {
    const missing = await callApi(summarizeAdSpendOperation, { token, query: "to=2026-11-03" });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.details)).toEqual(["from"]);
    const long = await callApi(summarizeAdSpendOperation, { token, query: "from=2025-01-01&to=2026-11-03" });
    expect(long.body.error.details.to[0]).toMatch(/at most 366 days/);
  });
});
