import { sql, sqlLimit, type Tx } from "@/lib/db";
import { type ImportObject, OBJECT_LABELS } from "@/modules/crm/import/ui";
import { resolveTimeZone } from "@/lib/time";

// The dashboard's figures, each one indexed query bounded by the org (RLS)
// and a time window or a small limit, so a brand-new org and one with 100k
// records cost about the same.

export interface Period {
  /** Start of today, tomorrow, this week (Monday) and last week, in the viewer's time zone. */
  todayStart: Date;
  tomorrowStart: Date;
  weekStart: Date;
  lastWeekStart: Date;
}

export async function periodOf(tx: Tx, now: Date, timeZone: string): Promise<Period> {
  const tz = resolveTimeZone(timeZone);
  const { rows } = await sql<Period>`
    select date_trunc('day', local) at time zone ${tz} as "todayStart",
           (date_trunc('day', local) + interval '1 day') at time zone ${tz} as "tomorrowStart",
           date_trunc('week', local) at time zone ${tz} as "weekStart",
           (date_trunc('week', local) - interval '7 days') at time zone ${tz} as "lastWeekStart"
    from (select ${now}::timestamptz at time zone ${tz} as local) n`.execute(tx);
  return rows[0];
}

export interface NewPeople {
  thisWeek: number;
  lastWeek: number;
}

/** Active people created this week and last week (weeks start on Monday). */
export async function newPeopleCounts(tx: Tx, period: Period): Promise<NewPeople> {
  const { rows } = await sql<{ this_week: number; last_week: number }>`
    select count(*) filter (where created_at >= ${period.weekStart})::int as this_week,
           count(*) filter (where created_at < ${period.weekStart})::int as last_week
    from public.people
    where created_at >= ${period.lastWeekStart} and archived_at is null`.execute(tx);
  return { thisWeek: rows[0].this_week, lastWeek: rows[0].last_week };
}

export interface StageTotal {
  id: string;
  name: string;
  count: number;
  /** Open value per currency, minor units as decimal strings (bigint-safe). */
  values: { currency: string; minor: string }[];
}

export interface OpenDealsByStage {
  pipeline: { id: string; name: string } | null;
  stages: StageTotal[];
}

/** Open deals of the first pipeline (the org's default), per stage in board order, won and lost stages left out. */
export async function openDealsByStage(tx: Tx): Promise<OpenDealsByStage> {
  const pipeline = await tx
    .selectFrom("pipelines")
    .select(["id", "name"])
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .limit(1)
    .executeTakeFirst();
  if (!pipeline) return { pipeline: null, stages: [] };
  const { rows } = await sql<{ id: string; name: string; currency: string | null; count: number; minor: string | null }>`
    select s.id, s.name, d.currency::text as currency, count(d.id)::int as count, sum(d.value_minor)::text as minor
    from public.pipeline_stages s
    left join public.deals d
      on d.stage_id = s.id and d.pipeline_id = s.pipeline_id and d.archived_at is null and d.status = 'open'
    where s.pipeline_id = ${pipeline.id} and not s.is_won and not s.is_lost
    group by s.id, s.name, s.position, d.currency
    order by s.position, s.id, d.currency`.execute(tx);
  const stages: StageTotal[] = [];
  for (const row of rows) {
    let stage = stages.at(-1);
    if (stage?.id !== row.id) {
      stage = { id: row.id, name: row.name, count: 0, values: [] };
      stages.push(stage);
    }
    if (row.currency && row.count > 0) {
      stage.count += row.count;
      stage.values.push({ currency: row.currency, minor: row.minor ?? "0" });
    }
  }
  return { pipeline, stages };
}

export interface TaskItem {
  id: string;
  title: string;
  dueAt: Date;
  allDay: boolean;
  priority: string;
}

export interface MyTasks {
  overdue: TaskItem[];
  overdueCount: number;
  today: TaskItem[];
  todayCount: number;
}

const TASKS_SHOWN = 5;

