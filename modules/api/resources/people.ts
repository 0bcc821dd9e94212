import { z } from "zod";
import { sql, type Tx } from "@/lib/db";
import { representedJson } from "@/modules/api/core/represent-sql";
import { applyListPlan, pageFromRows } from "@/modules/crm/lists";
import type { ListState } from "@/modules/crm/lists/ui";
import {
  archivePeople,
  builtInPersonFields,
  createPerson as create,
  deletePeople,
  personListFields,
  personSearchConditions,
  restorePeople,
  updatePerson as update,
} from "@/modules/crm/people";
import { personCreateSchema, personUpdateSchema } from "@/modules/crm/people/ui";
import { fieldsNamed, recordOperations, recordResponseShape, usesCustomFields } from "./records";

export const personResponse = z.object({
  object: z.literal("person"),
  ...recordResponseShape,
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  full_name: z.string().nullable().describe("First and last name, kept by the database"),
  email: z.string().nullable(),
  additional_emails: z.array(z.string()),
  phone: z.string().nullable().describe("E.164, e.g. +14155550100"),
  additional_phones: z.array(z.string()),
  title: z.string().nullable(),
  company_id: z.uuid().nullable(),
  source: z.string().nullable(),
});

/** Full person rows; citext columns read as text so postgres.js hands back strings and arrays. */
function selectPeople(tx: Tx) {
  return tx
    .selectFrom("people as p")
    .selectAll("p")
    .select([sql<string | null>`p.email::text`.as("email"), sql<string[]>`p.additional_emails::text[]`.as("additional_emails")]);
}

const loadPerson = (tx: Tx, id: string) => selectPeople(tx).where("p.id", "=", id).executeTakeFirst();

// Fields whose SQL reads the company (alias `co`).
const COMPANY_FIELDS = new Set(["company", "company_name"]);

/**
 * One page in one query through the list engine, each person rendered as
 * API JSON by the database. Unlike the app's list it joins the company only
 * when a sort or filter reads it, and reads custom field definitions only
 * when one is named: the common page is a single index scan.
 */
async function pagePeople(tx: Tx, state: ListState, opts: { pageSize: number; userId: string }) {
  const fields = usesCustomFields(state) ? await personListFields(tx) : builtInPersonFields();
  const plan = { idRef: "p.id", ...opts };
  const search = await personSearchConditions(tx, state);
  let query = tx.selectFrom("people as p").select(representedJson("person", "p").as("json"));
  if (fieldsNamed(state).some((f) => COMPANY_FIELDS.has(f))) {
    query = query.leftJoin("companies as co", "co.id", "p.company_id") as unknown as typeof query;
  }
  for (const condition of search) query = query.where(condition);
  const rows = await applyListPlan(query, fields, { ...state, q: undefined }, plan).execute();
  return pageFromRows(rows, plan);
}

const people = recordOperations({
  object: "person",
  family: "people",
  path: "people",
  one: "Person",
  many: "People",
  createBody: personCreateSchema,
  updateBody: personUpdateSchema,
  response: personResponse,
  listDescription:
    "Newest first unless `sort` says otherwise. Filter and sort fields: name, first_name, last_name, email, phone, title, company (id), company_name, source, city, state, country, linkedin_url, website, tags, owner (member id or `me`), last_contacted_at, created_at, updated_at, and `custom.<key>`. `q` finds people whose name, email or phone contains it; typed without letters (three digits or more) it finds the phones holding its digits however they are written, and names or emails with each typed number as a word.",
  createDescription:
    "A name or an email is required. Emails, phones, URLs and US states are normalised; an email another active person uses is a 409 naming them. The key's member owns the person unless `owner_id` is sent. Custom fields go in `custom` and are checked against the organization's definitions.",
  list: pagePeople,
  load: loadPerson,
  create,
  update,
  archive: archivePeople,
  restore: restorePeople,
  remove: deletePeople,
});

export const {
  list: listPeople,
  get: getPerson,
  create: createPerson,
  update: updatePerson,
  archive: archivePerson,
  restore: restorePerson,
  remove: deletePerson,
} = people;

export const peopleOperations = people.all;
