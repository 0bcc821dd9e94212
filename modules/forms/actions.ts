"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import * as service from "./service";

export async function createWebForm(input: unknown) {
  const result = await runAction("settings.manage", "Could not create the form. Try again.", (tx, actor) => service.createForm(tx, actor, input));
  if (result.ok) revalidatePath("/settings/forms");
  return result;
}

export async function updateWebForm(input: unknown) {
  const result = await runAction("settings.manage", "Could not save the form. Try again.", (tx) => service.updateForm(tx, input));
  if (result.ok) revalidatePath("/settings/forms", "layout");
  return result;
}

export async function deleteWebForm(input: unknown) {
  const result = await runAction("settings.manage", "Could not delete the form. Try again.", (tx) => service.deleteForm(tx, input));
  if (result.ok) revalidatePath("/settings/forms");
  return result;
}
