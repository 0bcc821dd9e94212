"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { database } from "@/lib/db";
import { recordHref } from "@/modules/crm/records/ui";
import { appGmailDeps } from "./deps";
import { composeSchema } from "./schema";
import { disconnect, type SentEmail, sendEmail } from "./service";

export async function sendEmailAction(input: unknown): Promise<ActionResult<SentEmail>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = composeSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const sent = await sendEmail(appGmailDeps(), (fn) => database().asUser(session.claims, fn), { userId: session.user.id, name: session.user.name }, parsed.data);
    revalidatePath(recordHref(parsed.data.subject.type, parsed.data.subject.id));
    return ok(sent);
  } catch (e) {
    return actionFailure(e, "Sending the email failed.");
  }
}

export async function disconnectGmailAction(): Promise<ActionResult> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  try {
    await disconnect(appGmailDeps(), (fn) => database().asUser(session.claims, fn), session.user.id);
    revalidatePath("/settings/integrations/gmail");
    return ok();
  } catch (e) {
    return actionFailure(e, "Disconnecting Gmail failed.");
  }
}
