// Notes are written here and only here: every body is sanitised on the
// server before it reaches the database, whatever the editor sent. Who may
// edit or delete a note (its author; owners and admins any) is decided by
// RLS; these functions report a refused write as a DomainError.

import type { Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { fieldError, forbidden, notFound } from "@/lib/errors";
import type { RecordRef } from "@/modules/crm/records/ui";
import { isEmptyNote, noteHtmlToText, sanitizeNoteHtml } from "./sanitize";

export const EMPTY_NOTE_MESSAGE = "The note is empty. Write something before saving.";

function clean(html: string) {
  const safe = sanitizeNoteHtml(html);
  if (isEmptyNote(safe)) throw fieldError("html", EMPTY_NOTE_MESSAGE);
  return { body_html: safe, body_text: noteHtmlToText(safe) };
}

const SUBJECT_COLUMN = { person: "person_id", company: "company_id", deal: "deal_id", lead: "lead_id" } as const;
const SUBJECT_NAME = { person: "person", company: "company", deal: "deal", lead: "lead" } as const;

export async function createNote(
  tx: Tx,
  actor: { orgId: string },
  input: { subject: RecordRef; html: string },
): Promise<{ id: string }> {
  const body = clean(input.html);
  try {
    return await tx
      .insertInto("notes")
      .values({ org_id: actor.orgId, ...body, [SUBJECT_COLUMN[input.subject.type]]: input.subject.id })
      .returning("id")
      .executeTakeFirstOrThrow();
  } catch (e) {
    // 23503: the record is gone or belongs to another org (composite FK).
    if (pgError(e)?.code === "23503") {
      throw fieldError("subject", `This ${SUBJECT_NAME[input.subject.type]} was not found. It may have been deleted.`);
    }
    throw e;
  }
}

export async function updateNote(tx: Tx, input: { id: string; html: string }): Promise<void> {
  const body = clean(input.html);
  const row = await tx.updateTable("notes").set(body).where("id", "=", input.id).returning("id").executeTakeFirst();
  if (!row) await refuse(tx, input.id, "edit");
}

export async function deleteNote(tx: Tx, input: { id: string }): Promise<void> {
  const row = await tx.deleteFrom("notes").where("id", "=", input.id).returning("id").executeTakeFirst();
  if (!row) await refuse(tx, input.id, "delete");
}

/** Nothing changed: either the note is gone or RLS kept it from this member. */
async function refuse(tx: Tx, id: string, verb: "edit" | "delete"): Promise<never> {
  const visible = await tx.selectFrom("notes").select("id").where("id", "=", id).executeTakeFirst();
  if (visible) throw forbidden(`Only the note's author or an admin can ${verb} it.`);
  throw notFound("This note no longer exists.");
}
