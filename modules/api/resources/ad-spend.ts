// REST for Meta ad spend (read-only, `reports:read`): the imported spend
// rows, and cost per lead per campaign over a day range. Both read under
// RLS through modules/meta's queries, the ones Settings → Integrations →
// Meta shows.
import { z } from "zod";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { campaignCosts, listAdSpend } from "@/modules/meta";

const MAX_RANGE_DAYS = 366;

const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} is a day as YYYY-MM-DD`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
    }, `${what} is not a day of the calendar`)
    .describe(`${what}, YYYY-MM-DD: a day of each ad account's own calendar`);

const campaignId = z.string().regex(/^[0-9]{1,30}$/, "campaign_id is Meta's campaign id (digits only)").describe("Meta's campaign id");
const adAccountId = z.uuid("ad_account_id is the id of a connected ad account (`ad_account_id` in a response)").describe("A connected ad account's id");

const inOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

const spendRow = z.object({
  object: z.literal("ad_spend"),
  id: z.string().describe("The row's id"),
  ad_account_id: z.uuid(),
  account_id: z.string().describe("Meta's ad account id, act_<digits>"),
  campaign_id: z.string(),
  campaign_name: z.string(),
  date: z.string().describe("The account's day, YYYY-MM-DD"),
  currency: z.string().describe("ISO 4217: the ad account's currency"),
  spend: z.string().describe('A decimal string in the account\'s currency, e.g. "51.37"'),
  impressions: z.number().int(),
  clicks: z.number().int(),
  meta_leads: z.number().int().describe("Leads Meta counted for the campaign that day"),
  imported_at: z.string().describe("When Meta's figures were last imported (Meta revises recent days)"),
});

const listQuery = z
  .object({
    from: day("from").optional(),
    to: day("to").optional(),
    campaign_id: campaignId.optional(),
    ad_account_id: adAccountId.optional(),
    cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  })
  .refine(inOrder, { path: ["to"], message: "to is before from" });

const list = defineOperation({
  id: "listAdSpend",
  method: "get",
  path: "/ad-spend",
  tag: "Reports",
  summary: "List Meta ad spend",
  description:
    "Spend, impressions, clicks and Meta-counted leads per campaign and day of each connected Meta ad account, newest day first. Imported daily; Meta revises recent days, so the last 7 days may change.",
  scope: "reports:read",
  query: listQuery,
  response: z.object({ data: z.array(spendRow), next_cursor: z.string().nullable() }),
  async handle({ tx, query }) {
    const page = await listAdSpend(tx, {
      from: query.from,
      to: query.to,
      campaignId: query.campaign_id,
      adAccountId: query.ad_account_id,
      cursor: query.cursor,
      limit: query.limit,
    });
    return {
      body: {
        data: page.rows.map((r) => ({
          object: "ad_spend",
          id: r.id,
          ad_account_id: r.adAccountId,
          account_id: r.accountId,
          campaign_id: r.campaignId,
          campaign_name: r.campaignName,
          date: r.date,
          currency: r.currency,
          spend: r.spend,
          impressions: r.impressions,
          clicks: r.clicks,
          meta_leads: r.metaLeads,
          imported_at: r.importedAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      },
    };
  },
});

const campaignCost = z.object({
  object: z.literal("campaign_cost"),
  ad_account_id: z.uuid(),
  account_id: z.string(),
  campaign_id: z.string(),
  campaign_name: z.string(),
  currency: z.string(),
  spend: z.string().describe("Spend over the range, a decimal string in the account's currency"),
  impressions: z.number().int(),
  clicks: z.number().int(),
  meta_leads: z.number().int().describe("Leads Meta counted"),
  leads: z.number().int().describe("Covey leads whose attribution names the campaign, arrived in the range (the account's days)"),
  cost_per_lead: z.string().nullable().describe("spend / leads, rounded to the cent; null without leads"),
});

const summaryQuery = z
  .object({
    from: day("from"),
    to: day("to"),
    campaign_id: campaignId.optional(),
    ad_account_id: adAccountId.optional(),
  })
  .refine(inOrder, { path: ["to"], message: "to is before from" })
  .refine((v) => !inOrder(v) || daysBetween(v.from, v.to) <= MAX_RANGE_DAYS, { path: ["to"], message: `A range is at most ${MAX_RANGE_DAYS} days` });

const summary = defineOperation({
  id: "summarizeAdSpend",
  method: "get",
  path: "/ad-spend/summary",
  tag: "Reports",
  summary: "Cost per lead per campaign",
  description:
    "Each campaign's spend from `from` to `to` (both included, days of its ad account's calendar) beside the Covey leads whose attribution names the campaign and that arrived in those days, with the cost per lead; largest spend first. `totals` sums them per currency.",
  scope: "reports:read",
  query: summaryQuery,
  response: z.object({
    from: z.string(),
    to: z.string(),
    data: z.array(campaignCost),
    totals: z.array(z.object({ currency: z.string(), spend: z.string(), leads: z.number().int(), cost_per_lead: z.string().nullable() })),
  }),
  async handle({ tx, query }) {
    const costs = await campaignCosts(tx, { from: query.from, to: query.to, campaignId: query.campaign_id, adAccountId: query.ad_account_id });
    const byCurrency = new Map<string, { cents: number; leads: number }>();
    for (const c of costs) {
      const t = byCurrency.get(c.currency) ?? { cents: 0, leads: 0 };
      t.cents += Math.round(Number(c.spend) * 100);
      t.leads += c.leads;
      byCurrency.set(c.currency, t);
    }
    return {
      body: {
        from: query.from,
        to: query.to,
        data: costs.map((c) => ({
          object: "campaign_cost",
          ad_account_id: c.adAccountId,
          account_id: c.accountId,
          campaign_id: c.campaignId,
          campaign_name: c.campaignName,
          currency: c.currency,
          spend: c.spend,
          impressions: c.impressions,
          clicks: c.clicks,
          meta_leads: c.metaLeads,
          leads: c.leads,
          cost_per_lead: c.costPerLead,
        })),
        totals: [...byCurrency].map(([currency, t]) => ({
          currency,
          spend: (t.cents / 100).toFixed(2),
          leads: t.leads,
          cost_per_lead: t.leads ? (Math.round(t.cents / t.leads) / 100).toFixed(2) : null,
        })),
      },
    };
  },
});

export const adSpendOperations: Operation[] = [list, summary];
export { list as listAdSpendOperation, summary as summarizeAdSpendOperation };
