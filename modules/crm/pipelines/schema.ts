import { z } from "zod";
import { zString } from "@/lib/validation";
import { ROLES } from "@/lib/auth/permissions";

const id = z.uuid({ error: "Not a valid id" });
const name = zString("Name").trim().min(1, "Enter a name").max(80, "At most 80 characters");

export const pipelineCreateSchema = z.object({ name });
export const pipelineRenameSchema = z.object({ id, name });
export const pipelineIdSchema = z.object({ id });
export const pipelineReorderSchema = z.object({ ids: z.array(id).min(1).max(100) });

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
  });

export const stageCreateSchema = stageFieldsSchema.extend({ pipelineId: id });
export const stageUpdateSchema = stageFieldsSchema.extend({ id });
export const stageReorderSchema = z.object({ pipelineId: id, ids: z.array(id).min(1).max(100) });
export const stageDeleteSchema = z.object({
  id,
  // Required when the stage still has deals; checked by the service.
  moveToStageId: id.nullish(),
});

export type StageFieldsInput = z.input<typeof stageFieldsSchema>;
export type StageCreateInput = z.output<typeof stageCreateSchema>;
export type StageUpdateInput = z.output<typeof stageUpdateSchema>;
