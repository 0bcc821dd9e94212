"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import { suggestTags } from "./tags";

/** The org's tags holding `q`, for the tag filter's suggestions (`input`: `{ objectType, q }`). */
export async function suggestTagsAction(input: unknown): Promise<ActionResult<string[]>> {
  return runAction("records.work", "Finding tags failed.", (tx) => suggestTags(tx, input));
}
