"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, fail, failureOf, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { can } from "@/lib/auth/permissions";
import { asMember, getSession, type Session } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import {
  pipelineCreateSchema,
  pipelineIdSchema,
  pipelineNounsSchema,
  pipelineOptionsSchema,
  pipelineReorderSchema,
  pipelineStagesSchema,
  stageRowMessage,
} from "./schema";
import * as service from "./service";

/**
 * Authorize (settings.manage), parse, run in one transaction that rolls back
 * on refusal, revalidate. `refusal` words what the schema refused, when the
 * whole form's message should say more than "correct the highlighted fields".
 */
async function settingsAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  what: string,
  fn: (tx: Tx, data: z.output<S>, session: Session) => Promise<T>,
  refusal?: (issues: z.core.$ZodIssue[]) => string | undefined,
): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  if (!can(session.role, "settings.manage")) return fail("Only owners and admins can change pipelines.");
  const parsed = schema.safeParse(input);
  if (!parsed.success) return failureOf(invalidInput(parsed.error.issues, refusal?.(parsed.error.issues)));
  try {
    const data = await asMember(session, (tx) => fn(tx, parsed.data, session));
    revalidatePath("/settings/pipelines");
    revalidatePath("/deals");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `${what} failed. Try again.`);
  }
}

export const createPipelineAction = async (input: unknown) =>
  settingsAction(pipelineCreateSchema, input, "Adding the pipeline", (tx, d, s) => service.createPipeline(tx, s.org.id, d.name));

export const reorderPipelinesAction = async (input: unknown) =>
  settingsAction(pipelineReorderSchema, input, "Reordering", (tx, d) => service.reorderPipelines(tx, d.ids));

export const archivePipelineAction = async (input: unknown) =>
  settingsAction(pipelineIdSchema, input, "Archiving the pipeline", (tx, d) => service.archivePipeline(tx, d.id, true));

export const restorePipelineAction = async (input: unknown) =>
  settingsAction(pipelineIdSchema, input, "Restoring the pipeline", (tx, d) => service.archivePipeline(tx, d.id, false));

export const deletePipelineAction = async (input: unknown) =>
  settingsAction(pipelineIdSchema, input, "Deleting the pipeline", (tx, d) => service.deletePipeline(tx, d.id));

export const setPipelineOptionsAction = async (input: unknown) =>
  settingsAction(pipelineOptionsSchema, input, "Saving the pipeline's options", (tx, d) => service.setPipelineOptions(tx, d));

export const savePipelineStagesAction = async (input: unknown) =>
  settingsAction(
    pipelineStagesSchema,
    input,
    "Saving the pipeline",
    (tx, d, s) => service.savePipelineStages(tx, s.org.id, d),
    (issues) => stageRowMessage(issues, (input as { stages?: { name?: unknown }[] } | null)?.stages),
  );

export const savePipelineNounsAction = async (input: unknown) =>
  settingsAction(pipelineNounsSchema, input, "Saving what its deals are called", (tx, d) =>
    service.setPipelineNouns(tx, d.pipelineId, d),
  );
