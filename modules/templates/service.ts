// Templates under the member's RLS: listing, writing and archiving them,
// the values a record gives the variables, and filling a text or an email
// for sending, which refuses anything that would reach a customer with a
// `{{...}}` still in it.
import { sql } from "kysely";
import { emailHtmlToText, sanitizeEmailHtml } from "@/lib/mail/html";
import type { Tx } from "@/lib/db";
import { conflict, DomainError, fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import { searchAsMember } from "@/modules/crm/search";
import { formatMoney } from "@/modules/crm/values/ui";
import { describeProblems, listTokens, problemsOf, render, type VariableKey, type VariableValues } from "./engine";
import {
  previewInputSchema,
  type TemplateChannel,
  templateInputSchema,
  type TemplateRecordRef,
  recordRefSchema,
  useTemplateSchema,
} from "./schema";

export interface MessageTemplate {
  id: string;
  channel: TemplateChannel;
  name: string;
  subject: string | null;
  body: string;
  /** The email's own plain text; null: generated from the HTML. */
  textBody: string | null;
  archivedAt: Date | null;
  createdBy: string | null;
  createdByName: string | null;
  updatedAt: Date;
}

interface TemplateRow {
  id: string;
  channel: TemplateChannel;
  name: string;
  subject: string | null;
  body: string;
  text_body: string | null;
  archived_at: Date | null;
  created_by: string | null;
  created_by_name: string | null;
  updated_at: Date;
}

const fromRow = (r: TemplateRow): MessageTemplate => ({
  id: r.id,
  channel: r.channel,
  name: r.name,
  subject: r.subject,
  body: r.body,
  textBody: r.text_body,
  archivedAt: r.archived_at,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  updatedAt: r.updated_at,
});

/** The org's templates, live ones by name (archived ones too when asked, after them). */
export async function listTemplates(tx: Tx, opts: { channel?: TemplateChannel; archived?: boolean } = {}): Promise<MessageTemplate[]> {
  const { rows } = await sql<TemplateRow>`
    select t.id, t.channel, t.name, t.subject, t.body, t.text_body, t.archived_at, t.created_by, p.full_name as created_by_name, t.updated_at
    from message_templates t left join profiles p on p.user_id = t.created_by
    where (${opts.channel ?? null}::text is null or t.channel = ${opts.channel ?? null})
      and (${opts.archived ?? false} or t.archived_at is null)
    order by t.archived_at is not null, lower(t.name)`.execute(tx);
  return rows.map(fromRow);
}

export async function getTemplate(tx: Tx, id: string): Promise<MessageTemplate> {
  const { rows } = await sql<TemplateRow>`
    select t.id, t.channel, t.name, t.subject, t.body, t.text_body, t.archived_at, t.created_by, p.full_name as created_by_name, t.updated_at
    from message_templates t left join profiles p on p.user_id = t.created_by
    where t.id = ${id}`.execute(tx);
  if (!rows[0]) throw notFound("That template no longer exists or is not in your organization.");
  return fromRow(rows[0]);
}

/** The input as stored: an email's HTML sanitised, its plain text kept only when it is the author's own. */
function toStored(input: unknown) {
  const v = parseInput(templateInputSchema, input);
  if (v.channel === "sms") return { channel: v.channel, name: v.name, subject: null, body: v.body.trim(), text_body: null };
  const body = sanitizeEmailHtml(v.body);
  if (!emailHtmlToText(body)) throw fieldError("body", "Write the message");
  const text = v.textBody?.trim() || null;
  return { channel: v.channel, name: v.name, subject: v.subject ?? null, body, text_body: text && text !== emailHtmlToText(body) ? text : null };
}

function refusal(e: unknown, name: string): never {
  const code = (e as { code?: string }).code;
  if (code === "23505") throw conflict(`A template named “${name}” already exists.`, { details: { name: [`A template named “${name}” already exists`] } });
  if (code === "42501") throw forbidden("Only managers, admins and owners can change templates written by someone else.");
  throw e;
}

export async function createTemplate(tx: Tx, userId: string, orgId: string, input: unknown): Promise<MessageTemplate> {
  const v = toStored(input);
  try {
    const row = await tx
      .insertInto("message_templates")
      .values({ org_id: orgId, created_by: userId, ...v })
      .returning("id")
      .executeTakeFirstOrThrow();
    return getTemplate(tx, row.id);
  } catch (e) {
    refusal(e, v.name);
  }
}

/** Saves a template; its channel stays what it was made as. */
export async function updateTemplate(tx: Tx, id: string, input: unknown): Promise<MessageTemplate> {
  const current = await getTemplate(tx, id);
  const v = toStored({ ...(input as object), channel: current.channel });
  try {
    const updated = await tx
      .updateTable("message_templates")
      .set({ name: v.name, subject: v.subject, body: v.body, text_body: v.text_body })
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!updated) throw forbidden("Only managers, admins and owners can change templates written by someone else.");
    return getTemplate(tx, id);
  } catch (e) {
    refusal(e, v.name);
  }
}

