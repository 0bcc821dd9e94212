// REST for leads: list, get, create, update, convert, archive/restore and
// delete. Writes go through modules/leads/service.ts, the functions the app's
// pages call, so the API records the same status history, timeline items,
// audit rows and domain events (lead.created, lead.converted, …).
import { z } from "zod";
import { RawJson, recordNotFound } from "@/lib/api/errors";
import { sql, type Tx } from "@/lib/db";
import { listQuerySchema, listStateFromQuery } from "@/modules/api/core/list";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { representedJson } from "@/modules/api/core/represent-sql";
import { represent } from "@/modules/api/core/representation";
import { applyListPlan, containsText, pageFromRows } from "@/modules/crm/lists";
import { archiveLeads, builtInLeadFields, convertLead, deleteLeads, leadListFields, listLeadSettings, listLeadSources, restoreLeads, updateLead, upsertLead } from "@/modules/leads";
import { convertLeadSchema, leadUpdateSchema, leadUpsertSchema } from "@/modules/leads/ui";
import { actorOf, idParams, usesCustomFields } from "./records";
import { timestamp } from "./crm-input";

const facts = (keys: string[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.string().optional()]))).describe(`Any of ${keys.join(", ")}`);

export const leadResponse = z.object({
  object: z.literal("lead"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  source: z.string().describe("A key of the organization's lead sources: web_form, meta, sms, twilio_call, api, import, manual or its own"),
  status: z.string().describe("A key of the organization's lead statuses: new, qualified, routed, won, lost or its own"),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  full_name: z.string().describe("First and last name, kept by the database"),
  email: z.string().nullable(),
  phone: z.string().nullable().describe("E.164, e.g. +14155550100"),
  company_name: z.string().nullable(),
  state: z.string().nullable().describe("US states as their 2-letter code"),
  message: z.string().nullable(),
  utm: facts(["source", "medium", "campaign", "term", "content"]),
  attribution: facts(["ad_id", "adgroup_id", "campaign_id", "form_id", "page_id"]),
  external_id: z.string().nullable().describe("The provider's id for the lead (e.g. Meta's leadgen id)"),
  owner_id: z.uuid().nullable(),
  person_id: z.uuid().nullable().describe("The person the lead is: linked on arrival when known, or by converting it"),
  company_id: z.uuid().nullable(),
  deal_id: z.uuid().nullable(),
  custom: z.record(z.string(), z.unknown()).describe("Custom field values by key"),
  status_changed_at: timestamp(),
  last_contacted_at: timestamp()
    .nullable()
    .describe("The latest text, email or call with the lead (sent, delivered or received; a call that connected or was logged), kept by the database"),
  converted_at: timestamp().nullable(),
  archived_at: timestamp().nullable(),
  created_by: z.uuid().nullable(),
});

const loadLead = (tx: Tx, id: string) =>
  tx.selectFrom("leads as l").selectAll("l").select(sql<string | null>`l.email::text`.as("email")).where("l.id", "=", id).executeTakeFirst();

async function loadOne(tx: Tx, id: string) {
  const row = await loadLead(tx, id);
  if (!row) throw recordNotFound("Lead");
  return represent("lead", row);
}

const list = defineOperation({
  id: "listLeads",
  method: "get",
  path: "/leads",
  tag: "Leads",
  summary: "List leads",
  description:
    "Newest first unless `sort` says otherwise. Filter and sort fields: name, first_name, last_name, status, source, email, phone, company_name, state, message, owner (member id or `me`), utm_source, utm_campaign, campaign_id, person (id), deal (id: `f=deal:eq:<deal id>` gives the leads a deal came from, with their source, UTM and attribution), last_contacted_at, converted_at, created_at, updated_at, and `custom.<key>`. `q` finds leads whose name, email, phone or company contains it.",
  scope: "leads:read",
  query: listQuerySchema,
  response: z.object({ data: z.array(leadResponse), next_cursor: z.string().nullable() }),
  async handle({ tx, query, actor }) {
    const state = listStateFromQuery(query);
    const fields = usesCustomFields(state) ? await leadListFields(tx) : await builtInLeadFields(tx);
    const plan = { idRef: "l.id", pageSize: query.limit, userId: actor.userId };
    let q = tx.selectFrom("leads as l").leftJoin("people as lp", "lp.id", "l.person_id").select(representedJson("lead", "l").as("json"));
    const text = state.q?.trim();
    if (text) {
      q = q.where(containsText(sql`l.full_name || ' ' || coalesce(l.email::text, '') || ' ' || coalesce(l.phone, '') || ' ' || coalesce(l.company_name, '')`, text));
    }
    const page = pageFromRows(await applyListPlan(q, fields, { ...state, q: undefined }, plan).execute(), plan);
    return new RawJson(`{"data":[${page.rows.map((r) => r.json).join(",")}],"next_cursor":${JSON.stringify(page.nextCursor)}}`);
  },
});

const get = defineOperation({
  id: "getLead",
  method: "get",
  path: "/leads/{id}",
  tag: "Leads",
  summary: "Get a lead",
  scope: "leads:read",
  params: idParams,
  response: leadResponse,
  handle: ({ tx, params }) => loadOne(tx, params.id),
});

const create = defineOperation({
  id: "createLead",
  method: "post",
  path: "/leads",
  tag: "Leads",
  summary: "Create a lead, or update the one with this external id",
  description:
    "A name, an email or a phone is required. `source` is a key of the organization's lead sources (see `GET /lead-sources`; `api` by default, an archived one is refused), `status` one of its statuses (`new` by default). With `external_id`, your system's id for the lead, the request is an upsert per source and external id: the first creates the lead (201), and the same `source` and `external_id` again updates that lead with the fields sent and answers 200 with it, also when sent concurrently. Emails, phones and US states are normalised as people's are; a new lead is linked to the active person with the same email (then phone), and no person is created until it is converted. The key's member owns a new lead unless `owner_id` is sent. Send an `Idempotency-Key` to retry safely.",
  scope: "leads:write",
  body: leadUpsertSchema,
  response: leadResponse,
  status: 201,
  successDescription: "Created",
  otherSuccess: { 200: "A lead with this source and `external_id` existed: updated with the fields sent" },
  idempotent: true,
  async handle({ tx, claims, body }) {
    const { id, created } = await upsertLead(tx, actorOf(claims), body, "api");
    return { status: created ? 201 : 200, body: await loadOne(tx, id) };
  },
});

const update = defineOperation({
  id: "updateLead",
  method: "patch",
  path: "/leads/{id}",
  tag: "Leads",
  summary: "Update a lead",
  description:
    "Changes only the fields sent; `null` clears a field. A new `status` writes the status history and a `lead.status_changed` event. Custom values in `custom` merge into the stored ones.",
  scope: "leads:write",
  params: idParams,
  body: leadUpdateSchema,
  response: leadResponse,
  async handle({ tx, claims, params, body }) {
    await updateLead(tx, actorOf(claims), params.id, body);
    return loadOne(tx, params.id);
  },
});

const convert = defineOperation({
  id: "convertLead",
  method: "post",
  path: "/leads/{id}/convert",
  tag: "Leads",
  summary: "Convert a lead",
  description:
    "In one transaction: links the person the lead already is (its person, else the active person with its email, then its phone) or creates one, never a second person for an email; links the chosen company, the person's, or one with the lead's company name or email domain, or creates one when the lead names a company; and creates a deal when `deal.pipeline_id` is sent (in its first open stage unless `deal.stage_id` says otherwise). The lead is marked converted and a `lead.converted` event is written. Converting a converted lead is a 409; any refusal writes nothing.",
  scope: "leads:write",
  params: idParams,
  body: z
    .object({
      company_id: z.uuid().nullish(),
      deal: z
        .object({
          pipeline_id: z.uuid(),
          stage_id: z.uuid().nullish(),
          name: z.string().max(200).nullish(),
          value: z.union([z.string(), z.number()]).nullish().describe("Typed money in the deal's currency, e.g. \"12,500.00\""),
          currency: z.string().nullish(),
        })
        .strict()
        .nullish(),
    })
    .strict(),
  response: leadResponse,
  async handle({ tx, claims, params, body }) {
    const input: z.input<typeof convertLeadSchema> = {
      companyId: body.company_id ?? null,
      deal: body.deal
        ? { pipelineId: body.deal.pipeline_id, stageId: body.deal.stage_id ?? null, name: body.deal.name, value: body.deal.value, currency: body.deal.currency }
        : null,
    };
    await convertLead(tx, actorOf(claims), params.id, input);
    return loadOne(tx, params.id);
  },
});

function lifecycle(id: string, path: string, summary: string, description: string, write: typeof archiveLeads) {
  return defineOperation({
    id,
    method: "post",
    path: `/leads/{id}/${path}`,
    tag: "Leads",
    summary,
    description,
    scope: "leads:write",
    params: idParams,
    response: leadResponse,
    async handle({ tx, claims, params }) {
      await write(tx, actorOf(claims), [params.id]);
      return loadOne(tx, params.id);
    },
  });
}

const archive = lifecycle("archiveLead", "archive", "Archive a lead", "Hides the lead from lists (see `archived=1`) until restored. Needs a key whose member is a manager, admin or owner.", archiveLeads);
const restore = lifecycle("restoreLead", "restore", "Restore an archived lead", "Needs a key whose member is a manager, admin or owner.", restoreLeads);

const remove = defineOperation({
  id: "deleteLead",
  method: "delete",
  path: "/leads/{id}",
  tag: "Leads",
  summary: "Delete a lead for good",
  description: "Cannot be undone; prefer archiving. The person, company and deal a conversion made stay. Needs a key whose member is an admin or owner.",
  scope: "leads:write",
  params: idParams,
  status: 204,
  async handle({ tx, claims, params }) {
    await deleteLeads(tx, actorOf(claims), [params.id]);
    return { status: 204, body: null };
  },
});

const leadSource = z.object({
  object: z.literal("lead_source"),
  key: z.string().describe("What leads, filters and this API call the source"),
  label: z.string().describe("What the app shows"),
  built_in: z.boolean().describe("Written by Covey's own channels (web forms, Meta, texts, calls, the API, imports, by hand)"),
  archived: z.boolean().describe("Kept by the leads that have it; refused for others"),
});
const leadStatus = leadSource.extend({
  object: z.literal("lead_status"),
  category: z.enum(["open", "won", "lost"]).describe("Still being worked, or done either way"),
});

const listSources = defineOperation({
  id: "listLeadSources",
  method: "get",
  path: "/lead-sources",
  tag: "Leads",
  summary: "List the organization's lead sources",
  description: "Every source, in the order the app shows them, archived ones last: the keys `source` takes and their labels.",
  scope: "leads:read",
  response: z.object({ data: z.array(leadSource) }),
  async handle({ tx }) {
    const sources = await listLeadSources(tx, { includeArchived: true });
    return { data: sources.map((s) => ({ object: "lead_source", key: s.key, label: s.label, built_in: s.builtIn, archived: s.archived })) };
  },
});

const listStatuses = defineOperation({
  id: "listLeadStatuses",
  method: "get",
  path: "/lead-statuses",
  tag: "Leads",
  summary: "List the organization's lead statuses",
  description: "Every status in the organization's order, archived ones last: the keys `status` takes, their labels and categories.",
  scope: "leads:read",
  response: z.object({ data: z.array(leadStatus) }),
  async handle({ tx }) {
    const settings = await listLeadSettings(tx);
    return {
      data: settings.statuses.map((s) => ({
        object: "lead_status",
        key: s.key,
        label: s.label,
        category: s.category,
        built_in: s.builtIn,
        archived: s.archived,
      })),
    };
  },
});

export const leadOperations: Operation[] = [list, get, create, update, convert, archive, restore, remove, listSources, listStatuses];
export { archive as archiveLead, convert as convertLeadOperation, create as createLeadOperation, get as getLeadOperation, list as listLeadsOperation, remove as deleteLeadOperation, restore as restoreLead, update as updateLeadOperation };
