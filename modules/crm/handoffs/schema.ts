import { z } from "zod";

export const handoffDealSchema = z.object({ id: z.uuid({ error: "Choose a deal" }) });

/** Submitting: the handoff stage, needed only when the deal's pipeline has more than one. */
export const submitHandoffSchema = handoffDealSchema.extend({
  stageId: z.uuid({ error: "Choose a handoff stage" }).optional(),
});

export const denyHandoffSchema = handoffDealSchema.extend({
  reason: z
    .string({ error: "Say why the handoff is denied" })
    .trim()
    .min(1, { error: "Say why the handoff is denied" })
    .max(500, { error: "Keep the reason to 500 characters" }),
});

export type SubmitHandoffInput = z.infer<typeof submitHandoffSchema>;
export type DenyHandoffInput = z.infer<typeof denyHandoffSchema>;