/** Archives (or restores) a template: gone from the drawers, kept in settings. */
export async function archiveTemplate(tx: Tx, id: string, archived: boolean): Promise<MessageTemplate> {
  const current = await getTemplate(tx, id);
  try {
    const updated = await tx
      .updateTable("message_templates")
      .set({ archived_at: archived ? sql<Date>`now()` : null })
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!updated) throw forbidden("Only managers, admins and owners can archive templates written by someone else.");
    return getTemplate(tx, id);
  } catch (e) {
    refusal(e, current.name);
  }
}

interface ValuesRow {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  deal_name: string | null;
  value_minor: string | null;
  currency: string | null;
  owner_name: string | null;
  my_name: string | null;
  org_name: string | null;
}

/** What each variable stands for on `record`, sent by `userId`, read under RLS. */
export async function recordValues(tx: Tx, record: TemplateRecordRef, userId: string): Promise<VariableValues> {
  const ref = parseInput(recordRefSchema, record);
  const me = sql`(select full_name from profiles where user_id = ${userId}) as my_name, (select name from orgs where id = private.current_org_id()) as org_name`;
  const { rows } =
    ref.type === "person"
      ? await sql<ValuesRow>`
          select p.first_name, p.last_name, p.email::text as email, p.phone, c.name as company, null as deal_name,
                 null as value_minor, null as currency, o.full_name as owner_name, ${me}
          from people p left join companies c on c.id = p.company_id left join profiles o on o.user_id = p.owner_id
          where p.id = ${ref.id}`.execute(tx)
      : ref.type === "lead"
        ? await sql<ValuesRow>`
            select l.first_name, l.last_name, l.email::text as email, l.phone, coalesce(c.name, l.company_name) as company,
                   null as deal_name, null as value_minor, null as currency, o.full_name as owner_name, ${me}
            from leads l left join companies c on c.id = l.company_id left join profiles o on o.user_id = l.owner_id
            where l.id = ${ref.id}`.execute(tx)
        : await sql<ValuesRow>`
            select p.first_name, p.last_name, p.email::text as email, p.phone, c.name as company, d.name as deal_name,
                   d.value_minor::text as value_minor, d.currency, o.full_name as owner_name, ${me}
            from deals d left join people p on p.id = d.person_id left join companies c on c.id = coalesce(d.company_id, p.company_id)
            left join profiles o on o.user_id = d.owner_id
            where d.id = ${ref.id}`.execute(tx);
  const r = rows[0];
  if (!r) throw notFound(`That ${ref.type} no longer exists or is not in your organization.`);
  return {
    first_name: r.first_name,
    last_name: r.last_name,
    full_name: [r.first_name, r.last_name].filter((s) => s?.trim()).join(" "),
    email: r.email,
    phone: r.phone,
    company: r.company,
    deal_name: r.deal_name,
    // A deal's value is 0 until someone sets it: that is no value to quote to a customer.
    deal_value: r.value_minor && r.value_minor !== "0" && r.currency ? formatMoney(r.value_minor, r.currency) : null,
    owner_name: r.owner_name,
    my_name: r.my_name,
    my_first_name: r.my_name?.trim().split(/\s+/)[0] ?? null,
    org_name: r.org_name,
  };
}

/** What the sender and their org give the variables, before a record is picked. */
async function senderValues(tx: Tx, userId: string): Promise<VariableValues> {
  const { rows } = await sql<{ my_name: string | null; org_name: string | null }>`
    select (select full_name from profiles where user_id = ${userId}) as my_name, (select name from orgs where id = private.current_org_id()) as org_name`.execute(tx);
  const me = rows[0];
  return { my_name: me?.my_name, my_first_name: me?.my_name?.trim().split(/\s+/)[0] ?? null, org_name: me?.org_name };
}

const RECORD_WORDS = { person: "this person", lead: "this lead", deal: "this deal" } as const;

/**
 * `text` filled for sending to `record`'s contact, or a refusal on `field`
 * naming each unknown variable and each one with no value and no fallback:
 * never a `{{...}}` to a customer.
 */
