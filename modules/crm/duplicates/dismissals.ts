// "Not a duplicate": hide a reviewed pair from duplicate detection for the
// whole org, and undo that. The same roles that may merge may decide a pair is
// not one (the duplicate_dismissals policies check it again). Free of
// React/Next so actions and tests share it.

import { z } from "zod";
import { type Database, sql } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { forbidden, notFound, parseInput } from "@/lib/errors";
import type { SessionActor } from "@/lib/auth/actor";
import { canMerge } from "./merge";

export const dismissalSchema = z
  .object({ type: z.enum(["person", "company"]), a: z.uuid(), b: z.uuid() })
  .refine((v) => v.a !== v.b, { message: "Choose two different records.", path: ["b"] });

export type DismissalInput = z.input<typeof dismissalSchema>;

const DISMISS_FORBIDDEN = "Only managers, admins and owners can mark records as not duplicates.";
const pairGone = () => notFound("One of these records no longer exists. Reload the page.");

const columns = (type: "person" | "company") =>
  type === "person" ? { a: sql.ref("person_a_id"), b: sql.ref("person_b_id") } : { a: sql.ref("company_a_id"), b: sql.ref("company_b_id") };

/** Marks two people or two companies as different records; dismissing a pair twice is a no-op. */
export async function dismissDuplicate(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  if (!canMerge(actor.role)) throw forbidden(DISMISS_FORBIDDEN);
  const { type, a, b } = parseInput(dismissalSchema, input);
  const col = columns(type);
  const table = type === "person" ? sql`public.people` : sql`public.companies`;
  try {
    await db.asUser(actor.claims, async (tx) => {
      // Read first: under RLS another org's id is simply not there, which
      // reads better than the foreign key's error.
      const found = await sql<{ n: number }>`select count(*)::int as n from ${table} where id in (${a}::uuid, ${b}::uuid)`.execute(tx);
      if (found.rows[0].n < 2) throw pairGone();
      await sql`insert into public.duplicate_dismissals (org_id, ${col.a}, ${col.b})
                values (${actor.orgId}::uuid, least(${a}::uuid, ${b}::uuid), greatest(${a}::uuid, ${b}::uuid))
                on conflict do nothing`.execute(tx);
    });
  } catch (e) {
    const err = pgError(e);
    if (err?.code === "42501") throw forbidden(DISMISS_FORBIDDEN);
    if (err?.code === "23503") throw pairGone();
    throw e;
  }
}

/** Brings a dismissed pair back into duplicate detection. */
export async function restoreDuplicate(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  if (!canMerge(actor.role)) throw forbidden("Only managers, admins and owners can change duplicate decisions.");
  const { type, a, b } = parseInput(dismissalSchema, input);
  const col = columns(type);
  await db.asUser(actor.claims, (tx) =>
    sql`delete from public.duplicate_dismissals
        where ${col.a} = least(${a}::uuid, ${b}::uuid) and ${col.b} = greatest(${a}::uuid, ${b}::uuid)`.execute(tx),
  );
}
