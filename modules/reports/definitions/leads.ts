// Reports on leads: where they came from and where they stand, over time,
// and what Meta campaigns cost per lead and per deal that got far enough.
// Archived leads are left out, as the leads list leaves them out.

import { DEFAULT_NOUNS, inSentence } from "@/modules/crm/pipelines/ui";
import { sql, type Tx } from "@/lib/db";
import { bucketOf, bucketSeries, inRange, type ReportContext, type ReportStage } from "../context";
import type { Column, ReportResult, Row } from "../format";
import type { ReportDefinition } from "../registry-types";

/**
 * Leads that arrived in each bucket, one column per value of `by` (their
 * source, or the status they have now) that has any, labelled as Settings
 * names them, and the bucket's total.
 */
async function leadsOverTime(tx: Tx, c: ReportContext, by: "source" | "status"): Promise<ReportResult> {
  const column = by === "source" ? sql`l.source` : sql`l.status`;
  const labels = by === "source" ? sql`public.lead_sources` : sql`public.lead_statuses`;
  const [buckets, counts, labelRows] = await Promise.all([
    sql<{ period: string }>`select to_char(b.bucket, 'YYYY-MM-DD') as period from (${bucketSeries(c)}) b order by b.bucket`.execute(tx),
    sql<{ period: string; key: string; n: number }>`
      select to_char(${bucketOf(c, sql`l.created_at`)}, 'YYYY-MM-DD') as period, ${column} as key, count(*)::int as n
      from public.leads l
      where l.archived_at is null and ${inRange(c, sql`l.created_at`)}
      group by 1, 2`.execute(tx),
    sql<{ key: string; label: string }>`select key, label from ${labels} order by position, label`.execute(tx),
  ]);
  // The values that have leads in the range, in Settings' order, then any Settings no longer lists.
  const present = new Set(counts.rows.map((r) => r.key));
  const known = labelRows.rows.filter((l) => present.has(l.key));
  const unknown = [...present].filter((k) => !labelRows.rows.some((l) => l.key === k)).sort().map((key) => ({ key, label: key }));
  // Series keys stay plain identifiers whatever an org names its sources.
  const series = [...known, ...unknown].map((k, i) => ({ ...k, id: `s${i}` }));
  const rows: Row[] = buckets.rows.map(({ period }) => {
    const row: Row = { period, total: 0 };
    for (const s of series) row[s.id] = 0;
    return row;
  });
  const byPeriod = new Map(rows.map((r) => [r.period as string, r]));
  const idOf = new Map(series.map((s) => [s.key, s.id]));
  for (const { period, key, n } of counts.rows) {
    const row = byPeriod.get(period);
    const id = idOf.get(key);
    if (!row || !id) continue;
    row[id] = n;
    row.total = Number(row.total) + n;
  }
  return {
    columns: [
      { key: "period", label: "Period", kind: "period" },
      ...series.map((s): Column => ({ key: s.id, label: s.label, kind: "count" })),
      { key: "total", label: "Total", kind: "count" },
    ],
    rows,
    chart: { kind: "stacked", x: "period", series: series.map((s) => s.id) },
  };
}

export const leadsBySource: ReportDefinition = {
  slug: "leads-by-source",
  group: "leads",
  title: () => "Leads by source",
  description: () => "Leads that arrived in each day, week or month of the range, by where they came from.",
  uses: { range: true, granularity: true, pipeline: false },
  run: (tx, c) => leadsOverTime(tx, c, "source"),
};

export const leadsByStatus: ReportDefinition = {
  slug: "leads-by-status",
  group: "leads",
  title: () => "Leads by status",
  description: () => "Leads that arrived in each day, week or month of the range, by the status they have now.",
  uses: { range: true, granularity: true, pipeline: false },
  run: (tx, c) => leadsOverTime(tx, c, "status"),
};

/** The stage a campaign's leads are judged by when none is chosen: the pipeline's won stage, else its last open one. */
export function defaultGoalStage(stages: ReportStage[]): ReportStage | null {
  return stages.find((s) => s.isWon) ?? stages.filter((s) => !s.isLost).at(-1) ?? null;
}