export function fillForSend(
  text: string,
  values: VariableValues,
  opts: { field: string; label: string; html?: boolean; record: TemplateRecordRef["type"] },
): string {
  const problems = problemsOf(text);
  if (problems) throw fieldError(opts.field, describeProblems(problems, opts.label));
  const { text: out, missing } = render(text, values, { html: opts.html });
  if (missing.length) {
    const example = `{{${missing[0]}|…}}`;
    throw fieldError(
      opts.field,
      `${opts.label} uses ${listTokens(missing)}, which ${RECORD_WORDS[opts.record]} has no value for. Write the text in, or give a fallback like ${example}.`,
    );
  }
  return out;
}

export interface FilledTemplate {
  templateId: string;
  subject: string | null;
  body: string;
  /** The email's own plain text, filled; null: generated from the body when sent. */
  textBody: string | null;
  /** Variables the record has no value for (their tokens stay in the text, to fill in before sending). */
  missing: VariableKey[];
}

/** A template filled with a record's values for a compose drawer, where the member edits it before sending. */
export async function fillTemplate(tx: Tx, userId: string, input: unknown): Promise<FilledTemplate> {
  const { templateId, record } = parseInput(useTemplateSchema, input);
  const template = await getTemplate(tx, templateId);
  if (template.archivedAt) throw new DomainError("gone", `The template “${template.name}” was archived.`);
  const values = await recordValues(tx, record, userId);
  const html = template.channel === "email";
  const subject = template.subject === null ? null : render(template.subject, values);
  const body = render(template.body, values, { html });
  const text = template.textBody === null ? null : render(template.textBody, values);
  const missing = [...new Set([...(subject?.missing ?? []), ...body.missing, ...(text?.missing ?? [])])];
  return { templateId, subject: subject?.text ?? null, body: body.text, textBody: text?.text ?? null, missing };
}

export interface TemplatePreview {
  subject: string | null;
  /** Email: the HTML as it would be sent; SMS: the text. */
  body: string;
  /** Email: the plain-text alternative (the author's, else generated from the HTML). */
  text: string | null;
  /** The plain text generated from the unfilled HTML, for the editor's plain-text tab. */
  generatedText: string | null;
  missing: VariableKey[];
}

/** The template being edited, filled with a real record's values (or none picked yet), as it would be sent. */
export async function previewTemplate(tx: Tx, userId: string, input: unknown): Promise<TemplatePreview> {
  const v = parseInput(previewInputSchema, input);
  const values = v.record ? await recordValues(tx, v.record, userId) : await senderValues(tx, userId);
  if (v.channel === "sms") {
    const body = render(v.body, values);
    return { subject: null, body: body.text, text: null, generatedText: null, missing: body.missing };
  }
  const clean = sanitizeEmailHtml(v.body);
  const subject = render(v.subject ?? "", values);
  const body = render(clean, values, { html: true });
  const html = sanitizeEmailHtml(body.text);
  const own = v.textBody?.trim() ? render(v.textBody, values) : null;
  const missing = [...new Set([...subject.missing, ...body.missing, ...(own?.missing ?? [])])];
  return { subject: subject.text, body: html, text: own ? own.text : emailHtmlToText(html), generatedText: emailHtmlToText(clean), missing };
}

export interface PreviewRecord {
  type: TemplateRecordRef["type"];
  id: string;
  name: string;
  detail: string | null;
}

/** People, leads and deals to preview a template with: matches for `term`, else the latest of each. */
export async function previewRecords(tx: Tx, term: string): Promise<PreviewRecord[]> {
  if (term.trim()) {
    const { results } = await searchAsMember(tx, term);
    return [
      ...results.people.map((h) => ({ type: "person" as const, id: h.id, name: h.title, detail: h.subtitle })),
      ...results.leads.map((h) => ({ type: "lead" as const, id: h.id, name: h.title, detail: h.subtitle })),
      ...results.deals.map((h) => ({ type: "deal" as const, id: h.id, name: h.title, detail: h.subtitle })),
    ];
  }
  const { rows } = await sql<PreviewRecord>`
    (select 'person' as type, id, coalesce(nullif(full_name, ''), email::text, 'Unnamed person') as name, email::text as detail
       from people where archived_at is null order by created_at desc limit 5)
    union all
    (select 'lead', id, coalesce(nullif(full_name, ''), email::text, 'Unnamed lead'), email::text
       from leads where archived_at is null order by created_at desc limit 3)
    union all
    (select 'deal', id, name, null from deals where archived_at is null order by created_at desc limit 3)`.execute(tx);
  return rows;
}
