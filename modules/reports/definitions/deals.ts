// Reports on a pipeline's deals (cases, intended parents: whatever the
// pipeline calls them). Archived deals are left out, as the lists leave them out.

import { inSentence } from "@/modules/crm/pipelines/ui";
import { sql } from "@/lib/db";
import { amounts, bucketOf, bucketSeries, inRange, percent, rangeEnd, type ReportContext } from "../context";
import type { Row } from "../format";
import type { ReportDefinition } from "../registry-types";

const noPipeline = { columns: [], rows: [], chart: { kind: "bar" as const, x: "stage", series: [] } };

export const byStage: ReportDefinition = {
  slug: "by-stage",
  group: "pipeline",
  title: (n) => `${n.plural} by stage`,
  description: (n) => `Open ${inSentence(n.plural)} in each stage right now, with their value.`,
  uses: { range: false, granularity: false, pipeline: true },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const { rows } = await sql<{ stage: string; open: number; value: unknown }>`
      with per as (
        select d.stage_id, d.currency::text as currency, count(*) as n, sum(d.value_minor) as minor
        from public.deals d
        where d.pipeline_id = ${c.pipeline.id} and d.archived_at is null and d.status = 'open'
        group by d.stage_id, d.currency)
      select s.name as stage, coalesce(sum(per.n), 0)::int as open,
             jsonb_agg(jsonb_build_object('currency', per.currency, 'minor', per.minor::text) order by per.currency)
               filter (where per.currency is not null) as value
      from public.pipeline_stages s left join per on per.stage_id = s.id
      where s.pipeline_id = ${c.pipeline.id} and not s.is_won and not s.is_lost
      group by s.id, s.name, s.position
      order by s.position, s.id`.execute(tx);
    const noun = c.pipeline.noun;
    return {
      columns: [
        { key: "stage", label: "Stage", kind: "text" },
        { key: "open", label: `Open ${inSentence(noun.plural)}`, kind: "count" },
        { key: "value", label: "Value", kind: "money" },
      ],
      rows: rows.map((r) => ({ stage: r.stage, open: r.open, value: amounts(r.value) })),
      chart: { kind: "bar", x: "stage", series: ["open"] },
    };
  },
};

export const byOwner: ReportDefinition = {
  slug: "by-owner",
  group: "pipeline",
  title: (n) => `${n.plural} by owner`,
  description: (n) =>
    `Each owner's open ${inSentence(n.plural)} and their value now, and the ${inSentence(n.plural)} they were given, won and lost in the range.`,
  uses: { range: true, granularity: false, pipeline: true },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const created = inRange(c, sql`d.created_at`);
    const closed = inRange(c, sql`d.closed_at`);
    const { rows } = await sql<{ owner: string; open: number; open_value: unknown; new: number; won: number; won_value: unknown; lost: number }>`
      with per as (
        select d.owner_id, d.currency::text as currency,
               count(*) filter (where d.status = 'open') as open_n,
               sum(d.value_minor) filter (where d.status = 'open') as open_minor,
               count(*) filter (where ${created}) as new_n,
               count(*) filter (where d.status = 'won' and ${closed}) as won_n,
               sum(d.value_minor) filter (where d.status = 'won' and ${closed}) as won_minor,
               count(*) filter (where d.status = 'lost' and ${closed}) as lost_n
        from public.deals d
        where d.pipeline_id = ${c.pipeline.id} and d.archived_at is null
          and (d.status = 'open' or ${created} or ${closed})
        group by d.owner_id, d.currency)
      select coalesce(nullif(btrim(p.full_name), ''), p.email, 'Unassigned') as owner,
             sum(open_n)::int as open,
             jsonb_agg(jsonb_build_object('currency', per.currency, 'minor', open_minor::text) order by per.currency)
               filter (where open_n > 0) as open_value,
             sum(new_n)::int as new, sum(won_n)::int as won,
             jsonb_agg(jsonb_build_object('currency', per.currency, 'minor', won_minor::text) order by per.currency)
               filter (where won_n > 0) as won_value,
             sum(lost_n)::int as lost
      from per left join public.profiles p on p.user_id = per.owner_id
      group by per.owner_id, p.full_name, p.email
      order by per.owner_id is null, sum(open_n) desc, owner`.execute(tx);
    const plural = inSentence(c.pipeline.noun.plural);
    return {
      columns: [
        { key: "owner", label: "Owner", kind: "text" },
        { key: "open", label: `Open ${plural}`, kind: "count" },
        { key: "open_value", label: "Open value", kind: "money" },
        { key: "new", label: `New ${plural}`, kind: "count" },
        { key: "won", label: "Won", kind: "count" },
        { key: "won_value", label: "Won value", kind: "money" },
        { key: "lost", label: "Lost", kind: "count" },
      ],
      rows: rows.map((r) => ({ ...r, open_value: amounts(r.open_value), won_value: amounts(r.won_value) })),
      chart: { kind: "bar", x: "owner", series: ["open", "new", "won", "lost"] },
    };
  },
};

