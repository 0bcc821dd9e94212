// REST for deals: list, get, create, update, archive/restore, delete, move
// to a stage and won/lost. Writes go through modules/crm/deals/service.ts,
// the same functions the board and the deal form call, so the API records
// the same history, audit rows and domain events.
import { z } from "zod";
import { recordNotFound, validationFailed } from "@/lib/api/errors";
import { DomainError, isDomainError } from "@/lib/errors";
import type { Tx } from "@/lib/db";
import { zString } from "@/lib/validation";
import { listQuerySchema, listStateFromQuery } from "@/modules/api/core/list";
import { defineOperation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { listDeals as listDealRows } from "@/modules/crm/deals";
import * as deals from "@/modules/crm/deals";
import { dealSchema, dealStatusSchema, type DealInput } from "@/modules/crm/deals/ui";
import { actorOf } from "./records";
import { aliasListQuery, invalidAs, renamedFields, requirePermission, rowsInOrder, timestamp } from "./crm-input";

const idParams = z.object({ id: z.uuid() });

export const dealRecord = z.object({
  object: z.literal("deal"),
  id: z.uuid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  number: z
    .number()
    .int()
    .nullable()
    .describe("The org's sequential number of a deal on a numbered pipeline (a case number, shown zero-padded as 00042), kept when the deal moves; null on other pipelines"),
  name: z.string(),
  pipeline_id: z.uuid(),
  stage_id: z.uuid(),
  status: z.enum(["open", "won", "lost"]),
  value_minor: z.number().int().describe("The amount in the currency's minor unit: cents for USD, yen for JPY"),
  currency: z.string().describe("ISO 4217 code"),
  owner_id: z.uuid().nullable(),
  company_id: z.uuid().nullable(),
  person_id: z.uuid().nullable(),
  expected_close_date: z.iso.date().nullable(),
  closed_at: timestamp().nullable(),
  lost_reason: z.string().nullable(),
  stage_entered_at: timestamp(),
  priority: z.boolean().describe("Flagged as a priority"),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  archived_at: timestamp().nullable(),
  created_by: z.uuid().nullable(),
});

const dealList = z.object({ data: z.array(dealRecord), next_cursor: z.string().nullable() });

/** The app's deal form names (camelCase) → the API's. */
const FIELD_NAMES: Record<string, string> = {
  pipelineId: "pipeline_id",
  stageId: "stage_id",
  value: "value_minor",
  ownerId: "owner_id",
  companyId: "company_id",
  personId: "person_id",
  expectedCloseDate: "expected_close_date",
  archived_at: "archived_at",
};

// The API speaks the record's snake_case names and an integer amount, where
// the deal form has camelCase names and typed money ("12,500.00"). This thin
// schema checks types and refuses unknown fields; the form's own schema
// (dealSchema, with the org's currency and custom fields) then validates the
// values, so both paths accept and refuse the same deals.
const dealFields = {
  name: z.string({ error: "Enter the deal's name" }).describe("1–200 characters"),
  pipeline_id: z.uuid({ error: "Not a valid pipeline id" }).optional().describe("Defaults to the stage's pipeline"),
  stage_id: z.uuid({ error: "Choose a stage" }).describe("A stage of the pipeline (see GET /pipelines)"),
  value_minor: z
    .number({ error: "Send the amount as a whole number of minor units, e.g. 1250000 for 12,500.00 USD" })
    .int("Send the amount as a whole number of minor units, e.g. 1250000 for 12,500.00 USD")
    .min(0, "The amount cannot be negative")
    .max(Number.MAX_SAFE_INTEGER, "The amount is too large")
    .optional()
    .describe("The amount as an integer in the currency's minor unit (1250000 = 12,500.00 USD; JPY has none). Default 0"),
  currency: z
    .string({ error: "Send an ISO 4217 code, e.g. USD" })
    .nullish()
    .describe("ISO 4217 code; absent, null or blank means the organization's default currency"),
  owner_id: z.uuid({ error: "Not a valid member id" }).nullish().describe("A member's user id; defaults to the key's member on create"),
  company_id: z.uuid({ error: "Not a valid company id" }).nullish(),
  person_id: z.uuid({ error: "Not a valid person id" }).nullish(),
  expected_close_date: z.string({ error: "Use a date like 2026-03-31" }).nullish().describe("YYYY-MM-DD"),
  tags: z.array(z.string(), { error: "Send tags as a list of strings" }).nullish(),
  priority: z.boolean({ error: "Send true or false" }).optional().describe("Flag the deal as a priority; default false"),
  custom: z
    .record(z.string(), z.unknown(), { error: "Custom fields must be an object" })
    .optional()
    .describe("Custom field values by key; null clears one"),
};
const inlinePerson = z
  .object(
    {
      first_name: z.string({ error: "Send the first name as text" }).nullish(),
      last_name: z.string({ error: "Send the last name as text" }).nullish(),
      email: z.string({ error: "Send the email as text" }).nullish(),
      phone: z.string({ error: "Send the phone number as text" }).nullish(),
      state: z.string({ error: "Send the state as text" }).nullish(),
      country: z.string({ error: "Send the country as text" }).nullish(),
      custom: z.record(z.string(), z.unknown(), { error: "Custom fields must be an object" }).optional(),
    },
    { error: "Send the person as an object" },
  )
  .strict()
  .describe(
    "The person the deal is about, created with it in one transaction (instead of `person_id`): the active person with this email is reused, otherwise a new person is made. On a pipeline of one deal per person (`person_required`, e.g. cases) a person with an open deal there is refused with 409 naming that deal. `name` defaults to the person's name.",
  );
const dealCreateBody = z.object({
  ...dealFields,
  name: dealFields.name.optional().describe("1–200 characters; with `person`, defaults to the person's name"),
  person: inlinePerson.optional(),
});
const dealUpdateBody = z.object(dealFields).partial();
type DealBody = z.output<typeof dealUpdateBody>;

interface CurrentDeal {
  name: string;
  pipeline_id: string;
  stage_id: string;
  value_minor: string;
  currency: string;
  owner_id: string | null;
  company_id: string | null;
  person_id: string | null;
  expected_close_date: string | null;
}

async function loadCurrent(tx: Tx, id: string): Promise<CurrentDeal> {
  const row = await tx
    .selectFrom("deals")
    .select([
      "name",
      "pipeline_id",
      "stage_id",
      (eb) => eb.cast<string>("value_minor", "text").as("value_minor"),
      "currency",
      "owner_id",
      "company_id",
      "person_id",
      (eb) => eb.cast<string | null>("expected_close_date", "text").as("expected_close_date"),
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw recordNotFound("Deal");
  return row;
}

async function loadDeal(tx: Tx, id: string) {
  const [row] = await rowsInOrder(tx, "deals", [id]);
  if (!row) throw recordNotFound("Deal");
  return represent("deal", row);
}

/**
 * The body (with the stored deal for fields a PATCH leaves out) as the deal
 * form's validated input; the amount is taken as sent, in minor units.
 */
async function dealInput(tx: Tx, orgId: string, body: DealBody, current: CurrentDeal | null): Promise<DealInput> {
  const stageId = body.stage_id ?? current?.stage_id;
  // A new stage without a pipeline: the stage's own pipeline.
  let pipelineId = body.pipeline_id ?? (body.stage_id === undefined ? current?.pipeline_id : undefined);
  if (!pipelineId && stageId) {
    const stage = await tx.selectFrom("pipeline_stages").select("pipeline_id").where("id", "=", stageId).executeTakeFirst();
    if (!stage) throw validationFailed({ stage_id: ["No such stage in this organization"] });
    pipelineId = stage.pipeline_id;
  }
  const [org, defs] = await Promise.all([
    tx.selectFrom("orgs").select("default_currency").where("id", "=", orgId).executeTakeFirst(),
    listCustomFieldDefs(tx, "deal"),
  ]);
  const given = <T>(v: T | undefined, stored: T) => (v === undefined ? stored : v);
  const parsed = dealSchema(org?.default_currency?.trim() || "USD", defs, current ? "update" : "create").safeParse({
    name: given(body.name, current?.name),
    pipelineId,
    stageId,
    currency: given(body.currency, current?.currency.trim()),
    ownerId: given(body.owner_id, current?.owner_id),
    companyId: given(body.company_id, current?.company_id),
    personId: given(body.person_id, current?.person_id),
    expectedCloseDate: given(body.expected_close_date, current?.expected_close_date),
    tags: body.tags,
    priority: body.priority,
    custom: body.custom,
  });
  if (!parsed.success) throw invalidAs(parsed.error, FIELD_NAMES);
  return { ...parsed.data, valueMinor: body.value_minor ?? (current ? Number(current.value_minor) : 0) };
}

/** An inline person's refusal, its fields named under `person`. */
async function personNamed<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (!isDomainError(e) || !e.details) throw e;
    const details = Object.fromEntries(Object.entries(e.details).map(([k, v]) => [`person.${k}`, v]));
    throw new DomainError(e.code, e.message, { details, data: e.data });
  }
}

/** A deal service's refusal under the API's field names. */
async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw renamedFields(e, FIELD_NAMES);
  }
}

