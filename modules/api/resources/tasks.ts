// REST for tasks: list, get, create, update, complete/reopen, archive/
// restore, delete. Writes go through modules/crm/tasks/service.ts with the
// task form's schema, so the API and the app accept the same tasks.
import { z } from "zod";
import { recordNotFound, validationFailed } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { listQuerySchema, listStateFromQuery } from "@/modules/api/core/list";
import { defineOperation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import type { RecordRef } from "@/modules/crm/records/ui";
import { listTasks as listTaskRows } from "@/modules/crm/tasks";
import * as tasks from "@/modules/crm/tasks";
import { TASK_PRIORITIES, TASK_STATUSES, taskSchema, type TaskValues } from "@/modules/crm/tasks/ui";
import { aliasListQuery, invalidAs, renamedFields, requirePermission, rowsInOrder, timestamp } from "./crm-input";

const idParams = z.object({ id: z.uuid() });

export const taskRecord = z.object({
  object: z.literal("task"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  title: z.string(),
  description: z.string().nullable(),
  due_at: timestamp()
    .nullable()
    .describe("When the task is due; for an all-day task midnight UTC of its date"),
  all_day: z.boolean().describe("Due on a date rather than at a time"),
  priority: z.enum(TASK_PRIORITIES),
  status: z.enum(TASK_STATUSES),
  completed_at: timestamp().nullable(),
  assignee_id: z.uuid().nullable(),
  person_id: z.uuid().nullable(),
  company_id: z.uuid().nullable(),
  deal_id: z.uuid().nullable(),
  archived_at: timestamp().nullable(),
  created_by: z.uuid().nullable(),
});

const taskList = z.object({ data: z.array(taskRecord), next_cursor: z.string().nullable() });

const LINKS = ["person", "company", "deal"] as const;
type LinkField = `${(typeof LINKS)[number]}_id`;

// The task form has a due date, a time and the author's zone, camelCase
// names and one `link`; the API has the record's fields: `due_at` (an
// instant or a date), `all_day`, and `person_id` / `company_id` / `deal_id`.
const taskFields = {
  title: z.string({ error: "Enter a title" }).describe("1–200 characters"),
  description: z.string({ error: "Send the description as text" }).nullish().describe("Up to 10,000 characters"),
  due_at: z
    .string({ error: "Send due_at as an ISO 8601 time or date" })
    .nullish()
    .describe(
      "An ISO 8601 instant with offset (`2026-03-03T15:30:00Z`, kept to the minute) or a date (`2026-03-03`) for an all-day task; null: no due date",
    ),
  all_day: z
    .boolean({ error: "Send all_day as true or false" })
    .optional()
    .describe("true: due on due_at's date (UTC) without a time. Implied by a date-only due_at"),
  priority: z.enum(TASK_PRIORITIES, { error: `Choose one of ${TASK_PRIORITIES.join(", ")}` }).optional().describe("Default normal"),
  status: z.enum(TASK_STATUSES, { error: `Choose one of ${TASK_STATUSES.join(", ")}` }).optional().describe("Default todo; done sets completed_at"),
  assignee_id: z
    .uuid({ error: "Not a valid member id" })
    .nullish()
    .describe("A member's user id; absent on create: the key's member; null: unassigned"),
  person_id: z.uuid({ error: "Not a valid person id" }).nullish(),
  company_id: z.uuid({ error: "Not a valid company id" }).nullish(),
  deal_id: z.uuid({ error: "Not a valid deal id" }).nullish().describe("At most one of person_id, company_id and deal_id"),
};
const taskCreateBody = z.object(taskFields);
const taskUpdateBody = z.object(taskFields).partial();
type TaskBody = z.output<typeof taskUpdateBody>;

const FIELD_NAMES: Record<string, string> = { dueDate: "due_at", dueTime: "due_at", assigneeId: "assignee_id", timeZone: "due_at" };

interface CurrentTask {
  title: string;
  description: string | null;
  due_at: Date | null;
  all_day: boolean;
  priority: TaskValues["priority"];
  status: TaskValues["status"];
  assignee_id: string | null;
  person_id: string | null;
  company_id: string | null;
  deal_id: string | null;
}

async function loadCurrent(tx: Tx, id: string): Promise<CurrentTask> {
  const row = await tx
    .selectFrom("tasks")
    .select(["title", "description", "due_at", "all_day", "priority", "status", "assignee_id", "person_id", "company_id", "deal_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw recordNotFound("Task");
  return row;
}

async function loadTask(tx: Tx, id: string) {
  const [row] = await rowsInOrder(tx, "tasks", [id]);
  if (!row) throw recordNotFound("Task");
  return represent("task", row);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DUE_FORMAT = "Use an ISO 8601 time with offset (2026-03-03T15:30:00Z) or a date (2026-03-03)";

/** The form's date and time (UTC) for a due instant or date; a date-shaped value is left to the form's check. */
function dueParts(dueAt: string | Date | null, allDay: boolean): { dueDate: string | null; dueTime: string | null; error?: string } {
  if (dueAt === null) return { dueDate: null, dueTime: null };
  if (typeof dueAt === "string" && DATE_ONLY.test(dueAt)) return { dueDate: dueAt, dueTime: null };
  if (typeof dueAt === "string" && !z.iso.datetime({ offset: true }).safeParse(dueAt).success) {
    return { dueDate: null, dueTime: null, error: DUE_FORMAT };
  }
  const iso = new Date(dueAt).toISOString();
  return { dueDate: iso.slice(0, 10), dueTime: allDay ? null : iso.slice(11, 16) };
}

/** The record a task is linked to after the change (a link sent as null unlinks only that kind). */
function linkOf(body: TaskBody, current: CurrentTask | null): RecordRef | null {
  const sent = LINKS.filter((k) => body[`${k}_id` as LinkField] != null);
  if (sent.length > 1) {
    throw validationFailed(
      Object.fromEntries(sent.map((k) => [`${k}_id`, ["Link a task to one record: person_id, company_id or deal_id"]])),
    );
  }
  if (sent.length) return { type: sent[0], id: body[`${sent[0]}_id` as LinkField]! };
  const kept = LINKS.find((k) => current?.[`${k}_id` as LinkField] && body[`${k}_id` as LinkField] !== null);
  return kept ? { type: kept, id: current![`${kept}_id` as LinkField]! } : null;
}

function taskValues(body: TaskBody, current: CurrentTask | null): TaskValues {
  const dueGiven = body.due_at !== undefined;
  const allDay = body.all_day ?? (dueGiven ? typeof body.due_at === "string" && DATE_ONLY.test(body.due_at) : !!current?.all_day);
  const { error: dueError, ...due } = dueParts(dueGiven ? (body.due_at ?? null) : (current?.due_at ?? null), allDay);
  const parsed = taskSchema.safeParse({
    title: body.title ?? current?.title,
    description: body.description === undefined ? current?.description : body.description,
    ...due,
    timeZone: "UTC",
    priority: body.priority ?? current?.priority,
    status: body.status ?? current?.status,
    assigneeId: body.assignee_id === undefined ? (current ? current.assignee_id : undefined) : body.assignee_id,
    link: linkOf(body, current),
  });
  if (parsed.success && !dueError) return parsed.data;
  const details = parsed.success ? {} : { ...invalidAs(parsed.error, FIELD_NAMES).details };
  if (dueError) details.due_at = [dueError];
  throw validationFailed(details);
}

/** A task service's refusal under the API's field names; a bad link names the record's id field. */
async function refusing<T>(work: Promise<T>, link?: RecordRef | null): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw renamedFields(e, { ...FIELD_NAMES, link: link ? `${link.type}_id` : "_" });
  }
}

export const listTasks = defineOperation({
  id: "listTasks",
  method: "get",
  path: "/tasks",
  tag: "Tasks",
  summary: "List tasks",
  description: [
    "Active tasks (archived ones with `archived=1`), newest first unless `sort` says otherwise.",
    "Filter and sort fields: `title`, `status`, `priority`, `due_at`, `assignee` (or `assignee_id`; `me` is the key's member), `person` / `company` / `deal` (or `person_id` / `company_id` / `deal_id`), `completed_at`, `created_at`. For example `f=assignee:eq:me&f=status:in:todo,in_progress&f=due_at:before:2026-04-01&sort=due_at`.",
  ].join("\n\n"),
  scope: "tasks:read",
  query: listQuerySchema,
  response: taskList,
  async handle({ tx, actor, query }) {
    const state = listStateFromQuery(
      aliasListQuery(query, { assignee_id: "assignee", person_id: "person", company_id: "company", deal_id: "deal" }),
    );
    const page = await listTaskRows(tx, state, { pageSize: query.limit, userId: actor.userId });
    const rows = await rowsInOrder(tx, "tasks", page.rows.map((r) => r.id));
    return { data: rows.map((r) => represent("task", r)), next_cursor: page.nextCursor };
  },
});

export const getTask = defineOperation({
  id: "getTask",
  method: "get",
  path: "/tasks/{id}",
  tag: "Tasks",
  summary: "Get a task",
  scope: "tasks:read",
  params: idParams,
  response: taskRecord,
  handle: ({ tx, params }) => loadTask(tx, params.id),
});

export const createTask = defineOperation({
  id: "createTask",
  method: "post",
  path: "/tasks",
  tag: "Tasks",
  summary: "Create a task",
  scope: "tasks:write",
  status: 201,
  idempotent: true,
  body: taskCreateBody,
  response: taskRecord,
  async handle({ tx, actor, body }) {
    const values = taskValues(body, null);
    const { id } = await refusing(tasks.createTask(tx, actor, values), values.link);
    return loadTask(tx, id);
  },
});

export const updateTask = defineOperation({
  id: "updateTask",
  method: "patch",
  path: "/tasks/{id}",
  tag: "Tasks",
  summary: "Update a task",
  description: "Only the fields sent change. Setting a link (e.g. `deal_id`) replaces the task's link; sending it as null unlinks it.",
  scope: "tasks:write",
  params: idParams,
  body: taskUpdateBody,
  response: taskRecord,
  async handle({ tx, actor, params, body }) {
    // Nothing sent, nothing written: no update event or audit row for a no-op.
    if (!Object.keys(body).length) return loadTask(tx, params.id);
    const values = taskValues(body, await loadCurrent(tx, params.id));
    await refusing(tasks.updateTask(tx, actor, params.id, values), values.link);
    return loadTask(tx, params.id);
  },
});

function doneOperation(done: boolean) {
  return defineOperation({
    id: done ? "completeTask" : "reopenTask",
    method: "post",
    path: `/tasks/{id}/${done ? "complete" : "reopen"}`,
    tag: "Tasks",
    summary: done ? "Complete a task" : "Reopen a completed task",
    description: done
      ? "Sets status `done` and `completed_at` (emits `task.completed`). Repeating it changes nothing."
      : "A done task goes back to `todo`; a task that is not done stays as it is.",
    scope: "tasks:write",
    params: idParams,
    response: taskRecord,
    async handle({ tx, params }) {
      await loadCurrent(tx, params.id);
      await refusing(tasks.setTaskDone(tx, params.id, done));
      return loadTask(tx, params.id);
    },
  });
}
export const completeTask = doneOperation(true);
export const reopenTask = doneOperation(false);

function archiveOperation(archived: boolean) {
  return defineOperation({
    id: archived ? "archiveTask" : "restoreTask",
    method: "post",
    path: `/tasks/{id}/${archived ? "archive" : "restore"}`,
    tag: "Tasks",
    summary: archived ? "Archive a task" : "Restore an archived task",
    description: "Needs a key whose member is a manager, admin or owner. Repeating it changes nothing.",
    scope: "tasks:write",
    params: idParams,
    response: taskRecord,
    async handle({ tx, actor, params }) {
      await loadCurrent(tx, params.id);
      requirePermission(actor.role, "records.archive", "Only managers, admins and owners can archive or restore tasks");
      await refusing(tasks.archiveTasks(tx, [params.id], archived));
      return loadTask(tx, params.id);
    },
  });
}
export const archiveTask = archiveOperation(true);
export const restoreTask = archiveOperation(false);

export const deleteTask = defineOperation({
  id: "deleteTask",
  method: "delete",
  path: "/tasks/{id}",
  tag: "Tasks",
  summary: "Delete a task for good",
  description: "Needs a key whose member is an admin or owner.",
  scope: "tasks:write",
  params: idParams,
  status: 204,
  async handle({ tx, actor, params }) {
    await loadCurrent(tx, params.id);
    requirePermission(actor.role, "records.delete", "Only admins and owners can delete tasks");
    await refusing(tasks.deleteTasks(tx, [params.id]));
    return { status: 204, body: null };
  },
});

export const taskOperations = [
  listTasks,
  createTask,
  getTask,
  updateTask,
  deleteTask,
  completeTask,
  reopenTask,
  archiveTask,
  restoreTask,
];
