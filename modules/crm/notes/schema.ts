import { z } from "zod";
import { zString } from "@/lib/validation";
import { recordRefSchema } from "@/modules/crm/records/ui";

// Well under the column's 100,000 characters, leaving room for the markup
// the sanitiser writes (rel/target on links).
export const MAX_NOTE_HTML = 50_000;

const body = zString("The note", { error: "Write something first" })
  .max(MAX_NOTE_HTML, `The note is too long (${MAX_NOTE_HTML.toLocaleString("en-US")} characters of formatted text at most)`);

export const createNoteSchema = z.object({ subject: recordRefSchema, html: body });
export const updateNoteSchema = z.object({ id: z.uuid("Not a valid note"), html: body });
export const noteIdSchema = z.object({ id: z.uuid("Not a valid note") });

export type CreateNoteInput = z.input<typeof createNoteSchema>;
