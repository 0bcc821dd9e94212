"use server";
// Routing's server actions: the partner's answer from the link's page (no
// session: the token in the form is the credential, and the database
// decides whether it still opens the offer the page showed), and the
// admins' and managers' actions on rules, partners and leads.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import type { Actor } from "@/lib/auth/actor";
import { appKeyring } from "@/lib/crypto/keyring";
import type { Tx } from "@/lib/db";
import { currentLog } from "@/lib/log";
import { answerOffer, type OfferAnswer } from "./offer";
import * as service from "./service";

const answerSchema = z.object({
  token: z.string().min(1).max(100),
  delivery_id: z.uuid(),
  answer: z.enum(["accepted", "rejected"]),
  reason: z.string().trim().max(1000, "At most 1,000 characters").optional(),
});

export type OfferAnswerState = OfferAnswer | { outcome: "invalid"; message: string } | null;

export async function answerOfferAction(_prev: OfferAnswerState, form: FormData): Promise<OfferAnswerState> {
  const parsed = answerSchema.safeParse({
    token: form.get("token"),
    delivery_id: form.get("delivery_id"),
    answer: form.get("answer"),
    reason: form.get("reason") ?? undefined,
  });
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return { outcome: "invalid", message: reason ? `Reason: ${reason.message}` : "This answer could not be read. Open the link from the email again." };
  }
  const { token, delivery_id, answer, reason } = parsed.data;
  try {
    return await answerOffer(token, delivery_id, answer, reason || null);
  } catch (e) {
    (await currentLog()).error({ err: e }, "partner answer failed");
    return { outcome: "invalid", message: "Your answer could not be saved. Try again in a moment." };
  }
}

const SETTINGS = "/settings/routing";

async function settings<T>(what: string, fn: (tx: Tx, actor: Actor) => Promise<T>, path = SETTINGS): Promise<ActionResult<T>> {
  const result = await runAction("settings.manage", `Could not ${what}. Try again.`, fn);
  if (result.ok) revalidatePath(path);
  return result;
}

export async function saveRuleAction(input: unknown, id?: string) {
  return settings("save the rule", (tx, actor) => service.saveRule(tx, actor, input, id));
}

export async function setRuleEnabledAction(id: string, enabled: boolean) {
  return settings("change the rule", (tx, actor) => service.setRuleEnabled(tx, actor, id, enabled));
}

export async function moveRuleAction(id: string, direction: -1 | 1) {
  return settings("move the rule", (tx, actor) => service.moveRule(tx, actor, id, direction));
}

export async function deleteRuleAction(id: string) {
  return settings("delete the rule", (tx, actor) => service.deleteRule(tx, actor, id));
}

export async function savePartnerAction(input: unknown, id?: string) {
  return settings("save the partner", (tx, actor) => service.savePartner(tx, actor, input, id, appKeyring), "/settings/partners");
}

export async function rotatePartnerSecretAction(id: string) {
  return settings("rotate the signing secret", (tx, actor) => service.rotatePartnerSecret(tx, actor, id, appKeyring), "/settings/partners");
}

export async function deletePartnerAction(id: string) {
  return settings("delete the partner", (tx, actor) => service.deletePartner(tx, actor, id), "/settings/partners");
}

export async function previewRoutingAction(input: unknown) {
  return runAction("records.work", "Could not preview the rules. Try again.", (tx) => service.previewRouting(tx, input));
}

export async function routeLeadAgainAction(leadId: string) {
  const result = await runAction("records.assign", "Could not route the lead. Try again.", (tx, actor) =>
    service.routeLeadAgain(tx, actor, leadId),
  );
  if (result.ok) revalidatePath(`/leads/${leadId}`);
  return result;
}
