"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { can } from "@/lib/auth/permissions";
import { asMember, getSession } from "@/lib/auth/session";
import { currentLog } from "@/lib/log";
import { recordHref } from "@/modules/crm/timeline/schema";
import { createNoteSchema, noteIdSchema, updateNoteSchema } from "./schema";
import { createNote, deleteNote, NoteError, updateNote } from "./service";

async function member() {
  const session = await getSession();
  if (!session) return { error: fail("Your session has expired. Sign in again.") };
  if (!can(session.role, "records.work")) return { error: fail("You don't have permission to do that.") };
  return { session };
}

async function refusal(e: unknown, fallback: string) {
  if (e instanceof NoteError) return fail(e.message, e.field === "form" ? undefined : { [e.field]: e.message });
  (await currentLog()).error({ err: e }, fallback);
  return fail(fallback);
}

/** Notes show on several records' timelines; the record pages re-render on their next visit. */
function revalidateRecords() {
  revalidatePath("/people/[id]", "page");
  revalidatePath("/companies/[id]", "page");
  revalidatePath("/deals/[id]", "page");
}

export async function addNote(input: unknown): Promise<ActionResult<{ id: string }>> {
  const { session, error } = await member();
  if (error) return error;
  const parsed = createNoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const note = await asMember(session, (tx) => createNote(tx, { orgId: session.org.id }, parsed.data));
    revalidatePath(recordHref(parsed.data.subject.type, parsed.data.subject.id));
    revalidateRecords();
    return ok(note);
  } catch (e) {
    return refusal(e, "Saving the note failed.");
  }
}

export async function editNote(input: unknown): Promise<ActionResult> {
  const { session, error } = await member();
  if (error) return error;
  const parsed = updateNoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => updateNote(tx, parsed.data));
    revalidateRecords();
    return ok();
  } catch (e) {
    return refusal(e, "Saving the note failed.");
  }
}

export async function removeNote(input: unknown): Promise<ActionResult> {
  const { session, error } = await member();
  if (error) return error;
  const parsed = noteIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => deleteNote(tx, parsed.data));
    revalidateRecords();
    return ok();
  } catch (e) {
    return refusal(e, "Deleting the note failed.");
  }
}
