import { z } from "zod";
import { recordRefSchema } from "@/modules/crm/records/ui";

export const TIMELINE_PAGE_SIZE = 20;

/**
 * What a timeline can be filtered to (`timeline_events.activity`, grouped by
 * kind in the database): every item is exactly one of these.
 */
export const TIMELINE_ACTIVITIES = ["notes", "emails", "texts", "calls", "tasks", "changes"] as const;
export type TimelineActivity = (typeof TIMELINE_ACTIVITIES)[number];

export const timelineActivitySchema = z.enum(TIMELINE_ACTIVITIES, {
  error: `Use one of ${TIMELINE_ACTIVITIES.join(", ")}`,
});

/** The `?activity=` of a record page: an unknown value shows everything. */
export function activityFromParam(value: string | string[] | undefined): TimelineActivity | null {
  const parsed = timelineActivitySchema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success ? parsed.data : null;
}

export const timelinePageSchema = z.object({
  subject: recordRefSchema,
  before: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "The page link is invalid")
    .optional(),
  activity: timelineActivitySchema.optional(),
});