/**
 * Per Meta campaign with spend in the range: the Covey leads whose
 * attribution names it, those whose deal on the pipeline reached the chosen
 * stage (or a later one), the spend, and the cost of each. Spend days and
 * lead arrival are both read in the ad account's calendar, as Meta bills
 * and as Settings → Meta counts them.
 */
export const metaCampaigns: ReportDefinition = {
  slug: "meta-campaigns",
  group: "leads",
  title: () => "Meta campaign performance",
  description: (n) => `Spend, leads and cost per lead and per ${inSentence(n.singular)} for each Meta campaign in the range.`,
  uses: { range: true, granularity: false, pipeline: true },
  stagePicker: { label: "Reached stage", default: "Won or last stage" },
  async run(tx, c) {
    const goal = c.stage ?? defaultGoalStage(c.stages);
    const noun = inSentence(c.pipeline?.noun.singular ?? DEFAULT_NOUNS.singular);
    const reachedLabel = goal ? `Reached ${goal.name}` : "Reached stage";
    const { rows } = await sql<{
      campaign: string;
      currency: string;
      spend: string;
      leads: number;
      reached: number;
      cost_per_lead: string | null;
      cost_per_reached: string | null;
    }>`
      with spend as (
        select a.org_id, s.ad_account_id, a.currency, a.time_zone, s.campaign_id,
               (array_agg(s.campaign_name order by s.date desc))[1] as campaign_name, sum(s.spend) as spend
        from public.meta_ad_spend s
        join public.meta_ad_accounts a on a.id = s.ad_account_id and a.org_id = s.org_id
        where s.date between ${c.params.from}::date and ${c.params.to}::date
        group by a.org_id, s.ad_account_id, a.currency, a.time_zone, s.campaign_id
      ), counted as (
        select sp.*,
               count(l.id) as leads,
               count(l.id) filter (where exists (
                 select 1
                 from public.deals d
                 cross join lateral (select h.to_stage_id as stage_id from public.deal_stage_history h where h.deal_id = d.id
                                     union all select d.stage_id) r
                 join public.pipeline_stages st on st.id = r.stage_id and not st.is_lost
                 where d.id = l.deal_id and d.archived_at is null and d.pipeline_id = ${c.pipeline?.id ?? null}::uuid
                   and st.pipeline_id = d.pipeline_id and st.position >= ${goal?.position ?? null}::int)) as reached
        from spend sp
        left join public.leads l
          on l.org_id = sp.org_id and l.archived_at is null and l.attribution ->> 'campaign_id' = sp.campaign_id
         and l.created_at >= (${c.params.from}::date::timestamp at time zone sp.time_zone)
         and l.created_at < ((${c.params.to}::date + 1)::timestamp at time zone sp.time_zone)
        group by sp.org_id, sp.ad_account_id, sp.currency, sp.time_zone, sp.campaign_id, sp.campaign_name, sp.spend
      )
      select coalesce(nullif(campaign_name, ''), campaign_id) as campaign, currency, spend::text as spend,
             leads::int, reached::int,
             case when leads > 0 then round(spend / leads, 2)::text end as cost_per_lead,
             case when reached > 0 then round(spend / reached, 2)::text end as cost_per_reached
      from counted
      order by counted.spend desc, campaign_id`.execute(tx);
    const money = (currency: string, amount: string | null) => (amount === null ? null : [{ currency, amount }]);
    return {
      columns: [
        { key: "campaign", label: "Campaign", kind: "text" },
        { key: "leads", label: "Leads", kind: "count" },
        { key: "reached", label: reachedLabel, kind: "count" },
        { key: "spend", label: "Spend", kind: "money" },
        { key: "cost_per_lead", label: "Cost per lead", kind: "money" },
        { key: "cost_per_reached", label: goal ? `Cost per ${goal.name.toLowerCase()} ${noun}` : `Cost per ${noun}`, kind: "money" },
      ],
      rows: rows.map((r) => ({
        campaign: r.campaign,
        leads: r.leads,
        reached: r.reached,
        spend: money(r.currency, r.spend),
        cost_per_lead: money(r.currency, r.cost_per_lead),
        cost_per_reached: money(r.currency, r.cost_per_reached),
      })),
      chart: { kind: "bar", x: "campaign", series: ["leads", "reached"] },
    };
  },
};
