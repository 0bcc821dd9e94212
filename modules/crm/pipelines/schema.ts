import { z } from "zod";
import { zString } from "@/lib/validation";
import { ROLES } from "@/lib/auth/permissions";

const id = z.uuid({ error: "Not a valid id" });
const name = zString("Name").trim().min(1, "Enter a name").max(80, "At most 80 characters");

export const pipelineCreateSchema = z.object({ name });
export const pipelineIdSchema = z.object({ id });
const noun = zString("Name").trim().max(40, "At most 40 characters");

/**
 * What a pipeline's deals are called, singular and plural. Both empty: the
 * default, Deal/Deals; one without the other would pair a pipeline's
 * singular with the default plural, so it is refused on the empty field.
 */
export const pipelineNounsSchema = z
  .object({ pipelineId: id, nounSingular: noun.default(""), nounPlural: noun.default("") })
  .superRefine((v, ctx) => {
    if (v.nounSingular && !v.nounPlural) ctx.addIssue({ code: "custom", path: ["nounPlural"], message: "Enter the plural too, e.g. Cases" });
    if (v.nounPlural && !v.nounSingular) ctx.addIssue({ code: "custom", path: ["nounSingular"], message: "Enter the singular too, e.g. Case" });
  })
  .transform((v) => ({ pipelineId: v.pipelineId, nounSingular: v.nounSingular || null, nounPlural: v.nounPlural || null }));

export const pipelineReorderSchema = z.object({ ids: z.array(id).min(1).max(100) });
/** How a pipeline's deals are made and named: numbered, and about one person each. */
export const pipelineOptionsSchema = z.object({
  id,
  numbered: z.boolean({ error: "Send true or false" }),
  personRequired: z.boolean({ error: "Send true or false" }),
});
export type PipelineOptionsInput = z.output<typeof pipelineOptionsSchema>;

/** Owners and admins may always move deals, so only the other roles are offered. */
export const RESTRICTABLE_ROLES = ROLES.filter((r) => r !== "owner" && r !== "admin");

export const stageFieldsSchema = z
  .object({
    name,
    probability: z.coerce
      .number({ error: "Enter a percentage" })
      .int("Use a whole percentage")
      .min(0, "Between 0 and 100")
      .max(100, "Between 0 and 100"),
    outcome: z.enum(["open", "won", "lost"], { error: "Choose open, won or lost" }),
    restrictedRoles: z.array(z.enum(ROLES, { error: "Not a role" })).max(ROLES.length).default([]),
    restrictedTeamIds: z.array(z.uuid({ error: "Not a team" })).max(50, "At most 50 teams").default([]),
  });

export const stageCreateSchema = stageFieldsSchema.extend({ pipelineId: id });
export const stageUpdateSchema = stageFieldsSchema.extend({ id });

/**
 * A pipeline's settings form, saved at once: its name, its stages in their
 * new order (`id` absent for a new one) and the stages it deletes, each with
 * where its deals go. Rows are named by their place: `stages.2.name`.
 */
export const pipelineStagesSchema = z
  .object({
    pipelineId: id,
    name,
    stages: z
      .array(stageFieldsSchema.extend({ id: id.nullish() }))
      .min(1, "Keep at least one stage")
      .max(100, "At most 100 stages"),
    deleted: z.array(z.object({ id, moveToStageId: id.nullish() })).max(100).default([]),
  })
  .superRefine((v, ctx) => {
    const seen = new Map<string, number>();
    v.stages.forEach((s, i) => {
      const key = s.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["stages", i, "name"], message: `Another stage is already called “${s.name}”` });
      else seen.set(key, i);
    });
  });

/** A bad row of the form in words that name it: "Stage 3 (Demo): Enter a name". */
export function stageRowMessage(issues: readonly { path: readonly PropertyKey[]; message: string }[], stages: readonly { name?: unknown }[] | undefined) {
  const issue = issues.find((i) => i.path[0] === "stages" && typeof i.path[1] === "number") ?? issues[0];
  if (!issue) return undefined;
  if (issue.path[0] !== "stages" || typeof issue.path[1] !== "number") return issue.message;
  const row = issue.path[1];
  const stageName = typeof stages?.[row]?.name === "string" ? String(stages[row].name).trim() : "";
  return `Stage ${row + 1}${stageName ? ` (${stageName})` : ""}: ${issue.message}`;
}

/**
 * The probability a new open stage starts with, inserted before `index` of
 * `stages`: halfway between the open stage before it (0% without one) and
 * the won stage (100% without one), to the nearest 5%.
 */
export function newStageProbability(stages: readonly { probability: number; isWon: boolean; isLost: boolean }[], index: number) {
  const before = stages.slice(0, index).filter((s) => !s.isWon && !s.isLost).at(-1)?.probability ?? 0;
  const won = stages.find((s) => s.isWon)?.probability ?? 100;
  return Math.min(100, Math.round((before + Math.max(before, won)) / 10) * 5);
}

/** Where a new open stage goes: before the first won or lost stage, so closed outcomes stay last. */
export function newStageIndex(stages: readonly { isWon: boolean; isLost: boolean }[]) {
  const closed = stages.findIndex((s) => s.isWon || s.isLost);
  return closed < 0 ? stages.length : closed;
}

export type StageFieldsInput = z.input<typeof stageFieldsSchema>;
export type PipelineStagesInput = z.output<typeof pipelineStagesSchema>;
export type StageCreateInput = z.output<typeof stageCreateSchema>;
export type StageUpdateInput = z.output<typeof stageUpdateSchema>;