export const listDeals = defineOperation({
  id: "listDeals",
  method: "get",
  path: "/deals",
  tag: "Deals",
  summary: "List deals",
  description: [
    "Active deals (archived ones with `archived=1`), newest first unless `sort` says otherwise.",
    "Filter and sort fields: `name`, `stage` (or `stage_id`), `pipeline` (or `pipeline_id`), `status`, `value` (in major units, e.g. `f=value:gt:1000`), `currency`, `company` (or `company_id`), `person` (or `person_id`), `owner` (or `owner_id`; `me` is the key's member), `expected_close_date`, `tags`, `closed_at`, `lost_reason`, `created_at`, `updated_at`, `number` (zero-padded text: `f=number:eq:00042`; `q=42` finds it too), `priority` (`f=priority:eq:true`), `person_email`, `person_phone`, `person_state` (the deal's person's), `source` (of the lead it came from) and `custom.<key>`.",
  ].join("\n\n"),
  scope: "deals:read",
  query: listQuerySchema,
  response: dealList,
  async handle({ tx, actor, query }) {
    const state = listStateFromQuery(
      aliasListQuery(query, {
        stage_id: "stage",
        pipeline_id: "pipeline",
        owner_id: "owner",
        company_id: "company",
        person_id: "person",
      }),
    );
    const page = await listDealRows(tx, state, { pageSize: query.limit, userId: actor.userId });
    const rows = await rowsInOrder(tx, "deals", page.rows.map((r) => r.id));
    return { data: rows.map((r) => represent("deal", r)), next_cursor: page.nextCursor };
  },
});

