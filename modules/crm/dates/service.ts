// Writing important dates. Plain functions over the caller's transaction
// (server actions, the REST API and tests share them). The database has the
// last word on who may write (the deal's own update rules, guard_deal_date)
// and on what is stored; `refusal` turns its errors into DomainErrors.
import type { Actor } from "@/lib/auth/actor";
import type { Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { DomainError, notFound } from "@/lib/errors";
import type { DealDateInput } from "./schema";

const gone = () => notFound("That date no longer exists.");

function refusal(e: unknown): never {
  const err = pgError(e);
  if (!err) throw e;
  if (err.code === "42501") {
    throw new DomainError("forbidden", err.hint === "deal_locked" ? err.message : "You don't have permission to change this deal's dates.");
  }
  if (err.code === "23503" && err.constraint_name === "deal_dates_deal_id_org_id_fkey") throw notFound("That deal no longer exists.");
  throw e;
}

const values = (input: DealDateInput) => ({
  kind: input.kind,
  date: input.date,
  note: input.note,
  remind_days_before: input.remindDaysBefore,
});

/** Adds a date to a deal the member can see; refused (403) when they may not change the deal. */
export async function addDealDate(tx: Tx, actor: Pick<Actor, "orgId" | "userId">, dealId: string, input: DealDateInput): Promise<{ id: string }> {
  const deal = await tx.selectFrom("deals").select("id").where("id", "=", dealId).executeTakeFirst();
  if (!deal) throw notFound("That deal no longer exists.");
  try {
    const row = await tx
      .insertInto("deal_dates")
      .values({ org_id: actor.orgId, deal_id: dealId, created_by: actor.userId, ...values(input) })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  } catch (e) {
    refusal(e);
  }
}

/** Replaces a date's kind, day, note and reminder. */
export async function updateDealDate(tx: Tx, id: string, input: DealDateInput): Promise<{ dealId: string }> {
  try {
    const row = await tx.updateTable("deal_dates").set(values(input)).where("id", "=", id).returning("deal_id").executeTakeFirst();
    if (!row) throw gone();
    return { dealId: row.deal_id };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    refusal(e);
  }
}

export async function deleteDealDate(tx: Tx, id: string): Promise<{ dealId: string }> {
  try {
    const row = await tx.deleteFrom("deal_dates").where("id", "=", id).returning("deal_id").executeTakeFirst();
    if (!row) throw gone();
    return { dealId: row.deal_id };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    refusal(e);
  }
}
