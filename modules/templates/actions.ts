"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/actions";
import { parseInput } from "@/lib/errors";
import { TEMPLATE_CHANNELS } from "./schema";
import { archiveTemplate, createTemplate, fillTemplate, listTemplates, previewRecords, previewTemplate, updateTemplate } from "./service";

const idSchema = z.uuid("Not a valid template");

export async function createTemplateAction(input: unknown) {
  const result = await runAction("records.work", "Could not save the template. Try again.", (tx, actor) => createTemplate(tx, actor.userId, actor.orgId, input));
  if (result.ok) revalidatePath("/settings/templates");
  return result;
}

export async function updateTemplateAction(id: string, input: unknown) {
  const result = await runAction("records.work", "Could not save the template. Try again.", (tx) => updateTemplate(tx, parseInput(idSchema, id), input));
  if (result.ok) revalidatePath("/settings/templates");
  return result;
}

export async function archiveTemplateAction(id: string, archived: boolean) {
  const result = await runAction("records.work", "Could not change the template. Try again.", (tx) => archiveTemplate(tx, parseInput(idSchema, id), archived === true));
  if (result.ok) revalidatePath("/settings/templates");
  return result;
}

/** The live templates of a channel, for a compose drawer's picker. */
export async function listTemplatesAction(channel: unknown) {
  return runAction("records.work", "Could not load the templates. Try again.", (tx) =>
    listTemplates(tx, { channel: parseInput(z.enum(TEMPLATE_CHANNELS), channel) }),
  );
}

/** A template filled with the compose drawer's record, to edit before sending. */
export async function fillTemplateAction(input: unknown) {
  return runAction("records.work", "Could not use the template. Try again.", (tx, actor) => fillTemplate(tx, actor.userId, input));
}

/** The template being edited as the picked record would receive it. */
export async function previewTemplateAction(input: unknown) {
  return runAction("records.work", "Could not preview the template. Try again.", (tx, actor) => previewTemplate(tx, actor.userId, input));
}

export async function searchPreviewRecordsAction(term: unknown) {
  return runAction("records.work", "Could not search. Try again.", (tx) => previewRecords(tx, typeof term === "string" ? term.slice(0, 200) : ""));
}
