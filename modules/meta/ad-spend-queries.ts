// Ad spend as members read it, under RLS: the connected ad accounts with
// their last 7 days, spend rows for the API, and cost per lead: a
// campaign's spend beside the Covey leads whose attribution names that
// campaign, counted over the same days of the account's calendar.
import { sql, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { DAILY_IMPORT_DAYS, importRange } from "./ad-spend-import";

export interface CampaignCost {
  adAccountId: string;
  accountId: string;
  currency: string;
  campaignId: string;
  campaignName: string;
  /** Decimal strings in the account's currency. */
  spend: string;
  impressions: number;
  clicks: number;
  /** Leads Meta counted for the campaign. */
  metaLeads: number;
  /** Covey leads whose attribution names the campaign, arrived in the range (the account's days). */
  leads: number;
  /** spend / leads, null without leads. */
  costPerLead: string | null;
}

export interface SummaryFilter {
  from: string;
  to: string;
  adAccountId?: string;
  campaignId?: string;
}

/** Spend per campaign over [from, to] (days of each account's calendar), beside the leads the campaign brought in those days. */
export async function campaignCosts(tx: Tx, f: SummaryFilter): Promise<CampaignCost[]> {
  const { rows } = await sql<{
    ad_account_id: string;
    account_id: string;
    currency: string;
    campaign_id: string;
    campaign_name: string;
    spend: string;
    impressions: string;
    clicks: string;
    meta_leads: string;
    leads: string;
    cost_per_lead: string | null;
  }>`
    with spend as (
      select a.org_id, s.ad_account_id, a.account_id, a.currency, a.time_zone, s.campaign_id,
             (array_agg(s.campaign_name order by s.date desc))[1] as campaign_name,
             sum(s.spend) as spend, sum(s.impressions) as impressions, sum(s.clicks) as clicks, sum(s.leads) as meta_leads
      from meta_ad_spend s join meta_ad_accounts a on a.id = s.ad_account_id and a.org_id = s.org_id
      where s.date between ${f.from}::date and ${f.to}::date
        and (${f.adAccountId ?? null}::uuid is null or s.ad_account_id = ${f.adAccountId ?? null}::uuid)
        and (${f.campaignId ?? null}::text is null or s.campaign_id = ${f.campaignId ?? null}::text)
      group by a.org_id, s.ad_account_id, a.account_id, a.currency, a.time_zone, s.campaign_id
    ), counted as (
      select sp.*,
             (select count(*) from leads l
               where l.org_id = sp.org_id and l.attribution ? 'campaign_id' and l.attribution ->> 'campaign_id' = sp.campaign_id
                 and l.created_at >= (${f.from}::date::timestamp at time zone sp.time_zone)
                 and l.created_at < ((${f.to}::date + 1)::timestamp at time zone sp.time_zone)) as leads
      from spend sp
    )
    select ad_account_id, account_id, currency, campaign_id, campaign_name, spend::text, impressions::text, clicks::text,
           meta_leads::text, leads::text,
           case when leads > 0 then round(spend / leads, 2)::text end as cost_per_lead
    from counted
    order by counted.spend desc, counted.campaign_id`.execute(tx);
  return rows.map((r) => ({
    adAccountId: r.ad_account_id,
    accountId: r.account_id,
    currency: r.currency,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    spend: r.spend,
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    metaLeads: Number(r.meta_leads),
    leads: Number(r.leads),
    costPerLead: r.cost_per_lead,
  }));
}

export interface AdAccountRow {
  id: string;
  accountId: string;
  name: string;
  currency: string;
  timeZone: string;
  tokenHint: string;
  enabled: boolean;
  lastImportAt: Date | null;
  lastImportStatus: "ok" | "failed" | null;
  lastImportError: string | null;
  createdAt: Date;
  /** The last 7 days of the account's calendar, today included. */
  week: { from: string; to: string; spend: string; leads: number; costPerLead: string | null; campaigns: CampaignCost[] };
}

/** Cost over a set of campaigns: their spend summed, divided by their leads summed. */
function totals(campaigns: CampaignCost[]) {
  const cents = campaigns.reduce((n, c) => n + Math.round(Number(c.spend) * 100), 0);
  const leads = campaigns.reduce((n, c) => n + c.leads, 0);
  return { spend: (cents / 100).toFixed(2), leads, costPerLead: leads ? (Math.round(cents / leads) / 100).toFixed(2) : null };
}

export async function listAdAccounts(tx: Tx): Promise<AdAccountRow[]> {
  const accounts = await tx
    .selectFrom("meta_ad_accounts as a")
    .leftJoin("org_secrets as s", (j) => j.onRef("s.id", "=", "a.token_secret_id").onRef("s.org_id", "=", "a.org_id"))
    .select([
      "a.id",
      "a.account_id",
      "a.name",
      "a.currency",
      "a.time_zone",
      "s.hint",
      "a.enabled",
      "a.last_import_at",
      "a.last_import_status",
      "a.last_import_error",
      "a.created_at",
    ])
    .orderBy("a.created_at")
    .execute();
  return Promise.all(
    accounts.map(async (a) => {
      const { since, until } = importRange(a.time_zone, DAILY_IMPORT_DAYS);
      const campaigns = await campaignCosts(tx, { from: since, to: until, adAccountId: a.id });
      return {
        id: a.id,
        accountId: a.account_id,
        name: a.name,
        currency: a.currency,
        timeZone: a.time_zone,
        tokenHint: a.hint ?? "",
        enabled: a.enabled,
        lastImportAt: a.last_import_at,
        lastImportStatus: a.last_import_status as AdAccountRow["lastImportStatus"],
        lastImportError: a.last_import_error,
        createdAt: a.created_at,
        week: { from: since, to: until, ...totals(campaigns), campaigns },
      };
    }),
  );
}

export interface SpendRowOut {
  id: string;
  adAccountId: string;
  accountId: string;
  currency: string;
  campaignId: string;
  campaignName: string;
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
  metaLeads: number;
  importedAt: Date;
}

const encodeCursor = (date: string, id: string) => Buffer.from(JSON.stringify([date, id])).toString("base64url");
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(v) && /^\d{4}-\d{2}-\d{2}$/.test(v[0]) && /^[0-9]{1,19}$/.test(v[1])) return [v[0], v[1]];
  } catch {
    // refused below
  }
  throw new DomainError("invalid_cursor", "The cursor is not one this endpoint gave out", { details: { cursor: ["Not a cursor from next_cursor"] } });
}

