"use server";
// The partner's answer from the link's page. No session: the token in the
// form is the credential, and the database decides whether it still opens
// the offer the page showed.
import { z } from "zod";
import { currentLog } from "@/lib/log";
import { answerOffer, type OfferAnswer } from "./offer";

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
