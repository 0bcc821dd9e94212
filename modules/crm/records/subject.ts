import { z } from "zod";

/** The records a timeline, a note or a task can be about. */
export const RECORD_TYPES = ["person", "company", "deal", "lead"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** One person, company, deal or lead, by type and id. */
export const recordRefSchema = z.object({
  type: z.enum(RECORD_TYPES, { error: "Unknown record type" }),
  id: z.uuid("Not a valid record"),
});
export type RecordRef = z.infer<typeof recordRefSchema>;

/** Where a record lives in the app. */
export function recordHref(type: RecordType, id: string): string {
  return type === "person" ? `/people/${id}` : type === "company" ? `/companies/${id}` : type === "lead" ? `/leads/${id}` : `/deals/${id}`;
}