/** Spend rows newest day first, keyset-paged by (date, id). */
export async function listAdSpend(
  tx: Tx,
  f: Partial<SummaryFilter> & { cursor?: string; limit: number },
): Promise<{ rows: SpendRowOut[]; nextCursor: string | null }> {
  let q = tx
    .selectFrom("meta_ad_spend as s")
    .innerJoin("meta_ad_accounts as a", (j) => j.onRef("a.id", "=", "s.ad_account_id").onRef("a.org_id", "=", "s.org_id"))
    .select([
      sql<string>`s.id::text`.as("id"),
      "s.ad_account_id",
      "a.account_id",
      "a.currency",
      "s.campaign_id",
      "s.campaign_name",
      sql<string>`to_char(s.date, 'YYYY-MM-DD')`.as("date"),
      sql<string>`s.spend::text`.as("spend"),
      sql<string>`s.impressions::text`.as("impressions"),
      sql<string>`s.clicks::text`.as("clicks"),
      "s.leads",
      "s.imported_at",
    ]);
  if (f.from) q = q.where("s.date", ">=", sql<Date>`${f.from}::date`);
  if (f.to) q = q.where("s.date", "<=", sql<Date>`${f.to}::date`);
  if (f.adAccountId) q = q.where("s.ad_account_id", "=", f.adAccountId);
  if (f.campaignId) q = q.where("s.campaign_id", "=", f.campaignId);
  if (f.cursor) {
    const [date, id] = decodeCursor(f.cursor);
    q = q.where(sql<boolean>`(s.date, s.id) < (${date}::date, ${id}::bigint)`);
  }
  const rows = await q.orderBy("s.date", "desc").orderBy("s.id", "desc").limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      id: r.id,
      adAccountId: r.ad_account_id,
      accountId: r.account_id,
      currency: r.currency,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      date: r.date,
      spend: r.spend,
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      metaLeads: r.leads,
      importedAt: r.imported_at,
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.date, last.id) : null,
  };
}
