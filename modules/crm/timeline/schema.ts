import { z } from "zod";
import { recordRefSchema } from "@/modules/crm/records/ui";

export const TIMELINE_PAGE_SIZE = 20;

export const timelinePageSchema = z.object({
  subject: recordRefSchema,
  before: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "The page link is invalid")
    .optional(),
});
