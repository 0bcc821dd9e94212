// Sending a text from a record, for the compose drawer and the REST API:
// the message row (queued), its timeline item, `sms.sent` and the send job
// are one transaction (the row's triggers), under the member's RLS. A
// contact who texted STOP to the number is refused here with words the
// sender can act on, and by the database on any other path.
import type { Tx } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { DomainError, fieldError, notFound, parseInput } from "@/lib/errors";
import { sql } from "@/lib/db";
import { fillForSend, recordValues } from "@/modules/templates";
import { countSegments } from "@/modules/twilio/ui";
import { type SendSms, SMS_MAX_LENGTH, sendSmsSchema } from "./schema";

export interface QueuedSms {
  id: string;
  from: string;
  to: string;
  status: string;
}

/** The phone number a record is texted at: the person's (a deal's person's) or the lead's. */
async function contactOf(tx: Tx, record: { type: "person" | "lead" | "deal"; id: string }) {
  const { rows } = await sql<{ phone: string | null; person_id: string | null; name: string | null }>`
    select r.phone, r.person_id, r.name from (
      select p.phone, p.id as person_id, concat_ws(' ', p.first_name, p.last_name) as name
        from people p where ${record.type} = 'person' and p.id = ${record.id}
      union all
      select l.phone, null, concat_ws(' ', l.first_name, l.last_name) from leads l where ${record.type} = 'lead' and l.id = ${record.id}
      union all
      select p.phone, p.id, concat_ws(' ', p.first_name, p.last_name)
        from deals d left join people p on p.id = d.person_id where ${record.type} = 'deal' and d.id = ${record.id}
    ) r`.execute(tx);
  return rows[0];
}

/** The number to send from: the one asked for, else the one this contact last talked to, else the org's first texting number. */
async function fromNumber(tx: Tx, contact: string, asked: string | undefined): Promise<{ id: string; number: string }> {
  const { rows } = await sql<{ id: string; number: string; asked: boolean }>`
    select p.id, p.number, p.number = ${asked ?? null} as asked from phones p
    where p.sms_enabled and (${asked ?? null}::text is null or p.number = ${asked ?? null})
    order by (select max(m.created_at) from sms_messages m where m.org_number = p.number and m.contact_number = ${contact}) desc nulls last,
             p.created_at
    limit 1`.execute(tx);
  if (rows[0]) return rows[0];
  if (asked) throw fieldError("from", `${asked} is not one of this workspace's texting numbers`);
  throw new DomainError("not_configured", "This workspace has no texting number yet: an admin adds one in Settings → Numbers.");
}

/** The text with its {{variables}} filled from the record, refused on `body` when one cannot be. */
async function filled(tx: Tx, userId: string, record: SendSms["record"], text: string): Promise<string> {
  if (!text.includes("{{") && !text.includes("}}")) return text;
  const body = fillForSend(text, await recordValues(tx, record, userId), { field: "body", label: "The message", record: record.type });
  if (body.length > SMS_MAX_LENGTH) throw fieldError("body", `Filled in, the text is ${body.length} characters; a text holds at most ${SMS_MAX_LENGTH}`);
  return body;
}

export async function queueSms(tx: Tx, userId: string, orgId: string, input: unknown): Promise<QueuedSms> {
  const v = parseInput(sendSmsSchema, input);
  const contact = await contactOf(tx, v.record);
  if (!contact) throw notFound(`That ${v.record.type} no longer exists or is not in your organization.`);
  if (!contact.phone) {
    throw fieldError("to", v.record.type === "deal" && !contact.person_id ? "This deal has no person to text" : `${contact.name?.trim() || "This record"} has no phone number to text`);
  }
  const from = await fromNumber(tx, contact.phone, v.from);
  const body = await filled(tx, userId, v.record, v.body);
  const { rows: optedOut } = await sql<{ keyword: string }>`
    select keyword from sms_opt_outs where org_number = ${from.number} and contact_number = ${contact.phone} and opted_out`.execute(tx);
  if (optedOut[0]) {
    throw fieldError(
      "to",
      `${contact.name?.trim() || contact.phone} replied ${optedOut[0].keyword} to ${from.number} and has opted out of texts from it. They can text START to opt back in.`,
    );
  }
  try {
    const { rows } = await sql<{ id: string; status: string }>`
      insert into sms_messages (org_id, direction, phone_id, org_number, contact_number, body, status, segments,
                                person_id, lead_id, deal_id, author_id)
      values (${orgId}, 'outbound', ${from.id}, ${from.number}, ${contact.phone}, ${body}, 'queued', ${countSegments(body).segments},
              ${v.record.type === "person" ? v.record.id : null}, ${v.record.type === "lead" ? v.record.id : null},
              ${v.record.type === "deal" ? v.record.id : null}, ${userId})
      returning id, status`.execute(tx);
    return { id: rows[0].id, from: from.number, to: contact.phone, status: rows[0].status };
  } catch (e) {
    throwRefusal(e, { hintIsField: true });
  }
}