/** The member's unfinished tasks due before today, and due today. */
export async function myTasksDue(tx: Tx, userId: string, period: Period): Promise<MyTasks> {
  const { rows } = await sql<TaskItem & { overdue: boolean; total: number }>`
    select id, title, "dueAt", "allDay", priority, overdue, total
    from (
      select t.id, t.title, t.due_at as "dueAt", t.all_day as "allDay", t.priority::text as priority,
             t.due_at < ${period.todayStart} as overdue,
             count(*) over (partition by t.due_at < ${period.todayStart})::int as total,
             row_number() over (partition by t.due_at < ${period.todayStart} order by t.due_at, t.id) as n
      from public.tasks t
      where t.assignee_id = ${userId} and t.archived_at is null and t.status <> 'done'
        and t.due_at < ${period.tomorrowStart}
    ) x
    where n <= ${TASKS_SHOWN}
    order by "dueAt", id`.execute(tx);
  const pick = (overdue: boolean) => rows.filter((r) => r.overdue === overdue);
  const strip = ({ id, title, dueAt, allDay, priority }: TaskItem) => ({ id, title, dueAt, allDay, priority });
  return {
    overdue: pick(true).map(strip),
    overdueCount: pick(true)[0]?.total ?? 0,
    today: pick(false).map(strip),
    todayCount: pick(false)[0]?.total ?? 0,
  };
}

export interface OrgTimelineItem {
  id: string;
  kind: string;
  occurredAt: Date;
  actor: string | null;
  actorType: "user" | "system" | "api_key";
  /** What happened, without the actor and the record ("moved to Proposal sent"). */
  summary: string;
  record: { type: "person" | "company" | "deal"; id: string; name: string; href: string } | null;
  /** For an import or its undo: the import's page, named by its file. */
  link?: { href: string; label: string };
}

