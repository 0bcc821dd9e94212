// What the compose drawer, the inbox and the REST API read of text
// messages, under RLS. A conversation is everything between the org and one
// contact number, whichever of the org's numbers it went through.
import { sql, type Tx } from "@/lib/db";

export interface SmsMessageRow {
  id: string;
  direction: "inbound" | "outbound";
  orgNumber: string;
  contactNumber: string;
  body: string;
  mediaUrls: string[];
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  providerSid: string | null;
  segments: number | null;
  personId: string | null;
  leadId: string | null;
  dealId: string | null;
  authorId: string | null;
  authorName: string | null;
  readAt: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

interface Row {
  id: string;
  direction: string;
  org_number: string;
  contact_number: string;
  body: string;
  media_urls: string[];
  status: string;
  error_code: number | null;
  error_message: string | null;
  provider_sid: string | null;
  segments: number | null;
  person_id: string | null;
  lead_id: string | null;
  deal_id: string | null;
  author_id: string | null;
  author_name: string | null;
  read_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function messageOf(r: Row): SmsMessageRow {
  return {
    id: r.id,
    direction: r.direction as SmsMessageRow["direction"],
    orgNumber: r.org_number,
    contactNumber: r.contact_number,
    body: r.body,
    mediaUrls: r.media_urls,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    providerSid: r.provider_sid,
    segments: r.segments,
    personId: r.person_id,
    leadId: r.lead_id,
    dealId: r.deal_id,
    authorId: r.author_id,
    authorName: r.author_name,
    readAt: iso(r.read_at),
    createdAt: iso(r.created_at)!,
    sentAt: iso(r.sent_at),
    deliveredAt: iso(r.delivered_at),
  };
}

const COLUMNS = sql`m.id, m.direction, m.org_number, m.contact_number, m.body, m.media_urls, m.status, m.error_code, m.error_message,
  m.provider_sid, m.segments, m.person_id, m.lead_id, m.deal_id, m.author_id,
  coalesce(nullif(a.full_name, ''), a.email) as author_name, m.read_at, m.created_at, m.sent_at, m.delivered_at`;

export interface SmsRecordContact {
  name: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
}

/** Who a person, lead or deal is texted as: name and number (a deal's person's). */
export async function smsContactOf(tx: Tx, record: { type: "person" | "lead" | "deal"; id: string }): Promise<SmsRecordContact | null> {
  const { rows } = await sql<{ first_name: string | null; last_name: string | null; phone: string | null }>`
    select p.first_name, p.last_name, p.phone from people p where ${record.type} = 'person' and p.id = ${record.id}
    union all
    select l.first_name, l.last_name, l.phone from leads l where ${record.type} = 'lead' and l.id = ${record.id}
    union all
    select p.first_name, p.last_name, p.phone from deals d left join people p on p.id = d.person_id
    where ${record.type} = 'deal' and d.id = ${record.id}`.execute(tx);
  const r = rows[0];
  if (!r) return null;
  const name = [r.first_name, r.last_name].filter(Boolean).join(" ");
  return { name: name || r.phone || "", firstName: r.first_name, lastName: r.last_name, phone: r.phone };
}

/** A conversation with one number, oldest first (the latest `limit`). */
export async function listThread(tx: Tx, contactNumber: string, limit = 200): Promise<SmsMessageRow[]> {
  const { rows } = await sql<Row>`
    select * from (
      select ${COLUMNS} from sms_messages m left join profiles a on a.user_id = m.author_id
      where m.contact_number = ${contactNumber}
      order by m.created_at desc, m.id desc limit ${limit}
    ) t order by t.created_at, t.id`.execute(tx);
  return rows.map(messageOf);
}

export async function getMessage(tx: Tx, id: string): Promise<SmsMessageRow | null> {
  const { rows } = await sql<Row>`
    select ${COLUMNS} from sms_messages m left join profiles a on a.user_id = m.author_id where m.id = ${id}`.execute(tx);
  return rows[0] ? messageOf(rows[0]) : null;
}

/** Marks a conversation's inbound messages read for the team. */
export async function markThreadRead(tx: Tx, contactNumber: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with done as (update sms_messages set read_at = now()
                  where contact_number = ${contactNumber} and direction = 'inbound' and read_at is null returning 1)
    select count(*)::int as n from done`.execute(tx);
  return rows[0]?.n ?? 0;
}

export interface Conversation {
  contactNumber: string;
  name: string | null;
  record: { type: "person" | "lead" | "deal"; id: string } | null;
  lastBody: string;
  lastDirection: "inbound" | "outbound";
  lastStatus: string;
  lastAt: string;
  unread: number;
}

/** The latest conversations, newest first, each with its contact's record and its unread count. */
export async function listConversations(tx: Tx, limit = 50): Promise<Conversation[]> {
  const { rows } = await sql<{
    contact_number: string;
    body: string;
    media: number;
    direction: string;
    status: string;
    created_at: Date;
    person_id: string | null;
    lead_id: string | null;
    deal_id: string | null;
    name: string | null;
    unread: number;
  }>`
    with latest as (
      select distinct on (m.contact_number) m.contact_number, m.body, cardinality(m.media_urls) as media, m.direction, m.status,
             m.created_at, m.person_id, m.lead_id, m.deal_id
      from sms_messages m
      order by m.contact_number, m.created_at desc, m.id desc
    )
    select l.*,
           coalesce(nullif(btrim(concat_ws(' ', p.first_name, p.last_name)), ''), nullif(btrim(concat_ws(' ', ld.first_name, ld.last_name)), '')) as name,
           (select count(*)::int from sms_messages u
             where u.contact_number = l.contact_number and u.direction = 'inbound' and u.read_at is null) as unread
    from latest l
    left join people p on p.id = coalesce(l.person_id, (select d.person_id from deals d where d.id = l.deal_id))
    left join leads ld on ld.id = l.lead_id
    order by l.created_at desc
    limit ${limit}`.execute(tx);
  return rows.map((r) => ({
    contactNumber: r.contact_number,
    name: r.name,
    record: r.person_id ? { type: "person", id: r.person_id } : r.lead_id ? { type: "lead", id: r.lead_id } : r.deal_id ? { type: "deal", id: r.deal_id } : null,
    lastBody: r.body || (r.media ? "Picture message" : ""),
    lastDirection: r.direction as Conversation["lastDirection"],
    lastStatus: r.status,
    lastAt: new Date(r.created_at).toISOString(),
    unread: r.unread,
  }));
}

/** Conversations with unread texts, for the sidebar's badge. */
export async function unreadConversations(tx: Tx): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct contact_number)::int as n from sms_messages where direction = 'inbound' and read_at is null`.execute(tx);
  return rows[0]?.n ?? 0;
}
