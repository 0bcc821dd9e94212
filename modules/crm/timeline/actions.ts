"use server";

import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { asMember, getSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { listTimeline, type TimelinePage } from "./queries";
import { timelinePageSchema } from "./schema";

/** An older page of a record's timeline, for "Load older". */
export async function loadTimeline(input: unknown): Promise<ActionResult<TimelinePage>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  const parsed = timelinePageSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const timeZone = await getTimeZone();
    return ok(await asMember(session, (tx) => listTimeline(tx, parsed.data.subject, { before: parsed.data.before, activity: parsed.data.activity, timeZone })));
  } catch (e) {
    return actionFailure(e, "Loading older activity failed.");
  }
}