/** Import commits and undos looked at: their records' rows show as one item each. */
const IMPORT_MARKS = 20;
const counted = (n: number, object: ImportObject) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? OBJECT_LABELS[object].one : OBJECT_LABELS[object].many.toLowerCase()}`;

interface TimelineRow {
  id: string;
  kind: string;
  occurred_at: Date;
  actor: string | null;
  actor_type: OrgTimelineItem["actorType"];
  subject_type: string;
  data: Record<string, unknown>;
  person_id: string | null;
  person_name: string | null;
  company_id: string | null;
  company_name: string | null;
  deal_id: string | null;
  deal_name: string | null;
  task_title: string | null;
}

interface ImportMarkRow {
  id: string;
  object_type: ImportObject;
  file_name: string;
  created_count: number;
  updated_count: number;
  linked_created_count: number;
  at: Date;
  /** `at` to the microsecond, as the timeline rows hold it (a Date keeps milliseconds). */
  at_text: string;
  undo: boolean;
  actor: string | null;
}

/**
 * The org's timeline, newest first, with who did it and the record it
 * is about: timeline events, and imports as one item each. An import writes
 * a timeline row for every record it creates or updates, all at its commit
 * time (and its undo, at the undo's): those rows are left out here, so that
 * "Ivy imported 95,000 people" is one line, not the whole list. They are
 * skipped by reading the timeline in the ranges between those times, each
 * an index range of at most `limit` rows, rather than walking past them.
 */
export async function recentTimeline(tx: Tx, limit = 10): Promise<OrgTimelineItem[]> {
  const { rows: marks } = await sql<ImportMarkRow>`
    with marks as (
      select i.id, i.object_type, i.file_name, i.created_count, i.updated_count, i.linked_created_count,
             m.at, m.undo, m.actor_id
      from public.imports i
      cross join lateral (values (i.committed_at, false, i.created_by),
                                 (i.undone_at, true, coalesce(i.undone_by, i.created_by))) m (at, undo, actor_id)
      where m.at is not null
      order by m.at desc
      limit ${sqlLimit(IMPORT_MARKS)}
    )
    select m.id::text, m.object_type, m.file_name, m.created_count, m.updated_count, m.linked_created_count, m.at, m.at::text as at_text,
           m.undo, nullif(pr.full_name, '') as actor
    from marks m
    left join public.profiles pr on pr.user_id = m.actor_id
    order by m.at desc`.execute(tx);
  const times = [...new Set(marks.map((m) => m.at_text))];
  const { rows } = await sql<TimelineRow>`
    with bounds as (
      select t as hi, lead(t) over (order by t desc) as lo
      -- Bound as text: a parameter typed timestamptz goes through a JS Date and loses the microseconds.
      from unnest(array['infinity'::timestamptz] || ${times}::text[]::timestamptz[]) t
    )
    select e.id::text, e.kind, e.occurred_at, nullif(pr.full_name, '') as actor, e.actor_type, e.subject_type, e.data,
           e.person_id, coalesce(nullif(p.full_name, ''), p.email::text) as person_name,
           e.company_id, c.name as company_name, e.deal_id, d.name as deal_name, t.title as task_title
    from (
      select r.* from bounds b cross join lateral (
        select * from public.timeline_events x
        where x.occurred_at < b.hi and (b.lo is null or x.occurred_at > b.lo)
        order by x.occurred_at desc, x.id desc limit ${sqlLimit(limit)}
      ) r
      order by r.occurred_at desc, r.id desc limit ${sqlLimit(limit)}
    ) e
    left join public.profiles pr on pr.user_id = e.actor_id
    left join public.people p on p.id = e.person_id
    left join public.companies c on c.id = e.company_id
    left join public.deals d on d.id = e.deal_id
    left join public.tasks t on t.id = e.task_id
    order by e.occurred_at desc, e.id desc`.execute(tx);
  const items: OrgTimelineItem[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    occurredAt: r.occurred_at,
    actor: r.actor,
    actorType: r.actor_type,
    summary: summaryOf(r),
    record: recordOf(r),
  }));
  for (const m of marks) items.push(importItem(m));
  return items.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime()).slice(0, limit);
}

function importItem(m: ImportMarkRow): OrgTimelineItem {
  const parts = [`imported ${counted(m.created_count, m.object_type)}`];
  if (m.updated_count) parts.push(`updated ${m.updated_count.toLocaleString("en-US")}`);
  if (m.linked_created_count) parts.push(`added ${counted(m.linked_created_count, "company")}`);
  return {
    id: `${m.undo ? "undo" : "import"}:${m.id}`,
    kind: m.undo ? "import_undone" : "imported",
    occurredAt: m.at,
    actor: m.actor,
    actorType: "user",
    summary: m.undo ? `undid an import of ${OBJECT_LABELS[m.object_type].many.toLowerCase()}` : parts.join(", "),
    record: null,
    link: { href: `/import/${m.id}`, label: m.file_name },
  };
}

function recordOf(r: TimelineRow): OrgTimelineItem["record"] {
  const candidates = [
    { type: "deal" as const, id: r.deal_id, name: r.deal_name, href: `/deals/${r.deal_id}` },
    { type: "person" as const, id: r.person_id, name: r.person_name, href: `/people/${r.person_id}` },
    { type: "company" as const, id: r.company_id, name: r.company_name, href: `/companies/${r.company_id}` },
  ];
  // The subject itself when it is a record; a note or task shows under its most specific record.
  const own = candidates.find((c) => c.type === r.subject_type && c.id);
  const pick = own ?? candidates.find((c) => c.id && c.name);
  return pick?.id && pick.name ? { type: pick.type, id: pick.id, name: pick.name, href: pick.href } : null;
}

const fieldLabel = (key: string) => key.replace(/^custom\./, "").replace(/_id$/, "").replace(/_/g, " ");

function summaryOf(r: TimelineRow): string {
  const d = r.data ?? {};
  switch (r.kind) {
    case "created":
      return `created ${r.subject_type === "person" ? "a person" : `a ${r.subject_type}`}`;
    case "updated": {
      const fields = Object.keys((d.changes as Record<string, unknown>) ?? {}).map(fieldLabel);
      return fields.length ? `updated ${fields.slice(0, 3).join(", ")}${fields.length > 3 ? ` and ${fields.length - 3} more` : ""}` : "updated";
    }
    case "stage_changed":
      return typeof d.to_stage === "string" ? `moved to ${d.to_stage}` : "moved to another stage";
    case "status_changed":
      return d.to === "won" ? "marked won" : d.to === "lost" ? "marked lost" : "reopened";
    case "note":
      return "added a note";
    case "note_deleted":
      return "deleted a note";
    case "task":
      return r.task_title ? `added the task “${r.task_title}”` : "added a task";
    case "task_completed":
      return r.task_title ? `completed “${r.task_title}”` : "completed a task";
    case "date_added":
      return `added the date ${d.kind}`;
    case "date_changed":
      return `changed the date ${d.kind}`;
    case "date_removed":
      return `removed the date ${d.kind}`;
    default:
      return r.kind.replace(/_/g, " ");
  }
}

export interface Dashboard {
  newPeople: NewPeople;
  openDeals: OpenDealsByStage;
  myTasks: MyTasks;
  timeline: OrgTimelineItem[];
}

/** Everything the dashboard shows, read in one transaction as the member. */
export async function loadDashboard(tx: Tx, userId: string, now: Date, timeZone: string): Promise<Dashboard> {
  const period = await periodOf(tx, now, timeZone);
  return {
    newPeople: await newPeopleCounts(tx, period),
    openDeals: await openDealsByStage(tx),
    myTasks: await myTasksDue(tx, userId, period),
    timeline: await recentTimeline(tx),
  };
}
