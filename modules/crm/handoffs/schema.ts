import { z } from "zod";
import { zString } from "@/lib/validation";

export const handoffDealSchema = z.object({ id: z.uuid({ error: "Choose a deal" }) });

/** Submitting: the handoff stage, needed only when the deal's pipeline has more than one. */
export const submitHandoffSchema = handoffDealSchema.extend({
  stageId: z.uuid({ error: "Choose a handoff stage" }).optional(),
});

export const denyHandoffSchema = handoffDealSchema.extend({
  reason: zString("The reason", { error: "Say why the handoff is denied" })
    .trim()
    .min(1, { error: "Say why the handoff is denied" })
    .max(500, { error: "Keep the reason to 500 characters" }),
});

export type SubmitHandoffInput = z.infer<typeof submitHandoffSchema>;
export type DenyHandoffInput = z.infer<typeof denyHandoffSchema>;

/** Settings → Pipelines: one pipeline's handoff and locked stages, and whether locked deals are hidden. */
export const pipelineHandoffsSchema = z.object({
  pipelineId: z.uuid(),
  hideLocked: z.boolean(),
  stages: z
    .array(
      z
        .object({
          id: z.uuid(),
          acceptStageId: z.uuid().nullable(),
          denyStageId: z.uuid().nullable(),
          locked: z.boolean(),
        })
        .refine((s) => (s.acceptStageId === null) === (s.denyStageId === null), {
          error: "Choose both where an accepted and a denied deal goes, or neither",
          path: ["denyStageId"],
        })
        .refine((s) => s.acceptStageId === null || (s.acceptStageId !== s.denyStageId && s.acceptStageId !== s.id && s.denyStageId !== s.id), {
          error: "Accepted and denied deals go to two other stages",
          path: ["acceptStageId"],
        }),
    )
    .max(100),
});
export type PipelineHandoffsInput = z.infer<typeof pipelineHandoffsSchema>;
