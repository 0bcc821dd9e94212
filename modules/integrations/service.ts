// Owners and admins act on alerts through the database's functions, which
// check the role and the org themselves (and RLS holds them again).

import { sql, type Tx } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { notFound, parseInput } from "@/lib/errors";
import { alertActionSchema, snoozeSchema } from "./schema";

const refused = (e: unknown) => throwRefusal(e, { notFound: () => notFound("That alert no longer exists."), hintIsField: true });

export async function acknowledgeAlert(tx: Tx, input: unknown) {
  const { id } = parseInput(alertActionSchema, input);
  await sql`select public.acknowledge_integration_alert(${id})`.execute(tx).catch(refused);
  return { id };
}

/** Hides the alert until `hours` from now; answers when it shows again. */
export async function snoozeAlert(tx: Tx, input: unknown) {
  const { id, hours } = parseInput(snoozeSchema, input);
  const { rows } = await sql<{ until: Date }>`select public.snooze_integration_alert(${id}, ${hours}) as until`
    .execute(tx)
    .catch(refused);
  return { id, until: rows[0].until.toISOString() };
}

export async function resolveAlert(tx: Tx, input: unknown) {
  const { id } = parseInput(alertActionSchema, input);
  await sql`select public.resolve_integration_alert(${id})`.execute(tx).catch(refused);
  return { id };
}
