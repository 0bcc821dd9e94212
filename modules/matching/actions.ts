"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import { parseInput } from "@/lib/errors";
import { matchSuggestions } from "./queries";
import { dealRefSchema } from "./schema";
import * as service from "./service";

// Both deals' pages show the match; the board and lists show their stages.
function revalidate() {
  revalidatePath("/deals", "layout");
}

export async function proposeMatchAction(input: unknown) {
  const result = await runAction("records.work", "Proposing the match failed.", (tx, actor) => service.proposeMatch(tx, actor.orgId, input));
  if (result.ok) revalidate();
  return result;
}

export async function advanceMatchAction(input: unknown) {
  const result = await runAction("records.work", "Moving the match on failed.", (tx) => service.advanceMatch(tx, input));
  if (result.ok) revalidate();
  return result;
}

export async function declineMatchAction(input: unknown) {
  const result = await runAction("records.work", "Declining the match failed.", (tx) => service.declineMatch(tx, input));
  if (result.ok) revalidate();
  return result;
}

/** The picker's list: the partner pipeline's candidates for the deal, best fit first, explained. */
export async function matchSuggestionsAction(input: unknown) {
  return runAction("records.work", "Loading suggestions failed.", async (tx) => {
    const { id } = parseInput(dealRefSchema, input);
    return (await matchSuggestions(tx, id)) ?? [];
  });
}
