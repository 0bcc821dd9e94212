// REST for email: the org's email log (every email sent from a member's
// Gmail or synced from it, and the system's own mail) and sending from the
// key's member's connected Gmail, exactly as the compose drawer does.
import { z } from "zod";
import { recordNotFound, validationFailed } from "@/lib/api/errors";
import { database, sql, type Tx } from "@/lib/db";
import { DomainError, detailsFromIssues, isDomainError } from "@/lib/errors";
import { defineOperation } from "@/modules/api/core/operation";
import { appGmailDeps, sendEmail } from "@/modules/gmail";
import { composeSchema } from "@/modules/gmail/ui";
import { timestamp } from "./crm-input";

const idParams = z.object({ id: z.uuid() });

export const emailRecord = z.object({
  object: z.literal("email"),
  id: z.uuid(),
  direction: z.enum(["outbound", "inbound"]),
  provider: z.enum(["gmail", "resend", "dev_mailbox"]).describe("gmail: a member's mailbox; resend (dev_mailbox locally): the system's own mail"),
  status: z.enum(["queued", "sent", "failed", "received"]),
  provider_message_id: z.string().nullable().describe("Gmail's message id"),
  provider_thread_id: z.string().nullable().describe("Gmail's thread id"),
  from: z.string(),
  from_name: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  body_html: z.string().nullable().describe("Sanitised HTML; null for system mail, whose bodies are not kept"),
  body_text: z.string().nullable(),
  error: z.string().nullable().describe("Why Gmail refused it, when status is failed"),
  tag: z.string().nullable().describe("The kind of system mail (invite, partner_offer, magiclink…); null for a member's"),
  user_id: z.uuid().nullable().describe("The member who sent it, or whose mailbox it came into"),
  person_id: z.uuid().nullable(),
  lead_id: z.uuid().nullable(),
  deal_id: z.uuid().nullable(),
  sent_at: timestamp().nullable(),
  received_at: timestamp().nullable(),
  created_at: timestamp(),
});

const emailList = z.object({ data: z.array(emailRecord), next_cursor: z.string().nullable() });

type Row = Awaited<ReturnType<typeof selectEmails>>[number];
const selectEmails = (tx: Tx) => tx.selectFrom("emails").selectAll().execute();

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function represent(r: Row) {
  return {
    object: "email" as const,
    id: r.id,
    direction: r.direction,
    provider: r.provider,
    status: r.status,
    provider_message_id: r.provider_message_id,
    provider_thread_id: r.provider_thread_id,
    from: r.from_address,
    from_name: r.from_name,
    to: r.to_addresses,
    cc: r.cc_addresses,
    bcc: r.bcc_addresses,
    subject: r.subject,
    body_html: r.body_html,
    body_text: r.body_text,
    error: r.error,
    tag: r.tag,
    user_id: r.user_id,
    person_id: r.person_id,
    lead_id: r.lead_id,
    deal_id: r.deal_id,
    sent_at: iso(r.sent_at),
    received_at: iso(r.received_at),
    created_at: iso(r.created_at)!,
  };
}

async function loadEmail(tx: Tx, id: string) {
  const row = await tx.selectFrom("emails").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw recordNotFound("Email");
  return represent(row);
}

// The cursor keeps created_at to the microsecond, as Postgres holds it: cut to
// JavaScript's milliseconds, emails from the same millisecond fell between pages.
function encodeCursor(createdAt: string, id: string) {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && z.uuid().safeParse(v[1]).success) return [v[0], v[1]];
  } catch {
    // refused below
  }
  throw validationFailed({ cursor: ["Pass `next_cursor` from the previous page unchanged"] }, "The cursor is not valid");
}

export const listEmails = defineOperation({
  id: "listEmails",
  method: "get",
  path: "/emails",
  tag: "Emails",
  summary: "List emails",
  description: "Every email of the organization, newest first: sent from or synced into members' Gmail, and the system's own mail. `person_id`, `lead_id`, `deal_id`, `thread_id` and `direction` narrow the list.",
  scope: "emails:read",
  query: z.object({
    person_id: z.uuid({ error: "Not a valid person id" }).optional(),
    lead_id: z.uuid({ error: "Not a valid lead id" }).optional(),
    deal_id: z.uuid({ error: "Not a valid deal id" }).optional(),
    thread_id: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "Not a Gmail thread id").optional().describe("Gmail's thread id"),
    direction: z.enum(["outbound", "inbound"]).optional(),
    cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  }),
  response: emailList,
  async handle({ tx, query }) {
    let q = tx
      .selectFrom("emails")
      .selectAll()
      .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("cursor_at"));
    if (query.person_id) q = q.where("person_id", "=", query.person_id);
    if (query.lead_id) q = q.where("lead_id", "=", query.lead_id);
    if (query.deal_id) q = q.where("deal_id", "=", query.deal_id);
    if (query.thread_id) q = q.where("provider_thread_id", "=", query.thread_id);
    if (query.direction) q = q.where("direction", "=", query.direction);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      // As text: a timestamptz parameter goes through a JavaScript Date, which cuts the microseconds.
      q = q.where(sql<boolean>`(created_at, id) < (${at}::text::timestamptz, ${id}::uuid)`);
    }
    const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { data: page.map(represent), next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
  },
});

