// Reading important dates: a deal's, the org's kinds, and what is coming up
// for the dashboard. Every query runs as the member, so RLS decides which
// dates (and deals) they see.

import { sql, type Tx } from "@/lib/db";

export interface DealDate {
  id: string;
  kind: string;
  /** YYYY-MM-DD. */
  date: string;
  note: string | null;
  remindDaysBefore: number | null;
}

export interface DateKind {
  name: string;
  remindDaysBefore: number | null;
}

const day = sql<string>`to_char(dd.date, 'YYYY-MM-DD')`;

/** A deal's dates, soonest first (past ones too: the panel mutes them). */
export async function listDealDates(tx: Tx, dealId: string): Promise<DealDate[]> {
  const rows = await tx
    .selectFrom("deal_dates as dd")
    .select(["dd.id", "dd.kind", day.as("date"), "dd.note", "dd.remind_days_before"])
    .where("dd.deal_id", "=", dealId)
    .orderBy("dd.date")
    .orderBy("dd.created_at")
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, date: r.date, note: r.note, remindDaysBefore: r.remind_days_before }));
}

/** The kinds the org's forms suggest, in its order. */
export async function listDateKinds(tx: Tx): Promise<DateKind[]> {
  const rows = await tx
    .selectFrom("deal_date_kinds")
    .select(["name", "remind_days_before"])
    .orderBy("position")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ name: r.name, remindDaysBefore: r.remind_days_before }));
}

export interface UpcomingDate extends DealDate {
  deal: { id: string; name: string; pipeline: string };
  owner: string | null;
}

export const UPCOMING_DAYS = 14;
const UPCOMING_SHOWN = 10;

/**
 * Dates of unarchived deals (won ones too: a renewal follows the sale) from `today` (the reader's day) through
 * the next 14 days, soonest first: those of deals `ownerId` owns, or all
 * the org's when `ownerId` is null.
 */
export async function upcomingDates(
  tx: Tx,
  opts: { today: string; ownerId: string | null },
): Promise<{ items: UpcomingDate[]; total: number }> {
  const { rows } = await sql<{
    id: string;
    kind: string;
    date: string;
    note: string | null;
    remind_days_before: number | null;
    deal_id: string;
    deal_name: string;
    pipeline: string;
    owner: string | null;
    total: number;
  }>`
    select dd.id, dd.kind, ${day} as date, dd.note, dd.remind_days_before,
           d.id as deal_id, d.name as deal_name, p.name as pipeline,
           coalesce(nullif(op.full_name, ''), op.email::text) as owner,
           count(*) over ()::int as total
      from public.deal_dates dd
      join public.deals d on d.id = dd.deal_id and d.archived_at is null
      join public.pipelines p on p.id = d.pipeline_id
      left join public.profiles op on op.user_id = d.owner_id and op.org_id = d.org_id
     where dd.date between ${opts.today}::date and ${opts.today}::date + ${UPCOMING_DAYS}::int
       and (${opts.ownerId}::uuid is null or d.owner_id = ${opts.ownerId}::uuid)
     order by dd.date, d.name, dd.id
     limit ${UPCOMING_SHOWN}`.execute(tx);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      date: r.date,
      note: r.note,
      remindDaysBefore: r.remind_days_before,
      deal: { id: r.deal_id, name: r.deal_name, pipeline: r.pipeline },
      owner: r.owner,
    })),
  };
}
