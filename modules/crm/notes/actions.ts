"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { asMember } from "@/lib/auth/session";
import { recordHref } from "@/modules/crm/records/ui";
import { createNoteSchema, noteIdSchema, updateNoteSchema } from "./schema";
import { createNote, deleteNote, updateNote } from "./service";

/** Notes show on several records' timelines; the record pages re-render on their next visit. */
function revalidateRecords() {
  revalidatePath("/people/[id]", "page");
  revalidatePath("/companies/[id]", "page");
  revalidatePath("/deals/[id]", "page");
}

export async function addNote(input: unknown): Promise<ActionResult<{ id: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = createNoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const note = await asMember(session, (tx) => createNote(tx, { orgId: session.org.id }, parsed.data));
    revalidatePath(recordHref(parsed.data.subject.type, parsed.data.subject.id));
    revalidateRecords();
    return ok(note);
  } catch (e) {
    return actionFailure(e, "Saving the note failed.");
  }
}

export async function editNote(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = updateNoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => updateNote(tx, parsed.data));
    revalidateRecords();
    return ok();
  } catch (e) {
    return actionFailure(e, "Saving the note failed.");
  }
}

export async function removeNote(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = noteIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => deleteNote(tx, parsed.data));
    revalidateRecords();
    return ok();
  } catch (e) {
    return actionFailure(e, "Deleting the note failed.");
  }
}