export const getDeal = defineOperation({
  id: "getDeal",
  method: "get",
  path: "/deals/{id}",
  tag: "Deals",
  summary: "Get a deal",
  scope: "deals:read",
  params: idParams,
  response: dealRecord,
  handle: ({ tx, params }) => loadDeal(tx, params.id),
});

export const createDeal = defineOperation({
  id: "createDeal",
  method: "post",
  path: "/deals",
  tag: "Deals",
  summary: "Create a deal",
  description:
    "The amount is `value_minor`, an integer in the currency's minor unit (12,500.00 USD is `1250000`), beside `currency`. The deal goes to the bottom of its stage's column; a won or lost stage closes it. A deal on a numbered pipeline gets the org's next `number`. A pipeline whose deals are each about one person (`person_required`) needs `person_id` or an inline `person`, created or reused with the deal in one transaction; a person who already has an open deal there is a 409 whose `existing` names it. In the app a pipeline's deals are called by its noun (`noun_singular`, e.g. Case): the API keeps the name deal.",
  scope: "deals:write",
  status: 201,
  idempotent: true,
  body: dealCreateBody,
  response: dealRecord,
  async handle({ tx, actor, claims, body }) {
    const { person: inline, ...fields } = body;
    if (inline && fields.person_id) throw validationFailed({ person: ["Send either person or person_id, not both"] });
    const person = inline ? await personNamed(deals.personForDeal(tx, actorOf(claims), inline)) : null;
    const deal = { ...fields, ...(person ? { person_id: person.id, name: fields.name ?? person.name } : {}) };
    const { id } = await refusing(deals.createDeal(tx, actor, await dealInput(tx, actor.orgId, deal, null)));
    return loadDeal(tx, id);
  },
});

export const updateDeal = defineOperation({
  id: "updateDeal",
  method: "patch",
  path: "/deals/{id}",
  tag: "Deals",
  summary: "Update a deal",
  description:
    "Only the fields sent change; `custom` merges (null clears a key), and `value_minor` stays the same integer when only `currency` changes. A new `stage_id` moves the deal to the bottom of that stage (use `POST /deals/{id}/move` to place it or give a reason); `status` changes through `POST /deals/{id}/status`.",
  scope: "deals:write",
  params: idParams,
  body: dealUpdateBody,
  response: dealRecord,
  async handle({ tx, actor, params, body }) {
    // Nothing sent, nothing written: no update event or audit row for a no-op.
    if (!Object.keys(body).length) return loadDeal(tx, params.id);
    const input = await dealInput(tx, actor.orgId, body, await loadCurrent(tx, params.id));
    await refusing(deals.updateDeal(tx, params.id, input));
    return loadDeal(tx, params.id);
  },
});

function archiveOperation(archived: boolean) {
  return defineOperation({
    id: archived ? "archiveDeal" : "restoreDeal",
    method: "post",
    path: `/deals/{id}/${archived ? "archive" : "restore"}`,
    tag: "Deals",
    summary: archived ? "Archive a deal" : "Restore an archived deal",
    description: "Needs a key whose member is a manager, admin or owner. Repeating it changes nothing.",
    scope: "deals:write",
    params: idParams,
    response: dealRecord,
    async handle({ tx, actor, params }) {
      await loadCurrent(tx, params.id);
      requirePermission(actor.role, "records.archive", "Only managers, admins and owners can archive or restore deals");
      await refusing(deals.archiveDeals(tx, [params.id], archived));
      return loadDeal(tx, params.id);
    },
  });
}
export const archiveDeal = archiveOperation(true);
export const restoreDeal = archiveOperation(false);

