import { z } from "zod";
import { sql, type Tx } from "@/lib/db";
import { builtInCompanyFields, listCompanies as listCompaniesPage } from "@/modules/crm/companies/queries";
import { companyCreateSchema, companyUpdateSchema } from "@/modules/crm/companies/schema";
import {
  archiveCompanies,
  createCompany as create,
  deleteCompanies,
  restoreCompanies,
  updateCompany as update,
} from "@/modules/crm/companies/service";
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
function loadCompanies(tx: Tx, ids: string[]) {
  return tx
    .selectFrom("companies")
    .selectAll()
    .select([sql<string | null>`domain::text`.as("domain"), sql<string | null>`email::text`.as("email")])
    .where("id", "in", ids)
    .execute();
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
  // The quick search also looks in custom text fields.
  list: (tx, state, opts) =>
    listCompaniesPage(tx, state, {
      ...opts,
      withTotal: false,
      fields: usesCustomFields(state) || state.q ? undefined : builtInCompanyFields(),
    }),
  load: loadCompanies,
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
