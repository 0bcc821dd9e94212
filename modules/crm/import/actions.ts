"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { can } from "@/lib/auth/permissions";
import { asMember, getSession } from "@/lib/auth/session";
import { commitInputSchema } from "./http";
import { type Analysis, analyzeImport, undoImport } from "./service";

const idSchema = z.uuid("Not a valid import");

/** Validates every row against the mapping and returns the preview and report. */
export async function analyzeImportAction(id: string, input: unknown): Promise<ActionResult<Analysis>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  if (!can(session.role, "records.work")) return fail("You don't have permission to import records.");
  const importId = idSchema.safeParse(id);
  const parsed = commitInputSchema.safeParse(input);
  if (!importId.success) return fail(importId.error.issues[0].message);
  if (!parsed.success) return fail(parsed.error.issues[0].message);
  try {
    const actor = { userId: session.user.id, orgId: session.org.id, role: session.role };
    return ok(await asMember(session, (tx) => analyzeImport(tx, actor, importId.data, parsed.data)));
  } catch (e) {
    return actionFailure(e, "The file could not be checked. Try again in a moment.");
  }
}

export async function undoImportAction(id: string): Promise<ActionResult<{ deleted: number; restored: number }>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  if (!can(session.role, "records.delete")) return fail("Only owners and admins can undo an import.");
  const importId = idSchema.safeParse(id);
  if (!importId.success) return fail(importId.error.issues[0].message);
  try {
    const actor = { userId: session.user.id, orgId: session.org.id, role: session.role };
    const result = await asMember(session, (tx) => undoImport(tx, actor, importId.data));
    revalidatePath("/import");
    revalidatePath("/people");
    revalidatePath("/companies");
    revalidatePath("/deals");
    return ok(result);
  } catch (e) {
    return actionFailure(e, "The import could not be undone; nothing was changed. Try again in a moment.");
  }
}
