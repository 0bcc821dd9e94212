// Whose phone number it is, for a text or call from it to one of the org's
// numbers: the org's person with that phone (their main phone first, then
// additional ones), else the open lead with it. Neither is a stranger: the
// caller makes a lead (upsertExternalLead), keyed by the number.
//
// Web-standard: the jobs Edge Function runs it, as service_role, so every
// query is scoped by the org.
import type { SqlClient } from "./ingest.ts";

export async function findRecordByPhone(sql: SqlClient, orgId: string, number: string): Promise<{ personId: string | null; leadId: string | null }> {
  const [row] = await sql.unsafe(
    `select
       (select p.id from public.people p
        where p.org_id = $1 and p.archived_at is null and (p.phone = $2 or $2 = any (p.additional_phones))
        order by (p.phone = $2) desc, p.updated_at desc limit 1) as person_id,
       (select l.id from public.leads l
        where l.org_id = $1 and l.phone = $2 and l.archived_at is null and l.converted_at is null
        order by l.created_at desc limit 1) as lead_id`,
    [orgId, number],
  );
  return { personId: row?.person_id ?? null, leadId: row?.person_id ? null : (row?.lead_id ?? null) };
}
