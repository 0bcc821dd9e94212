"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import * as service from "./service";

// Teams appear in Settings → Members, Pipelines and Numbers too.
function revalidate() {
  revalidatePath("/settings", "layout");
}

async function teamAction(fallback: string, fn: Parameters<typeof runAction<void>>[2]) {
  const result = await runAction("members.manage", fallback, fn);
  if (result.ok) revalidate();
  return result;
}

export async function createTeamAction(input: unknown) {
  const result = await runAction("members.manage", "Creating the team failed.", (tx, actor) => service.createTeam(tx, actor.orgId, input));
  if (result.ok) revalidate();
  return result;
}

export const updateTeamAction = async (input: unknown) => teamAction("Saving the team failed.", (tx) => service.updateTeam(tx, input));

export const archiveTeamAction = async (input: unknown) => teamAction("Archiving the team failed.", (tx) => service.archiveTeam(tx, input, true));

export const restoreTeamAction = async (input: unknown) => teamAction("Restoring the team failed.", (tx) => service.archiveTeam(tx, input, false));

export const addTeamMemberAction = async (input: unknown) =>
  teamAction("Adding the member failed.", (tx, actor) => service.addTeamMember(tx, actor.orgId, input));

export const removeTeamMemberAction = async (input: unknown) =>
  teamAction("Removing the member failed.", (tx) => service.removeTeamMember(tx, input));
