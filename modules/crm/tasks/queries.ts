// Reading tasks: the /tasks page's groups, a record's open tasks, and the
// list engine's fields and page for the list mode, CSV export and API.

import { sql, type Tx } from "@/lib/db";
import { applyListPlan, countMatching, pageFromRows } from "@/modules/crm/lists";
import type { ListFieldSql, ListState } from "@/modules/crm/lists/ui";
import type { RecordRef, RecordType } from "@/modules/crm/records/ui";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TASK_GROUPS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskGroup,
  type TaskPriority,
  type TaskStatus,
} from "./schema";

/** A task as the task views render it (plain JSON). */
export interface TaskItem {
  id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  /** ISO instant; for all-day tasks midnight UTC of the due date. */
  dueAt: string | null;
  allDay: boolean;
  completedAt: string | null;
  assignee: { id: string; name: string } | null;
  record: { type: RecordType; id: string; name: string } | null;
  archived: boolean;
}

function taskBase(tx: Tx) {
  return tx
    .selectFrom("tasks as t")
    .leftJoin("profiles as ap", "ap.user_id", "t.assignee_id")
    .leftJoin("people as tp", "tp.id", "t.person_id")
    .leftJoin("companies as tc", "tc.id", "t.company_id")
    .leftJoin("deals as td", "td.id", "t.deal_id")
    .leftJoin("leads as tl", "tl.id", "t.lead_id");
}

const itemColumns = [
  "t.id",
  "t.title",
  "t.description",
  "t.status",
  "t.priority",
  "t.due_at",
  "t.all_day",
  "t.completed_at",
  "t.archived_at",
  "t.assignee_id",
  sql<string | null>`coalesce(nullif(ap.full_name, ''), ap.email)`.as("assignee_name"),
  "t.person_id",
  "t.company_id",
  "t.deal_id",
  sql<string | null>`coalesce(nullif(tp.full_name, ''), tp.email::text)`.as("person_name"),
  "tc.name as company_name",
  "td.name as deal_name",
  "t.lead_id",
  sql<string | null>`coalesce(nullif(tl.full_name, ''), tl.email::text, tl.phone)`.as("lead_name"),
] as const;

interface ItemRow {
  id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  due_at: Date | null;
  all_day: boolean;
  completed_at: Date | null;
  archived_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  person_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  person_name: string | null;
  company_name: string | null;
  deal_name: string | null;
  lead_id: string | null;
  lead_name: string | null;
}

function toItem(r: ItemRow): TaskItem {
  const record = r.deal_id
    ? { type: "deal" as const, id: r.deal_id, name: r.deal_name ?? "Deal" }
    : r.person_id
      ? { type: "person" as const, id: r.person_id, name: r.person_name || "Unnamed person" }
      : r.company_id
        ? { type: "company" as const, id: r.company_id, name: r.company_name ?? "Company" }
        : r.lead_id
          ? { type: "lead" as const, id: r.lead_id, name: r.lead_name || "Unnamed lead" }
          : null;
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    allDay: r.all_day,
    completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? "Former member" } : null,
    record,
    archived: r.archived_at !== null,
  };
}

export async function getTask(tx: Tx, id: string): Promise<TaskItem | null> {
  const row = await taskBase(tx).select(itemColumns).where("t.id", "=", id).executeTakeFirst();
  return row ? toItem(row as ItemRow) : null;
}

const SUBJECT_COLUMN = { person: "t.person_id", company: "t.company_id", deal: "t.deal_id", lead: "t.lead_id" } as const;

/** The record's tasks that are not done (and not archived), soonest due first. */
export async function listOpenTasksFor(tx: Tx, subject: RecordRef, limit = 50): Promise<TaskItem[]> {
  const rows = await taskBase(tx)
    .select(itemColumns)
    .where(sql.ref(SUBJECT_COLUMN[subject.type]), "=", subject.id)
    .where("t.status", "<>", "done")
    .where("t.archived_at", "is", null)
    .orderBy(sql`t.due_at asc nulls last`)
    .orderBy("t.created_at", "asc")
    .limit(limit)
    .execute();
  return rows.map((r) => toItem(r as ItemRow));
}

export interface TaskGroups {
  groups: { group: TaskGroup; total: number; tasks: TaskItem[] }[];
  timeZone: string;
}

/**
 * The SQL bucket of a task relative to `now` in `timeZone`. Timed tasks are
 * overdue once their moment has passed; all-day tasks (stored at midnight
 * UTC of their date, see service.ts) once their date is before today.
 * "This week" runs to the end of the ISO week (Sunday); after that is later.
 */
function groupSql(now: Date, timeZone: string) {
  const today = sql`(${now}::timestamptz at time zone ${timeZone})::date`;
  const day = sql`(case when t.all_day then (t.due_at at time zone 'UTC')::date else (t.due_at at time zone ${timeZone})::date end)`;
  return sql<TaskGroup>`case
    when t.due_at is null then 'none'
    when (case when t.all_day then ${day} < ${today} else t.due_at < ${now}::timestamptz end) then 'overdue'
    when ${day} <= ${today} then 'today'
    when ${day} = ${today} + 1 then 'tomorrow'
    when ${day} <= date_trunc('week', ${today})::date + 6 then 'this_week'
    else 'later' end`;
}

/**
 * Open tasks (not done, not archived) in the groups of the /tasks page:
 * mine (assigned to `userId`) or everyone's. Each group holds at most
 * `perGroup` tasks, soonest first, with its full count.
 */
