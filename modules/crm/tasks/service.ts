// Task writes. RLS lets any member create and change tasks; archiving is
// for managers and up (guard trigger) and deleting for owners and admins
// (delete policy). Refusals are DomainErrors naming the field.

import { type RawBuilder } from "kysely";
import { sql, type Tx } from "@/lib/db";
import { pgError, pgHint } from "@/lib/db/errors";
import { resolveTimeZone } from "@/lib/time";
import { fieldError, forbidden, isDomainError, notFound } from "@/lib/errors";
import { UUID_RE } from "@/modules/crm/lists/ui";
import type { RecordRef } from "@/modules/crm/records/ui";
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus, type TaskValues } from "./schema";

const LINK_NAME = { person: "person", company: "company", deal: "deal", lead: "lead" } as const;

/**
 * due_at for a form's date and time. All-day tasks are stored at midnight
 * UTC of their date and read back as that date in every zone, so "due
 * March 3" stays March 3 for a teammate elsewhere; a timed task is the
 * instant the author meant in their own zone.
 */
function dueAt(v: Pick<TaskValues, "dueDate" | "dueTime" | "timeZone">): { due_at: RawBuilder<Date> | null; all_day: boolean } {
  if (!v.dueDate) return { due_at: null, all_day: false };
  if (!v.dueTime) return { due_at: sql<Date>`(${v.dueDate}::date)::timestamp at time zone 'UTC'`, all_day: true };
  return {
    due_at: sql<Date>`(${v.dueDate}::date + ${v.dueTime}::time) at time zone ${resolveTimeZone(v.timeZone)}`,
    all_day: false,
  };
}

function links(link: RecordRef | null | undefined) {
  return {
    person_id: link?.type === "person" ? link.id : null,
    company_id: link?.type === "company" ? link.id : null,
    deal_id: link?.type === "deal" ? link.id : null,
    lead_id: link?.type === "lead" ? link.id : null,
  };
}

function columns(v: TaskValues, authorId: string) {
  return {
    title: v.title,
    description: v.description,
    ...dueAt(v),
    priority: v.priority,
    status: v.status,
    assignee_id: v.assigneeId === undefined ? authorId : v.assigneeId || null,
    ...links(v.link),
  };
}

/** Database refusals a user's input can cause, as DomainError. */
function mapError(e: unknown, link?: RecordRef | null): never {
  const err = pgError(e);
  if (err?.code === "23503") {
    const c = err.constraint_name ?? "";
    if (c.includes("assignee")) throw fieldError("assigneeId", "The assignee is not a member of this organization.");
    const type = link?.type ?? (c.includes("person") ? "person" : c.includes("company") ? "company" : c.includes("lead") ? "lead" : "deal");
    throw fieldError("link", `The linked ${LINK_NAME[type]} was not found. It may have been deleted.`);
  }
  if (err?.code === "42501" && pgHint(e) === "archived_at") {
    throw forbidden("Only managers, admins and owners can archive or restore tasks.");
  }
  if (err?.code === "42501") throw forbidden();
  throw e;
}

export async function createTask(tx: Tx, actor: { orgId: string; userId: string }, v: TaskValues): Promise<{ id: string }> {
  try {
    return await tx
      .insertInto("tasks")
      .values({ org_id: actor.orgId, ...columns(v, actor.userId) })
      .returning("id")
      .executeTakeFirstOrThrow();
  } catch (e) {
    mapError(e, v.link);
  }
}

export async function updateTask(tx: Tx, actor: { userId: string }, id: string, v: TaskValues): Promise<void> {
  try {
    const row = await tx.updateTable("tasks").set(columns(v, actor.userId)).where("id", "=", id).returning("id").executeTakeFirst();
    if (!row) throw notFound("This task no longer exists.");
  } catch (e) {
    if (isDomainError(e)) throw e;
    mapError(e, v.link);
  }
}

/** Complete (status done; completed_at set by trigger) or reopen (back to "to do"). */
export async function setTaskDone(tx: Tx, id: string, done: boolean): Promise<void> {
  let q = tx.updateTable("tasks").set({ status: done ? "done" : "todo" }).where("id", "=", id);
  // Reopening leaves an in-progress or waiting task alone; only done ones go back.
  q = done ? q.where("status", "<>", "done") : q.where("status", "=", "done");
  await q.execute();
  const exists = await tx.selectFrom("tasks").select("id").where("id", "=", id).executeTakeFirst();
  if (!exists) throw notFound("This task no longer exists.");
}

export async function assignTasks(tx: Tx, ids: string[], userId: string | null): Promise<number> {
  try {
    const rows = await tx.updateTable("tasks").set({ assignee_id: userId }).where("id", "in", ids).returning("id").execute();
    return rows.length;
  } catch (e) {
    mapError(e);
  }
}

export async function archiveTasks(tx: Tx, ids: string[], archived: boolean): Promise<number> {
  try {
    const rows = await tx
      .updateTable("tasks")
      .set({ archived_at: archived ? sql<Date>`now()` : null })
      .where("id", "in", ids)
      .where("archived_at", archived ? "is" : "is not", null)
      .returning("id")
      .execute();
    return rows.length;
  } catch (e) {
    mapError(e);
  }
}

/** Hard delete; RLS lets only owners and admins delete, so a member's attempt deletes nothing. */
export async function deleteTasks(tx: Tx, ids: string[]): Promise<number> {
  const rows = await tx.deleteFrom("tasks").where("id", "in", ids).returning("id").execute();
  if (rows.length === 0) {
    const visible = await tx.selectFrom("tasks").select("id").where("id", "in", ids).executeTakeFirst();
    if (visible) throw forbidden("Only admins and owners can delete tasks.");
  }
  return rows.length;
}

/** One cell of the list mode: title, status, priority or assignee. */
export async function updateTaskField(tx: Tx, id: string, field: string, value: string | null): Promise<void> {
  const set =
    field === "title"
      ? (() => {
          const title = value?.trim() ?? "";
          if (!title) throw fieldError("title", "Enter a title");
          if (title.length > 200) throw fieldError("title", "Title is too long (200 characters at most)");
          return { title };
        })()
      : field === "status" && value && (TASK_STATUSES as readonly string[]).includes(value)
        ? { status: value as TaskStatus }
        : field === "priority" && value && (TASK_PRIORITIES as readonly string[]).includes(value)
          ? { priority: value as TaskPriority }
          : field === "assignee" && (value === null || UUID_RE.test(value))
            ? { assignee_id: value }
            : null;
  if (!set) throw fieldError(field, `"${field}" cannot be set to that value here.`);
  try {
    const row = await tx.updateTable("tasks").set(set).where("id", "=", id).returning("id").executeTakeFirst();
    if (!row) throw notFound("This task no longer exists.");
  } catch (e) {
    if (isDomainError(e)) throw e;
    mapError(e);
  }
}