export const newTrend: ReportDefinition = {
  slug: "new",
  group: "pipeline",
  title: (n) => `New ${inSentence(n.plural)}`,
  description: (n) => `${n.plural} created in each day, week or month of the range.`,
  uses: { range: true, granularity: true, pipeline: true },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const { rows } = await sql<{ period: string; count: number }>`
      with counted as (
        select ${bucketOf(c, sql`d.created_at`)} as bucket, count(*) as n
        from public.deals d
        where d.pipeline_id = ${c.pipeline.id} and d.archived_at is null and ${inRange(c, sql`d.created_at`)}
        group by 1)
      select to_char(b.bucket, 'YYYY-MM-DD') as period, coalesce(counted.n, 0)::int as count
      from (${bucketSeries(c)}) b left join counted on counted.bucket = b.bucket
      order by b.bucket`.execute(tx);
    return {
      columns: [
        { key: "period", label: "Period", kind: "period" },
        { key: "count", label: `New ${inSentence(c.pipeline.noun.plural)}`, kind: "count" },
      ],
      rows,
      chart: { kind: "bar", x: "period", series: ["count"] },
    };
  },
};

export const wonLost: ReportDefinition = {
  slug: "won-lost",
  group: "pipeline",
  title: (n) => `${n.plural} won and lost`,
  description: (n) => `${n.plural} won and lost in each day, week or month of the range, with their value.`,
  uses: { range: true, granularity: true, pipeline: true },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const { rows } = await sql<{ period: string; won: number; won_value: unknown; lost: number; lost_value: unknown }>`
      with per as (
        select ${bucketOf(c, sql`d.closed_at`)} as bucket, d.currency::text as currency,
               count(*) filter (where d.status = 'won') as won_n, sum(d.value_minor) filter (where d.status = 'won') as won_minor,
               count(*) filter (where d.status = 'lost') as lost_n, sum(d.value_minor) filter (where d.status = 'lost') as lost_minor
        from public.deals d
        where d.pipeline_id = ${c.pipeline.id} and d.archived_at is null and d.status <> 'open' and ${inRange(c, sql`d.closed_at`)}
        group by 1, 2)
      select to_char(b.bucket, 'YYYY-MM-DD') as period,
             coalesce(sum(per.won_n), 0)::int as won,
             jsonb_agg(jsonb_build_object('currency', per.currency, 'minor', per.won_minor::text) order by per.currency)
               filter (where per.won_n > 0) as won_value,
             coalesce(sum(per.lost_n), 0)::int as lost,
             jsonb_agg(jsonb_build_object('currency', per.currency, 'minor', per.lost_minor::text) order by per.currency)
               filter (where per.lost_n > 0) as lost_value
      from (${bucketSeries(c)}) b left join per on per.bucket = b.bucket
      group by b.bucket
      order by b.bucket`.execute(tx);
    return {
      columns: [
        { key: "period", label: "Period", kind: "period" },
        { key: "won", label: "Won", kind: "count" },
        { key: "won_value", label: "Won value", kind: "money" },
        { key: "lost", label: "Lost", kind: "count" },
        { key: "lost_value", label: "Lost value", kind: "money" },
      ],
      rows: rows.map((r) => ({ ...r, won_value: amounts(r.won_value), lost_value: amounts(r.lost_value) })),
      chart: { kind: "bar", x: "period", series: ["won", "lost"] },
    };
  },
};

/**
 * Stays in a stage, from the deal's stage history: a stay begins when the
 * deal enters the stage and ends when it enters another (a status change
 * within the stage does not end it). The figures are the stays that ended in
 * the range, so a stay is counted once, when its length is known; the deals
 * in each stage now are shown beside them.
 */
