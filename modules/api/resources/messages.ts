// REST for text messages: list, get and send. Sending goes through
// modules/sms's queueSms, the function the compose drawer calls, so the API
// writes the same timeline item, `sms.sent` event and send job, and is
// refused the same way for a contact who opted out.
import { z } from "zod";
import { zString } from "@/lib/validation";
import { recordNotFound } from "@/lib/api/errors";
import { sql } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { getMessage, queueSms, type SmsMessageRow } from "@/modules/sms";
import { timestamp } from "./crm-input";
import { idParams } from "./records";

const E164 = /^\+[1-9][0-9]{6,14}$/;

export const messageResponse = z.object({
  object: z.literal("message"),
  id: z.uuid(),
  direction: z.enum(["inbound", "outbound"]),
  from: z.string().describe("E.164: the contact's number for inbound texts, the organization's for outbound"),
  to: z.string().describe("E.164"),
  body: z.string(),
  media_urls: z.array(z.string()).describe("MMS media, as Twilio hosts them"),
  status: z.enum(["queued", "sending", "sent", "delivered", "undelivered", "failed", "received"]),
  error_code: z.number().int().nullable().describe("Twilio's error code for an undelivered or failed text"),
  error_message: z.string().nullable(),
  provider_sid: z.string().nullable().describe("Twilio's MessageSid, once Twilio has the message"),
  segments: z.number().int().nullable(),
  person_id: z.uuid().nullable(),
  lead_id: z.uuid().nullable(),
  deal_id: z.uuid().nullable(),
  author_id: z.uuid().nullable().describe("The member who sent an outbound text"),
  read_at: timestamp().nullable().describe("When someone on the team opened an inbound text"),
  created_at: timestamp(),
  sent_at: timestamp().nullable(),
  delivered_at: timestamp().nullable(),
});

function represent(m: SmsMessageRow): z.infer<typeof messageResponse> {
  const inbound = m.direction === "inbound";
  return {
    object: "message",
    id: m.id,
    direction: m.direction,
    from: inbound ? m.contactNumber : m.orgNumber,
    to: inbound ? m.orgNumber : m.contactNumber,
    body: m.body,
    media_urls: m.mediaUrls,
    status: m.status as z.infer<typeof messageResponse>["status"],
    error_code: m.errorCode,
    error_message: m.errorMessage,
    provider_sid: m.providerSid,
    segments: m.segments,
    person_id: m.personId,
    lead_id: m.leadId,
    deal_id: m.dealId,
    author_id: m.authorId,
    read_at: m.readAt,
    created_at: m.createdAt,
    sent_at: m.sentAt,
    delivered_at: m.deliveredAt,
  };
}

// The cursor keeps created_at to the microsecond, as Postgres holds it: cut to
// JavaScript's milliseconds, texts from the same millisecond fell between pages.
const cursorOf = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id]), "utf8").toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === "string" && z.uuid().safeParse(v[1]).success) {
      return [v[0], v[1]];
    }
  } catch {
    // answered below
  }
  throw new DomainError("invalid_cursor", "The page link is invalid or out of date.", { details: { cursor: ["Pass `next_cursor` from the previous page unchanged"] } });
}

const list = defineOperation({
  id: "listMessages",
  method: "get",
  path: "/messages",
  tag: "Messages",
  summary: "List text messages",
  description: "Newest first. Filter by the contact's number (`contact`), a record (`person_id`, `lead_id`, `deal_id`) or `direction`.",
  scope: "messages:read",
  query: z
    .object({
      contact: z.string().regex(E164, "A phone number in E.164, e.g. +14155550100").optional(),
      person_id: z.uuid().optional(),
      lead_id: z.uuid().optional(),
      deal_id: z.uuid().optional(),
      direction: z.enum(["inbound", "outbound"]).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional(),
    })
    .strict(),
  response: z.object({ data: z.array(messageResponse), next_cursor: z.string().nullable() }),
  async handle({ tx, query }) {
    const before = query.cursor ? decodeCursor(query.cursor) : null;
    const { rows } = await sql<{ id: string; created_at: string }>`
      select m.id, to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from sms_messages m
      where (${query.contact ?? null}::text is null or m.contact_number = ${query.contact ?? null})
        and (${query.person_id ?? null}::uuid is null or m.person_id = ${query.person_id ?? null})
        and (${query.lead_id ?? null}::uuid is null or m.lead_id = ${query.lead_id ?? null})
        and (${query.deal_id ?? null}::uuid is null or m.deal_id = ${query.deal_id ?? null})
        and (${query.direction ?? null}::text is null or m.direction = ${query.direction ?? null})
        and (${before?.[0] ?? null}::text is null or (m.created_at, m.id) < (${before?.[0] ?? null}::text::timestamptz, ${before?.[1] ?? null}::uuid))
      order by m.created_at desc, m.id desc
      limit ${query.limit + 1}`.execute(tx);
    const ids = rows.slice(0, query.limit);
    const page = [];
    for (const r of ids) page.push((await getMessage(tx, r.id))!);
    const last = ids[ids.length - 1];
    return { data: page.map(represent), next_cursor: rows.length > query.limit && last ? cursorOf(last.created_at, last.id) : null };
  },
});

const get = defineOperation({
  id: "getMessage",
  method: "get",
  path: "/messages/{id}",
  tag: "Messages",
  summary: "Get a text message",
  scope: "messages:read",
  params: idParams,
  response: messageResponse,
  async handle({ tx, params }) {
    const m = await getMessage(tx, params.id);
    if (!m) throw recordNotFound("Message");
    return represent(m);
  },
});

const send = defineOperation({
  id: "sendMessage",
  method: "post",
  path: "/messages",
  tag: "Messages",
  summary: "Send a text message",
  description:
    "Texts a person, a lead or a deal's person at their phone number, as the key's member. The message is `queued` at once, with its timeline item and an `sms.sent` event; Twilio's status callbacks then move it to `sent` and `delivered` (or `undelivered`/`failed` with `error_code`). `from` is one of the organization's texting numbers (default: the one the contact last used, else the first). A contact who replied STOP to that number is refused with a 422 on `to`. Send an `Idempotency-Key` to retry safely.",
  scope: "messages:write",
  body: z.object({
    person_id: z.uuid().optional(),
    lead_id: z.uuid().optional(),
    deal_id: z.uuid().optional(),
    body: zString("The message").describe("At most 1,600 characters"),
    from: z.string().optional().describe("E.164, one of the organization's texting numbers"),
  }),
  response: messageResponse,
  status: 201,
  idempotent: true,
  async handle({ tx, actor, body }) {
    const ids = [["person", body.person_id], ["lead", body.lead_id], ["deal", body.deal_id]].filter(([, id]) => id) as [string, string][];
    if (ids.length !== 1) {
      throw new DomainError("validation_failed", "Send exactly one of person_id, lead_id or deal_id.", { details: { person_id: ["Send exactly one of person_id, lead_id or deal_id"] } });
    }
    const queued = await queueSms(tx, actor.userId, actor.orgId, { record: { type: ids[0][0], id: ids[0][1] }, body: body.body, from: body.from });
    return represent((await getMessage(tx, queued.id))!);
  },
});

export { get as getMessageOperation, list as listMessagesOperation, send as sendMessageOperation };
export const messageOperations: Operation[] = [list, get, send];
