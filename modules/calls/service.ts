// Logging a call made outside Covey, from a person's or lead's page: the
// call row, its timeline item and `call.logged` are one transaction (the
// row's triggers), under the member's RLS, written as the member.
import type { Tx } from "@/lib/db";
import { sql } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { notFound, parseInput } from "@/lib/errors";
import { logCallSchema, OUTCOME_STATUS } from "./schema";

export interface LoggedCall {
  id: string;
  status: string;
}

export async function logCall(tx: Tx, userId: string, orgId: string, input: unknown): Promise<LoggedCall> {
  const v = parseInput(logCallSchema, input);
  // The number it was with, when the record has one Covey can store (E.164).
  const { rows: found } = await sql<{ phone: string | null }>`
    select case when phone ~ '^[+][1-9][0-9]{6,14}$' then phone end as phone from people where ${v.record.type} = 'person' and id = ${v.record.id}
    union all
    select case when phone ~ '^[+][1-9][0-9]{6,14}$' then phone end from leads where ${v.record.type} = 'lead' and id = ${v.record.id}`.execute(tx);
  if (!found[0]) throw notFound(`That ${v.record.type} no longer exists or is not in your organization.`);
  const status = OUTCOME_STATUS[v.outcome];
  try {
    const { rows } = await sql<{ id: string; status: string }>`
      insert into calls (org_id, direction, source, contact_number, status, outcome, notes, duration_seconds, user_id,
                         person_id, lead_id, started_at)
      values (${orgId}, ${v.direction}, 'manual', ${found[0].phone}, ${status}, ${v.outcome}, ${v.notes}, ${v.minutes}, ${userId},
              ${v.record.type === "person" ? v.record.id : null}, ${v.record.type === "lead" ? v.record.id : null},
              coalesce(${v.at}::timestamptz, now()))
      returning id, status`.execute(tx);
    return rows[0];
  } catch (e) {
    throwRefusal(e);
  }
}
