import type { Tx } from "@/lib/db";

/** The org's members as a list offers them (owner column, filters, assign, inline edit), by name. */
export async function listMemberOptions(tx: Tx): Promise<{ id: string; name: string }[]> {
  const rows = await tx
    .selectFrom("org_members as m")
    .innerJoin("profiles as p", "p.user_id", "m.user_id")
    .select(["m.user_id", "p.full_name", "p.email"])
    .orderBy("p.full_name")
    .orderBy("p.email")
    .execute();
  return rows.map((m) => ({ id: m.user_id, name: m.full_name || m.email }));
}