export const timeInStage: ReportDefinition = {
  slug: "time-in-stage",
  group: "pipeline",
  title: () => "Time in stage",
  description: (n) => `How many days ${inSentence(n.plural)} spent in each stage, for the stays that ended in the range.`,
  uses: { range: true, granularity: false, pipeline: true },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const { rows } = await sql<{ stage: string; stays: number; average: string | null; median: string | null; now: number }>`
      with touched as (
        -- A stay that ended in the range ended at one of its deal's entries in the range.
        select distinct h.deal_id from public.deal_stage_history h where ${inRange(c, sql`h.changed_at`)}
      ), h as (
        select h.deal_id, h.to_stage_id, h.changed_at, h.id,
               lag(h.to_stage_id) over (partition by h.deal_id order by h.changed_at, h.id) as previous,
               row_number() over (partition by h.deal_id order by h.changed_at, h.id) as n
        from touched t
        join public.deal_stage_history h on h.deal_id = t.deal_id
        join public.deals d on d.id = h.deal_id
        where d.pipeline_id = ${c.pipeline.id} and d.archived_at is null and h.changed_at < ${rangeEnd(c)}
      ), entries as (
        select deal_id, to_stage_id, changed_at as entered_at
        from h where n = 1 or previous is distinct from to_stage_id
      ), stays as (
        select to_stage_id, entered_at, lead(entered_at) over (partition by deal_id order by entered_at) as left_at
        from entries
      ), ended as (
        select to_stage_id, extract(epoch from left_at - entered_at) / 86400 as days
        from stays where left_at is not null and ${inRange(c, sql`left_at`)}
      )
      select s.name as stage,
             (select count(*) from ended e where e.to_stage_id = s.id)::int as stays,
             (select round(avg(e.days), 1)::text from ended e where e.to_stage_id = s.id) as average,
             (select round(percentile_cont(0.5) within group (order by e.days)::numeric, 1)::text from ended e where e.to_stage_id = s.id) as median,
             (select count(*) from public.deals d
               where d.stage_id = s.id and d.archived_at is null and d.status = 'open')::int as now
      from public.pipeline_stages s
      where s.pipeline_id = ${c.pipeline.id} and not s.is_won and not s.is_lost
      order by s.position, s.id`.execute(tx);
    return {
      columns: [
        { key: "stage", label: "Stage", kind: "text" },
        { key: "stays", label: "Stays ended", kind: "count" },
        { key: "average", label: "Average days", kind: "days" },
        { key: "median", label: "Median days", kind: "days" },
        { key: "now", label: `In stage now`, kind: "count" },
      ],
      rows: rows.map((r) => ({
        stage: r.stage,
        stays: r.stays,
        average: r.average === null ? null : Number(r.average),
        median: r.median === null ? null : Number(r.median),
        now: r.now,
      })),
      chart: { kind: "bar", x: "stage", series: ["average", "median"] },
    };
  },
};

/**
 * Leads that arrived in the range, how many became a deal of the pipeline,
 * and how far those deals got: a deal has reached a stage when it has been in
 * that stage or a later one (lost stages aside), so a deal that skipped a
 * stage still counts as past it. With a stage chosen, the funnel ends there
 * ("lead to approved").
 */
export const funnel: ReportDefinition = {
  slug: "funnel",
  group: "pipeline",
  title: (n, stage) => (stage ? `Lead to ${stage.toLowerCase()}` : `Lead to ${inSentence(n.singular)} funnel`),
  description: (n) =>
    `Leads that arrived in the range, those converted to a ${inSentence(n.singular)}, and how far those ${inSentence(n.plural)} have come.`,
  uses: { range: true, granularity: false, pipeline: true },
  stagePicker: { label: "Up to stage", default: "All stages" },
  async run(tx, c) {
    if (!c.pipeline) return noPipeline;
    const steps = c.stages.filter((s) => !s.isLost && (!c.stage || s.position <= c.stage.position));
    const { rows } = await sql<{ leads: number; converted: number; reached: number[] }>`
      with cohort as (
        select l.id, d.id as deal_id
        from public.leads l
        left join public.deals d on d.id = l.deal_id and d.pipeline_id = ${c.pipeline.id} and d.archived_at is null
        where l.archived_at is null and ${inRange(c, sql`l.created_at`)}
      ), furthest as (
        select c.deal_id, max(s.position) as position
        from cohort c
        cross join lateral (select h.to_stage_id as stage_id from public.deal_stage_history h where h.deal_id = c.deal_id
                            union all select d.stage_id from public.deals d where d.id = c.deal_id) r
        join public.pipeline_stages s on s.id = r.stage_id and s.pipeline_id = ${c.pipeline.id} and not s.is_lost
        where c.deal_id is not null
        group by c.deal_id
      )
      select (select count(*) from cohort)::int as leads,
             (select count(*) from cohort where deal_id is not null)::int as converted,
             array(select (select count(*) from furthest f where f.position >= p)::int
                   from unnest(string_to_array(${steps.map((s) => s.position).join(",")}, ',')::int[]) with ordinality as u(p, i) order by i) as reached`.execute(tx);
    const { leads, converted, reached } = rows[0];
    const out: Row[] = [
      { step: "Leads", count: leads, of_first: leads > 0 ? 100 : null, of_previous: null },
      { step: `Converted to ${inSentence(c.pipeline.noun.singular)}`, count: converted, of_first: percent(converted, leads), of_previous: percent(converted, leads) },
    ];
    steps.forEach((s, i) => {
      const previous = Number(out.at(-1)?.count ?? 0);
      out.push({ step: `Reached ${s.name}`, count: reached[i], of_first: percent(reached[i], leads), of_previous: percent(reached[i], previous) });
    });
    return {
      columns: [
        { key: "step", label: "Step", kind: "text" },
        { key: "count", label: "Count", kind: "count" },
        { key: "of_first", label: "% of leads", kind: "percent" },
        { key: "of_previous", label: "% of previous step", kind: "percent" },
      ],
      rows: out,
      chart: { kind: "funnel", x: "step", series: ["count"] },
    };
  },
};
