"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { asMember } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { bulkAssignSchema, bulkIdsSchema, taskDoneSchema, taskIdSchema, taskSchema, taskUpdateSchema } from "./schema";
import { archiveTasks, assignTasks, createTask, deleteTasks, setTaskDone, updateTask, updateTaskField } from "./service";

/** Tasks show on /tasks and on the records they are linked to. */
function revalidateTasks() {
  revalidatePath("/tasks", "layout");
  revalidatePath("/people/[id]", "page");
  revalidatePath("/companies/[id]", "page");
  revalidatePath("/deals/[id]", "page");
  revalidatePath("/");
}

/** The zone a date and time were typed in: the member's, in which the form showed them. */
async function withZone<T extends { timeZone?: string }>(input: T): Promise<T> {
  return { ...input, timeZone: await getTimeZone() };
}

export async function addTask(input: unknown): Promise<ActionResult<{ id: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = taskSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const values = await withZone(parsed.data);
    const task = await asMember(session, (tx) => createTask(tx, { orgId: session.org.id, userId: session.user.id }, values));
    revalidateTasks();
    return ok(task);
  } catch (e) {
    return actionFailure(e, "Creating the task failed.");
  }
}

export async function editTask(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = taskUpdateSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const { id, ...values } = await withZone(parsed.data);
    await asMember(session, (tx) => updateTask(tx, { userId: session.user.id }, id, values));
    revalidateTasks();
    return ok();
  } catch (e) {
    return actionFailure(e, "Saving the task failed.");
  }
}

export async function completeTask(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = taskDoneSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => setTaskDone(tx, parsed.data.id, parsed.data.done));
    revalidateTasks();
    return ok();
  } catch (e) {
    return actionFailure(e, "Updating the task failed.");
  }
}

export async function assignTasksAction(input: unknown): Promise<ActionResult<{ count: number }>> {
  const { session, error } = await authorize("records.assign");
  if (error) return error;
  const parsed = bulkAssignSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const count = await asMember(session, (tx) => assignTasks(tx, parsed.data.ids, parsed.data.userId));
    revalidateTasks();
    return ok({ count });
  } catch (e) {
    return actionFailure(e, "Assigning the tasks failed.");
  }
}

async function archiveOrRestore(input: unknown, archived: boolean): Promise<ActionResult<{ count: number }>> {
  const { session, error } = await authorize("records.archive");
  if (error) return error;
  const parsed = bulkIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const count = await asMember(session, (tx) => archiveTasks(tx, parsed.data.ids, archived));
    revalidateTasks();
    return ok({ count });
  } catch (e) {
    return actionFailure(e, archived ? "Archiving the tasks failed." : "Restoring the tasks failed.");
  }
}

export async function archiveTasksAction(input: unknown) {
  return archiveOrRestore(input, true);
}

export async function restoreTasksAction(input: unknown) {
  return archiveOrRestore(input, false);
}

export async function deleteTasksAction(input: unknown): Promise<ActionResult<{ count: number }>> {
  const { session, error } = await authorize("records.delete");
  if (error) return error;
  const parsed = bulkIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const count = await asMember(session, (tx) => deleteTasks(tx, parsed.data.ids));
    revalidateTasks();
    return ok({ count });
  } catch (e) {
    return actionFailure(e, "Deleting the tasks failed.");
  }
}

/** Inline edit of one list cell. */
export async function editTaskCell(id: string, fieldKey: string, value: string | null): Promise<ActionResult> {
  const { session, error } = await authorize(fieldKey === "assignee" ? "records.assign" : "records.work");
  if (error) return error;
  if (!taskIdSchema.safeParse({ id }).success) return fail("Not a valid task.");
  try {
    await asMember(session, (tx) => updateTaskField(tx, id, fieldKey, value));
    revalidateTasks();
    return ok();
  } catch (e) {
    return actionFailure(e, "Saving the task failed.");
  }
}