export async function listTaskGroups(
  tx: Tx,
  opts: { scope: "mine" | "all"; userId: string; timeZone: string; now?: Date; perGroup?: number },
): Promise<TaskGroups> {
  const now = opts.now ?? new Date();
  const perGroup = opts.perGroup ?? 100;
  let inner = taskBase(tx)
    .select(itemColumns)
    .select(groupSql(now, opts.timeZone).as("grp"))
    .where("t.status", "<>", "done")
    .where("t.archived_at", "is", null);
  if (opts.scope === "mine") inner = inner.where("t.assignee_id", "=", opts.userId);
  const ranked = await sql<ItemRow & { grp: TaskGroup; n: string; total: string }>`
    select * from (
      select x.*,
             row_number() over (partition by x.grp order by x.due_at asc nulls last, x.priority desc, x.id) as n,
             count(*) over (partition by x.grp) as total
      from (${inner}) x
    ) y
    where y.n <= ${perGroup}
    order by y.due_at asc nulls last, y.priority desc, y.id`.execute(tx);
  const byGroup = new Map<TaskGroup, { total: number; tasks: TaskItem[] }>();
  for (const r of ranked.rows) {
    const g = byGroup.get(r.grp) ?? { total: Number(r.total), tasks: [] };
    g.tasks.push(toItem(r));
    byGroup.set(r.grp, g);
  }
  return {
    groups: TASK_GROUPS.filter((g) => byGroup.has(g)).map((g) => ({ group: g, ...byGroup.get(g)! })),
    timeZone: opts.timeZone,
  };
}

/** The list mode's fields (tasks have no custom fields). */
export function taskListFields(): ListFieldSql[] {
  return [
    { key: "title", label: "Title", type: "text", sql: sql.ref("t.title"), sortable: true, filterable: true, searchable: true, editable: true },
    {
      key: "status",
      label: "Status",
      type: "select",
      options: TASK_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
      sql: sql.ref("t.status"),
      // Workflow order, not alphabetical.
      sortSql: sql`array_position(array['todo','in_progress','waiting','done']::text[], t.status::text)::text`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    {
      key: "priority",
      label: "Priority",
      type: "select",
      options: TASK_PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] })),
      sql: sql.ref("t.priority"),
      sortSql: sql`array_position(array['low','normal','high','urgent']::text[], t.priority::text)::text`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    { key: "due_at", label: "Due", type: "datetime", sql: sql.ref("t.due_at"), sortable: true, filterable: true },
    {
      key: "assignee",
      label: "Assignee",
      type: "user",
      sql: sql.ref("t.assignee_id"),
      sortSql: sql`coalesce(nullif(ap.full_name, ''), ap.email)`,
      sortable: true,
      filterable: true,
      editable: true,
    },
    {
      key: "person",
      label: "Person",
      type: "relation",
      sql: sql.ref("t.person_id"),
      sortSql: sql.ref("tp.full_name"),
      sortable: true,
      filterable: true,
      defaultVisible: false,
    },
    {
      key: "company",
      label: "Company",
      type: "relation",
      sql: sql.ref("t.company_id"),
      sortSql: sql.ref("tc.name"),
      sortable: true,
      filterable: true,
      defaultVisible: false,
    },
    {
      key: "deal",
      label: "Deal",
      type: "relation",
      sql: sql.ref("t.deal_id"),
      sortSql: sql.ref("td.name"),
      sortable: true,
      filterable: true,
      defaultVisible: false,
    },
    { key: "completed_at", label: "Completed", type: "datetime", sql: sql.ref("t.completed_at"), sortable: true, filterable: true, defaultVisible: false },
    { key: "created_at", label: "Created", type: "datetime", sql: sql.ref("t.created_at"), sortable: true, filterable: true, defaultVisible: false },
  ];
}

/** A page of tasks for the list engine (rows keyed by field key). */
export async function listTasks(
  tx: Tx,
  state: ListState,
  opts: { pageSize?: number; ids?: string[]; userId?: string; timeZone?: string; withTotal?: boolean } = {},
): Promise<{ rows: Array<Record<string, unknown> & { id: string }>; nextCursor: string | null; total?: number }> {
  const fields = taskListFields();
  const plan = { idRef: "t.id", pageSize: opts.pageSize ?? 50, userId: opts.userId, timeZone: opts.timeZone };
  const base = () => {
    const q = taskBase(tx);
    return opts.ids ? q.where("t.id", "in", opts.ids.length ? opts.ids : ["00000000-0000-0000-0000-000000000000"]) : q;
  };
  const raw = await applyListPlan(base().select(itemColumns), fields, state, plan).execute();
  const { rows, nextCursor } = pageFromRows(raw, plan);
  const out = rows.map((r) => {
    const row = r as unknown as ItemRow;
    const item = toItem(row);
    return {
      id: row.id,
      title: row.title,
      status: row.status,
      priority: row.priority,
      // An all-day task is due on a date, which no reader's zone shifts.
      due_at: row.all_day && row.due_at ? new Date(row.due_at).toISOString().slice(0, 10) : row.due_at,
      all_day: row.all_day,
      assignee: row.assignee_id,
      person: row.person_id ? { id: row.person_id, name: row.person_name || "Unnamed person", href: `/people/${row.person_id}` } : null,
      company: row.company_id ? { id: row.company_id, name: row.company_name ?? "", href: `/companies/${row.company_id}` } : null,
      deal: row.deal_id ? { id: row.deal_id, name: row.deal_name ?? "", href: `/deals/${row.deal_id}` } : null,
      completed_at: row.completed_at,
      record: item.record,
    };
  });
  const total = opts.withTotal ? await countMatching(tx, base(), fields, state, plan) : undefined;
  return { rows: out, nextCursor, ...(total !== undefined ? { total } : {}) };
}