export const deleteDeal = defineOperation({
  id: "deleteDeal",
  method: "delete",
  path: "/deals/{id}",
  tag: "Deals",
  summary: "Delete a deal for good",
  description: "Needs a key whose member is an admin or owner. Its notes go with it; tasks stay, unlinked.",
  scope: "deals:write",
  params: idParams,
  status: 204,
  async handle({ tx, actor, params }) {
    await loadCurrent(tx, params.id);
    requirePermission(actor.role, "records.delete", "Only admins and owners can delete deals");
    await refusing(deals.deleteDeals(tx, [params.id]));
    return { status: 204, body: null };
  },
});

const moveBody = z.object({
  stage_id: z.uuid({ error: "Choose a stage" }).describe("The stage to move to; may belong to another pipeline"),
  position: z
    .union([z.enum(["top", "bottom"]), z.number().int().min(0)], {
      error: 'Send "top", "bottom" or a 0-based index in the column',
    })
    .optional()
    .describe('Where in the stage\'s column: "top", "bottom" (default) or a 0-based index among its active deals'),
  reason: zString("Reason", { error: "Send the reason as text" })
    .trim()
    .max(500, "At most 500 characters")
    .nullish()
    .describe("Why, kept in the deal's stage history (and as its lost reason when the stage is a lost one)"),
});

/** The cards the deal lands between, for `position` in the target column (without the deal itself). */
async function neighbours(tx: Tx, dealId: string, stageId: string, position: "top" | "bottom" | number) {
  const column = tx
    .selectFrom("deals")
    .select("id")
    .where("stage_id", "=", stageId)
    .where("archived_at", "is", null)
    .where("id", "<>", dealId);
  if (position === "bottom") {
    const last = await column.orderBy("position", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
    return { beforeId: last?.id ?? null, afterId: null };
  }
  const index = position === "top" ? 0 : position;
  const rows = await column
    .orderBy("position")
    .orderBy("id")
    .offset(Math.max(index - 1, 0))
    .limit(index === 0 ? 1 : 2)
    .execute();
  if (index === 0) return { beforeId: null, afterId: rows[0]?.id ?? null };
  return { beforeId: rows[0]?.id ?? null, afterId: rows[1]?.id ?? null };
}

export const moveDeal = defineOperation({
  id: "moveDeal",
  method: "post",
  path: "/deals/{id}/move",
  tag: "Deals",
  summary: "Move a deal to a stage",
  description:
    "As a drag on the board: records the move (with `reason`) in the deal's stage history and emits `deal.moved`; a won or lost stage also closes the deal. A stage restricted to other roles answers 403.",
  scope: "deals:write",
  params: idParams,
  body: moveBody,
  response: dealRecord,
  async handle({ tx, params, body }) {
    await loadCurrent(tx, params.id);
    const stage = await tx.selectFrom("pipeline_stages").select("id").where("id", "=", body.stage_id).executeTakeFirst();
    if (!stage) throw validationFailed({ stage_id: ["No such stage in this organization"] });
    const around = await neighbours(tx, params.id, stage.id, body.position ?? "bottom");
    await refusing(deals.moveDeal(tx, { id: params.id, stageId: stage.id, ...around, reason: body.reason }));
    return loadDeal(tx, params.id);
  },
});

export const setDealStatus = defineOperation({
  id: "setDealStatus",
  method: "post",
  path: "/deals/{id}/status",
  tag: "Deals",
  summary: "Mark a deal won, lost or open again",
  description:
    "As the deal page's Won/Lost buttons: when the pipeline has a won (lost) stage the deal moves there; reopening returns it to the open stage it came from. `reason` is kept in the stage history and, for `lost`, becomes `lost_reason`.",
  scope: "deals:write",
  params: idParams,
  body: dealStatusSchema.omit({ id: true }),
  response: dealRecord,
  async handle({ tx, params, body }) {
    await loadCurrent(tx, params.id);
    await refusing(deals.setDealStatus(tx, { id: params.id, ...body }));
    return loadDeal(tx, params.id);
  },
});

export const dealOperations = [
  listDeals,
  createDeal,
  getDeal,
  updateDeal,
  deleteDeal,
  archiveDeal,
  restoreDeal,
  moveDeal,
  setDealStatus,
];
