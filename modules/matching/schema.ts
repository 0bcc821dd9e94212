// Match input and the words for a match's statuses. Browser-safe: the
// propose and decline dialogs validate with the same schemas as the service.
import { z } from "zod";
import { zString } from "@/lib/validation";

export const MATCH_STATUSES = ["proposed", "left_review", "right_review", "meeting", "matched", "declined"] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];
export type MatchSide = "left" | "right";

/** The open statuses in order; each advances to the next, the last to matched. */
export const MATCH_FLOW: readonly MatchStatus[] = ["proposed", "left_review", "right_review", "meeting", "matched"];

export function nextStatus(status: MatchStatus): MatchStatus | null {
  const i = MATCH_FLOW.indexOf(status);
  return i >= 0 && i < MATCH_FLOW.length - 1 ? MATCH_FLOW[i + 1] : null;
}

export const isOpenStatus = (s: MatchStatus) => s !== "matched" && s !== "declined";

/** A status in the pairing's words: "Surrogate reviewing". */
export function statusLabel(status: MatchStatus, sides: { left: string; right: string }): string {
  switch (status) {
    case "proposed":
      return "Proposed";
    case "left_review":
      return `${sides.left} reviewing`;
    case "right_review":
      return `${sides.right} reviewing`;
    case "meeting":
      return "Match meeting";
    case "matched":
      return "Matched";
    case "declined":
      return "Declined";
  }
}

export const proposeMatchSchema = z.object({
  dealId: z.uuid({ error: "Choose the deal to match" }),
  counterpartId: z.uuid({ error: "Choose who to match with" }),
});

export const matchIdSchema = z.object({ id: z.uuid({ error: "Not a valid match" }) });

export const advanceMatchSchema = matchIdSchema.extend({
  // The status the member saw, so a double click does not skip a step.
  from: z.enum(MATCH_STATUSES).optional(),
});

export const declineMatchSchema = matchIdSchema.extend({
  side: z.enum(["left", "right"], { error: "Say which side declined" }),
  reason: zString("Reason", { error: "Say why the match is declined" })
    .trim()
    .min(1, "Say why the match is declined")
    .max(500, "At most 500 characters"),
});

export const dealRefSchema = z.object({ id: z.uuid({ error: "Not a valid deal" }) });
