// Match writes: propose, advance one step, decline with a reason. Plain
// functions over a caller's transaction (server actions, the REST API and
// tests share them). The database has the last word (private.match_guard):
// who may, the flow's order, one open match per pair, a deal matched once,
// and the moves to the matched stages; its refusals become DomainErrors here.
import type { Tx } from "@/lib/db";
import { isUniqueViolation, pgError, pgHint, throwRefusal } from "@/lib/db/errors";
import { conflict, DomainError, forbidden, invalidFields, notFound, parseInput } from "@/lib/errors";
import { advanceMatchSchema, declineMatchSchema, type MatchStatus, nextStatus, proposeMatchSchema } from "./schema";

const gone = () => notFound("That match no longer exists.");

const HINT_FIELDS: Record<string, string> = {
  left_deal_id: "dealId",
  right_deal_id: "counterpartId",
  reason: "reason",
  status: "status",
};

function refused(e: unknown): never {
  const err = pgError(e);
  const hint = pgHint(e);
  if (hint === "already_matched" || hint === "duplicate_match") throw conflict(err!.message!);
  // Two proposals of one pair racing past the guard meet the unique index.
  if (isUniqueViolation(e)) throw conflict("That match is already open.");
  if (err?.code === "23503") throw invalidFields({ [HINT_FIELDS[hint ?? ""] ?? "dealId"]: "That deal was not found" }, "That deal was not found.");
  if (hint === "may_match" || hint === "stage_restricted") throw forbidden(err!.message);
  const field = hint ? HINT_FIELDS[hint] : undefined;
  if (field && err?.message) throw new DomainError("validation_failed", err.message, { details: { [field]: [err.message] } });
  throwRefusal(e);
}

/** Proposes a match of `dealId` with `counterpartId`, in either order: the pairing says which side each is. */
export async function proposeMatch(tx: Tx, orgId: string, input: unknown): Promise<{ id: string }> {
  const v = parseInput(proposeMatchSchema, input);
  if (v.dealId === v.counterpartId) throw invalidFields({ counterpartId: "Choose another deal" }, "A deal cannot be matched with itself.");
  const seen = await tx.selectFrom("deals").select("id").where("id", "in", [v.dealId, v.counterpartId]).execute();
  if (!seen.some((d) => d.id === v.dealId)) throw invalidFields({ dealId: "That deal was not found" }, "That deal was not found.");
  if (!seen.some((d) => d.id === v.counterpartId)) throw invalidFields({ counterpartId: "That deal was not found" }, "That deal was not found.");
  try {
    return await tx
      .insertInto("matches")
      // The pairing (setting_id) is the database's to find from the deals' pipelines.
      .values({ org_id: orgId, left_deal_id: v.dealId, right_deal_id: v.counterpartId } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
  } catch (e) {
    refused(e);
  }
}

async function current(tx: Tx, id: string): Promise<MatchStatus> {
  const row = await tx.selectFrom("matches").select("status").where("id", "=", id).executeTakeFirst();
  if (!row) throw gone();
  return row.status as MatchStatus;
}

/** Moves a match one step on; the last step, matched, moves both deals to their matched stages. */
export async function advanceMatch(tx: Tx, input: unknown): Promise<{ status: MatchStatus }> {
  const v = parseInput(advanceMatchSchema, input);
  const status = await current(tx, v.id);
  if (v.from && v.from !== status) throw conflict("This match has moved on since you loaded it. Reload to see where it is.");
  const next = nextStatus(status);
  if (!next) throw conflict(`This match is already ${status}.`);
  try {
    await tx.updateTable("matches").set({ status: next }).where("id", "=", v.id).execute();
  } catch (e) {
    refused(e);
  }
  return { status: next };
}

/** Declines an open match, saying which side declined and why. */
export async function declineMatch(tx: Tx, input: unknown): Promise<void> {
  const v = parseInput(declineMatchSchema, input);
  const status = await current(tx, v.id);
  if (status === "matched" || status === "declined") throw conflict(`This match is already ${status}.`);
  try {
    await tx.updateTable("matches").set({ status: "declined", declined_by: v.side, decline_reason: v.reason }).where("id", "=", v.id).execute();
  } catch (e) {
    refused(e);
  }
}
