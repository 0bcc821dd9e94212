import { z } from "zod";

export const TIMELINE_SUBJECT_TYPES = ["person", "company", "deal"] as const;
export type TimelineSubjectType = (typeof TIMELINE_SUBJECT_TYPES)[number];

/** The record whose timeline is shown. */
export const subjectSchema = z.object({
  type: z.enum(TIMELINE_SUBJECT_TYPES, { error: "Unknown record type" }),
  id: z.uuid("Not a valid record"),
});
export type TimelineSubject = z.infer<typeof subjectSchema>;

export const TIMELINE_PAGE_SIZE = 20;

export const timelinePageSchema = z.object({
  subject: subjectSchema,
  before: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "The page link is invalid")
    .optional(),
});

/** Where a record lives in the app. */
export function recordHref(type: TimelineSubjectType, id: string): string {
  return type === "person" ? `/people/${id}` : type === "company" ? `/companies/${id}` : `/deals/${id}`;
}
