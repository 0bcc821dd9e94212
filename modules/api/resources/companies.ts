import { z } from "zod";
import { sql, type Tx } from "@/lib/db";
import { representedJson } from "@/modules/api/core/represent-sql";
import {
  archiveCompanies,
  builtInCompanyFields,
  companyListFields,
  createCompany as create,
  deleteCompanies,
  restoreCompanies,
  updateCompany as update,
} from "@/modules/crm/companies";
import { companyCreateSchema, companyUpdateSchema } from "@/modules/crm/companies/ui";
import { applyListPlan, idIn, pageFromRows, searchCandidates, textFilterTerms } from "@/modules/crm/lists";
import type { ListState } from "@/modules/crm/lists/ui";
import { recordOperations, recordResponseShape, usesCustomFields } from "./records";

export const companyResponse = z.object({
  object: z.literal("company"),
  ...recordResponseShape,
  name: z.string(),
  domain: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe("E.164, e.g. +14155550100"),
  industry: z.string().nullable(),
  employee_count: z.number().int().nullable(),
  description: z.string().nullable(),
});

/** Full company rows; citext columns read as text so postgres.js hands back strings. */
function selectCompanies(tx: Tx) {
  return tx
    .selectFrom("companies as c")
    .selectAll("c")
    .select([sql<string | null>`c.domain::text`.as("domain"), sql<string | null>`c.email::text`.as("email")]);
}

const loadCompany = (tx: Tx, id: string) => selectCompanies(tx).where("c.id", "=", id).executeTakeFirst();

/**
 * One page in one query through the list engine, each company rendered as
 * API JSON by the database, without the app list's per-row people count;
 * custom field definitions are read only when a field is named or the
 * search (which covers custom text) is used.
 */
async function pageCompanies(tx: Tx, state: ListState, opts: { pageSize: number; userId: string }) {
  const fields = usesCustomFields(state) || state.q ? await companyListFields(tx) : builtInCompanyFields();
  const plan = { idRef: "c.id", ...opts };
  // Name and domain filters narrow through the word index, as in the app's list.
  const candidates = await searchCandidates(tx, "company", state, textFilterTerms(state, ["name", "domain"]));
  let query = tx.selectFrom("companies as c").select(representedJson("company", "c").as("json"));
  if (candidates) query = query.where(idIn("c.id", candidates));
  const rows = await applyListPlan(query, fields, state, plan).execute();
  return pageFromRows(rows, plan);
}

const companies = recordOperations({
  object: "company",
  family: "companies",
  path: "companies",
  one: "Company",
  many: "Companies",
  createBody: companyCreateSchema,
  updateBody: companyUpdateSchema,
  response: companyResponse,
  listDescription:
    "Newest first unless `sort` says otherwise. Filter and sort fields: name, domain, industry, employee_count, email, phone, website, linkedin_url, city, state, country, people_count, tags, owner (member id or `me`), last_contacted_at, created_at, updated_at, and `custom.<key>`. `q` searches name, domain, email and phone.",
  createDescription:
    "`name` is required. Domains, emails, phones, URLs and US states are normalised. The key's member owns the company unless `owner_id` is sent. Custom fields go in `custom` and are checked against the organization's definitions.",
  list: pageCompanies,
  load: loadCompany,
  create,
  update,
  archive: archiveCompanies,
  restore: restoreCompanies,
  remove: deleteCompanies,
});

export const {
  list: listCompanies,
  get: getCompany,
  create: createCompany,
  update: updateCompany,
  archive: archiveCompany,
  restore: restoreCompany,
  remove: deleteCompany,
} = companies;

export const companiesOperations = companies.all;