export const getEmail = defineOperation({
  id: "getEmail",
  method: "get",
  path: "/emails/{id}",
  tag: "Emails",
  summary: "Get an email",
  scope: "emails:read",
  params: idParams,
  response: emailRecord,
  handle: ({ tx, params }) => loadEmail(tx, params.id),
});

const sendBody = z.object({
  person_id: z.uuid({ error: "Not a valid person id" }).optional(),
  lead_id: z.uuid({ error: "Not a valid lead id" }).optional(),
  deal_id: z.uuid({ error: "Not a valid deal id" }).optional().describe("Exactly one of person_id, lead_id and deal_id: the record it is sent from"),
  to: z.array(z.string()).min(1).describe("Recipients' addresses"),
  cc: z.array(z.string()).optional(),
  bcc: z.array(z.string()).optional(),
  subject: z
    .string()
    .describe(
      "May use the variables of Settings → Templates ({{first_name}}, {{full_name}}, {{company}}, {{deal_name}}, {{my_name}}, {{org_name}}, …), each with an optional fallback for a record without the value: {{first_name|there}}. An unknown variable, or one the record has no value for and no fallback, is a 422 naming it.",
    ),
  body_html: z.string().describe("HTML (sanitised on the server); the same variables work"),
  body_text: z.string().optional().describe("The plain-text alternative, with the same variables; generated from body_html when left out"),
  reply_to_email_id: z.uuid().optional().describe("An email of this org to answer: the new one goes in its Gmail thread with In-Reply-To and References"),
});

export const sendEmailOperation = defineOperation({
  id: "sendEmail",
  method: "post",
  path: "/emails",
  tag: "Emails",
  summary: "Send an email from the key's member's Gmail",
  description:
    "Sent through the Gmail API from the mailbox the key's member connected (409 when they have none, or Google revoked it; 502 when Gmail cannot be reached). The email is on the record's timeline with Gmail's message and thread ids, and `email.sent` is delivered to webhooks.",
  scope: "emails:write",
  status: 201,
  idempotent: true,
  body: sendBody,
  response: emailRecord,
  async handle({ tx, actor, body }) {
    const links = (["person", "lead", "deal"] as const).filter((k) => body[`${k}_id`]);
    if (links.length !== 1) {
      const message = "Send exactly one of person_id, lead_id and deal_id";
      throw validationFailed(Object.fromEntries((links.length ? links.map((k) => `${k}_id`) : ["person_id"]).map((k) => [k, [message]])), message);
    }
    const parsed = composeSchema.safeParse({
      subject: { type: links[0], id: body[`${links[0]}_id`] },
      to: body.to,
      cc: body.cc,
      bcc: body.bcc,
      title: body.subject,
      html: body.body_html,
      text: body.body_text ?? null,
      replyTo: body.reply_to_email_id ?? null,
    });
    const names: Record<string, string> = { title: "subject", html: "body_html", text: "body_text", replyTo: "reply_to_email_id", subject: `${links[0]}_id` };
    if (!parsed.success) {
      throw validationFailed(
        detailsFromIssues(parsed.error.issues.map((i) => ({ ...i, path: i.path.length ? [names[String(i.path[0])] ?? String(i.path[0])] : [] }))),
      );
    }
    const [{ name }] = (
      await sql<{ name: string }>`select coalesce(nullif(full_name, ''), email) as name from profiles where user_id = ${actor.userId}`.execute(tx)
    ).rows;
    // One transaction, the request's: a refusal leaves nothing behind, and the email commits with its Gmail ids.
    try {
      const sent = await sendEmail({ ...appGmailDeps(), db: database() }, (fn) => fn(tx), { userId: actor.userId, name }, parsed.data);
      return await loadEmail(tx, sent.id);
    } catch (e) {
      // The send names its fields as the compose drawer does; the API answers in its own names.
      if (isDomainError(e) && e.details) {
        const details = Object.fromEntries(Object.entries(e.details).map(([k, v]) => [names[k] ?? k, v]));
        throw new DomainError(e.code, e.message, { details, data: e.data, headers: e.headers });
      }
      throw e;
    }
  },
});

export const emailOperations = [listEmails, getEmail, sendEmailOperation];
