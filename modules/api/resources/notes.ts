// REST for notes on people, companies and deals: list, get, create, update,
// delete. Bodies go through modules/crm/notes/service.ts, which sanitises the
// HTML exactly as for the editor; who may edit or delete (the author, or an
// owner or admin) is the database's rule.
import { z } from "zod";
import { recordNotFound, validationFailed } from "@/lib/api/errors";
import { sql, type Tx } from "@/lib/db";
import { listQuerySchema, listStateFromQuery } from "@/modules/api/core/list";
import { defineOperation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import { applyListPlan, pageFromRows } from "@/modules/crm/lists";
import type { ListFieldSql } from "@/modules/crm/lists/ui";
import * as notes from "@/modules/crm/notes";
import { createNoteSchema, MAX_NOTE_HTML, updateNoteSchema } from "@/modules/crm/notes";
import type { RecordRef } from "@/modules/crm/records/ui";
import { invalidAs, renamedFields, timestamp } from "./crm-input";

const idParams = z.object({ id: z.uuid() });
const LINKS = ["person", "company", "deal"] as const;
type LinkField = `${(typeof LINKS)[number]}_id`;

export const noteRecord = z.object({
  object: z.literal("note"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  body_html: z.string().describe("Sanitised HTML: p, br, strong, em, ul, ol, li, a, blockquote"),
  body_text: z.string().describe("The note as plain text"),
  author_id: z.uuid().nullable(),
  person_id: z.uuid().nullable(),
  company_id: z.uuid().nullable(),
  deal_id: z.uuid().nullable(),
});

const noteList = z.object({ data: z.array(noteRecord), next_cursor: z.string().nullable() });

// Notes have no list page in the app; these are the fields the API lists them by.
const NOTE_FIELDS: ListFieldSql[] = [
  { key: "created_at", label: "Created", type: "datetime", sql: sql.ref("n.created_at"), sortable: true, filterable: true, notNull: true },
  { key: "updated_at", label: "Updated", type: "datetime", sql: sql.ref("n.updated_at"), sortable: true, filterable: true, notNull: true },
  { key: "body_text", label: "Text", type: "text", sql: sql.ref("n.body_text"), sortable: false, filterable: true, searchable: true },
  { key: "author", label: "Author", type: "user", sql: sql.ref("n.author_id"), sortable: false, filterable: true },
  { key: "person", label: "Person", type: "relation", sql: sql.ref("n.person_id"), sortable: false, filterable: true },
  { key: "company", label: "Company", type: "relation", sql: sql.ref("n.company_id"), sortable: false, filterable: true },
  { key: "deal", label: "Deal", type: "relation", sql: sql.ref("n.deal_id"), sortable: false, filterable: true },
];

const noteListQuery = listQuerySchema.omit({ archived: true }).extend({
  person_id: z.uuid({ error: "Not a valid person id" }).optional().describe("Only this person's notes"),
  company_id: z.uuid({ error: "Not a valid company id" }).optional().describe("Only this company's notes"),
  deal_id: z.uuid({ error: "Not a valid deal id" }).optional().describe("Only this deal's notes"),
});

async function loadNote(tx: Tx, id: string) {
  const row = await tx.selectFrom("notes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw recordNotFound("Note");
  return represent("note", row);
}

/** A note service's refusal under the API's field names: the body is `body_html`, the record its id field. */
async function refusing<T>(work: Promise<T>, link?: RecordRef): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw renamedFields(e, { html: "body_html", subject: link ? `${link.type}_id` : "_" });
  }
}

const bodyHtml = z
  .string({ error: "Send body_html as a string of HTML" })
  .describe(
    `HTML of at most ${MAX_NOTE_HTML.toLocaleString("en-US")} characters; sanitised on the server to p, br, strong, em, ul, ol, li, a and blockquote. Plain text works too.`,
  );

export const listNotes = defineOperation({
  id: "listNotes",
  method: "get",
  path: "/notes",
  tag: "Notes",
  summary: "List notes",
  description: [
    "Notes of the organization, newest first; `person_id`, `company_id` or `deal_id` narrows them to one record's.",
    "`q` searches the text. Filter fields: `created_at`, `updated_at`, `body_text`, `author` (`me` is the key's member), `person`, `company`, `deal`; sort by `created_at` or `updated_at`.",
  ].join("\n\n"),
  scope: "notes:read",
  query: noteListQuery,
  response: noteList,
  async handle({ tx, actor, query }) {
    const { person_id, company_id, deal_id, ...list } = query;
    const links = { person: person_id, company: company_id, deal: deal_id };
    const f = [
      ...(list.f === undefined ? [] : Array.isArray(list.f) ? list.f : [list.f]),
      ...LINKS.flatMap((k) => (links[k] ? [`${k}:eq:${links[k]}`] : [])),
    ];
    const state = listStateFromQuery({ ...list, f });
    const plan = { idRef: "n.id", pageSize: query.limit, userId: actor.userId, archivedRef: null };
    const rows = await applyListPlan(tx.selectFrom("notes as n").selectAll("n"), NOTE_FIELDS, state, plan).execute();
    const page = pageFromRows(rows, plan);
    return { data: page.rows.map((r) => represent("note", r)), next_cursor: page.nextCursor };
  },
});

export const getNote = defineOperation({
  id: "getNote",
  method: "get",
  path: "/notes/{id}",
  tag: "Notes",
  summary: "Get a note",
  scope: "notes:read",
  params: idParams,
  response: noteRecord,
  handle: ({ tx, params }) => loadNote(tx, params.id),
});

// The note form's schema takes `subject: { type, id }` and `html`; the API
// takes the record's fields, one of person_id / company_id / deal_id and
// body_html.
const noteCreateBody = z.object({
  body_html: bodyHtml,
  person_id: z.uuid({ error: "Not a valid person id" }).optional(),
  company_id: z.uuid({ error: "Not a valid company id" }).optional(),
  deal_id: z.uuid({ error: "Not a valid deal id" }).optional().describe("Exactly one of person_id, company_id and deal_id"),
});

export const createNote = defineOperation({
  id: "createNote",
  method: "post",
  path: "/notes",
  tag: "Notes",
  summary: "Add a note to a person, company or deal",
  description: "The key's member is its author. It shows on the record's timeline.",
  scope: "notes:write",
  status: 201,
  idempotent: true,
  body: noteCreateBody,
  response: noteRecord,
  async handle({ tx, actor, body }) {
    const sent = LINKS.filter((k) => body[`${k}_id` as LinkField]);
    if (sent.length !== 1) {
      const message = "Send exactly one of person_id, company_id and deal_id";
      throw validationFailed(Object.fromEntries((sent.length ? sent.map((k) => `${k}_id`) : ["person_id"]).map((k) => [k, [message]])), message);
    }
    const subject = { type: sent[0], id: body[`${sent[0]}_id` as LinkField]! };
    const parsed = createNoteSchema.safeParse({ subject, html: body.body_html });
    if (!parsed.success) throw invalidAs(parsed.error, { html: "body_html", subject: `${subject.type}_id` });
    const { id } = await refusing(notes.createNote(tx, actor, parsed.data), subject);
    return loadNote(tx, id);
  },
});

export const updateNote = defineOperation({
  id: "updateNote",
  method: "patch",
  path: "/notes/{id}",
  tag: "Notes",
  summary: "Edit a note",
  description: "Only its author, or an owner or admin, may edit a note (else 403).",
  scope: "notes:write",
  params: idParams,
  body: z.object({ body_html: bodyHtml }),
  response: noteRecord,
  async handle({ tx, params, body }) {
    await loadNote(tx, params.id);
    const parsed = updateNoteSchema.safeParse({ id: params.id, html: body.body_html });
    if (!parsed.success) throw invalidAs(parsed.error, { html: "body_html" });
    await refusing(notes.updateNote(tx, parsed.data));
    return loadNote(tx, params.id);
  },
});

export const deleteNote = defineOperation({
  id: "deleteNote",
  method: "delete",
  path: "/notes/{id}",
  tag: "Notes",
  summary: "Delete a note",
  description: "Only its author, or an owner or admin, may delete a note (else 403).",
  scope: "notes:write",
  params: idParams,
  status: 204,
  async handle({ tx, params }) {
    await loadNote(tx, params.id);
    await refusing(notes.deleteNote(tx, { id: params.id }));
    return { status: 204, body: null };
  },
});

export const noteOperations = [listNotes, createNote, getNote, updateNote, deleteNote];
