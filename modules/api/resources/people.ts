import { z } from "zod";
import { sql, type Tx } from "@/lib/db";
import { builtInPersonFields, listPeople as listPeoplePage } from "@/modules/crm/people/queries";
import { personCreateSchema, personUpdateSchema } from "@/modules/crm/people/schema";
import { archivePeople, createPerson as create, deletePeople, restorePeople, updatePerson as update } from "@/modules/crm/people/service";
import { recordOperations, recordResponseShape, usesCustomFields } from "./records";

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
function loadPeople(tx: Tx, ids: string[]) {
  return tx
    .selectFrom("people")
    .selectAll()
    .select([sql<string | null>`email::text`.as("email"), sql<string[]>`additional_emails::text[]`.as("additional_emails")])
    .where("id", "in", ids)
    .execute();
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
    "Newest first unless `sort` says otherwise. Filter and sort fields: name, first_name, last_name, email, phone, title, company (id), company_name, source, city, state, country, linkedin_url, website, tags, owner (member id or `me`), last_contacted_at, created_at, updated_at, and `custom.<key>`. `q` searches name, email and phone.",
  createDescription:
    "A name or an email is required. Emails, phones, URLs and US states are normalised; an email another active person uses is a 409 naming them. The key's member owns the person unless `owner_id` is sent. Custom fields go in `custom` and are checked against the organization's definitions.",
  // The quick search runs on its own index expression, not the fields.
  list: (tx, state, opts) =>
    listPeoplePage(tx, state, { ...opts, withTotal: false, fields: usesCustomFields(state) ? undefined : builtInPersonFields() }),
  load: loadPeople,
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
