import { z } from "zod";
import { isIsoDate, zString } from "@/lib/validation";
import { recordRefSchema } from "@/modules/crm/records/ui";

export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TASK_STATUSES = ["todo", "in_progress", "waiting", "done"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITY_LABELS: Record<TaskPriority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };
export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: "To do",
  in_progress: "In progress",
  waiting: "Waiting",
  done: "Done",
};

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

const duesInYears = (date: string) => {
  const year = Number(date.slice(0, date.indexOf("-")));
  return year >= 1900 && year <= 2999;
};

const optionalText = (label: string, max: number, message: string) =>
  zString(label)
    .trim()
    .max(max, message)
    .nullish()
    .transform((s) => s || null);

/**
 * The task form and API input. A due date alone makes an all-day task; a
 * date and a time make a due instant in `timeZone` (the author's zone).
 */
export const taskSchema = z
  .object({
    title: zString("Title", { error: "Enter a title" }).trim().min(1, "Enter a title").max(200, "Title is too long (200 characters at most)"),
    description: optionalText("Description", 10_000, "Description is too long (10,000 characters at most)"),
    dueDate: zString("Due date")
      .trim()
      .nullish()
      .transform((s) => s || null)
      // A slip in a date box's year ("0026", "20266") is a date the browser
      // accepts; no task is due in such a year.
      .refine((s) => s === null || !/^\d+-/.test(s) || duesInYears(s), { error: "Enter a year from 1900 to 2999", abort: true })
      .refine((s) => s === null || isIsoDate(s), "Enter a date as YYYY-MM-DD"),
    dueTime: zString("Due time")
      .trim()
      .nullish()
      .transform((s) => s || null)
      .refine((s) => s === null || TIME_RE.test(s), "Enter a time as HH:MM"),
    timeZone: zString("Time zone").max(64).optional(),
    priority: z.enum(TASK_PRIORITIES, { error: "Choose a priority" }).default("normal"),
    status: z.enum(TASK_STATUSES, { error: "Choose a status" }).default("todo"),
    /** null: unassigned; undefined: the author. */
    assigneeId: z.union([z.uuid("Choose a member"), z.literal(""), z.null()]).optional(),
    link: recordRefSchema.nullish(),
  })
  .superRefine((t, ctx) => {
    if (t.dueTime && !t.dueDate) ctx.addIssue({ code: "custom", path: ["dueDate"], message: "Choose a date for the time" });
  });
export type TaskInput = z.input<typeof taskSchema>;
export type TaskValues = z.output<typeof taskSchema>;

export const taskUpdateSchema = z.object({ id: z.uuid("Not a valid task") }).and(taskSchema);

export const taskIdSchema = z.object({ id: z.uuid("Not a valid task") });
export const taskDoneSchema = z.object({ id: z.uuid("Not a valid task"), done: z.boolean() });

const ids = z.array(z.uuid("Not a valid task")).min(1, "Select at least one task").max(1000, "At most 1,000 tasks at once");
export const bulkIdsSchema = z.object({ ids });
export const bulkAssignSchema = z.object({ ids, userId: z.uuid("Choose a member").nullable() });

/** The groups of the /tasks page, in display order. */
export const TASK_GROUPS = ["overdue", "today", "tomorrow", "this_week", "later", "none"] as const;
export type TaskGroup = (typeof TASK_GROUPS)[number];
export const GROUP_LABELS: Record<TaskGroup, string> = {
  overdue: "Overdue",
  today: "Today",
  tomorrow: "Tomorrow",
  this_week: "This week",
  later: "Later",
  none: "No date",
};
