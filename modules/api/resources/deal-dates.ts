// REST for a deal's important dates (modules/crm/dates): list, add, edit,
// remove under /deals/{id}/dates, with the deals scopes, since a date is part
// of its deal: whoever may change the deal may change its dates (else 403).
import { z } from "zod";
import { recordNotFound } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { defineOperation } from "@/modules/api/core/operation";
import { addDealDate, deleteDealDate, updateDealDate } from "@/modules/crm/dates";
import { dealDateSchema } from "@/modules/crm/dates/ui";
import { invalidAs, timestamp } from "./crm-input";

const dealParams = z.object({ id: z.uuid() });
const dateParams = z.object({ id: z.uuid(), date_id: z.uuid() });

export const dealDateRecord = z.object({
  object: z.literal("deal_date"),
  id: z.uuid(),
  deal_id: z.uuid(),
  kind: z.string().describe("What the date is, in the org's words (e.g. Medical screening, Renewal)"),
  date: z.string().describe("A calendar date, YYYY-MM-DD, the same in every time zone"),
  note: z.string().nullable(),
  remind_days_before: z
    .number()
    .int()
    .nullable()
    .describe("Days before the date the deal's owner is reminded (0: on the day); null: no reminder"),
  created_by: z.uuid().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

const NAMES = { remindDaysBefore: "remind_days_before" };

const dateBody = z.object({
  kind: z.string({ error: "Send kind as text" }).describe("At most 60 characters"),
  date: z.string({ error: "Send date as YYYY-MM-DD" }).describe("YYYY-MM-DD, year 1900 to 2999"),
  note: z.string({ error: "Send note as text" }).nullish().describe("At most 1,000 characters"),
  remind_days_before: z.number({ error: "Send remind_days_before as a whole number" }).nullish().describe("0 to 365, or null for no reminder"),
});

interface Row {
  id: string;
  deal_id: string;
  kind: string;
  date: string;
  note: string | null;
  remind_days_before: number | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const represent = (r: Row) => ({
  object: "deal_date" as const,
  id: r.id,
  deal_id: r.deal_id,
  kind: r.kind,
  date: r.date,
  note: r.note,
  remind_days_before: r.remind_days_before,
  created_by: r.created_by,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

function rows(tx: Tx) {
  return tx
    .selectFrom("deal_dates")
    .select(["id", "deal_id", "kind", "note", "remind_days_before", "created_by", "created_at", "updated_at"])
    .select((eb) => eb.fn<string>("to_char", ["date", eb.val("YYYY-MM-DD")]).as("date"));
}

async function requireDeal(tx: Tx, id: string) {
  if (!(await tx.selectFrom("deals").select("id").where("id", "=", id).executeTakeFirst())) throw recordNotFound("Deal");
}

async function loadDate(tx: Tx, dealId: string, id: string) {
  const row = await rows(tx).where("id", "=", id).where("deal_id", "=", dealId).executeTakeFirst();
  if (!row) throw recordNotFound("Date");
  return represent(row as Row);
}

function parsed(body: z.infer<typeof dateBody>) {
  const r = dealDateSchema.safeParse({ kind: body.kind, date: body.date, note: body.note, remindDaysBefore: body.remind_days_before });
  if (!r.success) throw invalidAs(r.error, NAMES);
  return r.data;
}

export const listDealDates = defineOperation({
  id: "listDealDates",
  method: "get",
  path: "/deals/{id}/dates",
  tag: "Deals",
  summary: "List a deal's important dates",
  description: "Soonest first, past ones included. On the surrogacy template a deal of the Cases pipeline is a case: these are the case's important dates.",
  scope: "deals:read",
  params: dealParams,
  response: z.object({ data: z.array(dealDateRecord) }),
  async handle({ tx, params }) {
    await requireDeal(tx, params.id);
    const found = await rows(tx).where("deal_id", "=", params.id).orderBy("date").orderBy("created_at").execute();
    return { data: found.map((r) => represent(r as Row)) };
  },
});

export const createDealDate = defineOperation({
  id: "createDealDate",
  method: "post",
  path: "/deals/{id}/dates",
  tag: "Deals",
  summary: "Add an important date to a deal",
  description: "The deal's owner is reminded `remind_days_before` days before the date, in the app and by email. 403 when the key's member may not change the deal.",
  scope: "deals:write",
  status: 201,
  idempotent: true,
  params: dealParams,
  body: dateBody,
  response: dealDateRecord,
  async handle({ tx, actor, params, body }) {
    await requireDeal(tx, params.id);
    const { id } = await addDealDate(tx, actor, params.id, parsed(body));
    return loadDate(tx, params.id, id);
  },
});

export const updateDealDateOp = defineOperation({
  id: "updateDealDate",
  method: "patch",
  path: "/deals/{id}/dates/{date_id}",
  tag: "Deals",
  summary: "Edit an important date",
  description: "Fields left out keep their value. A new date or reminder is reminded of again.",
  scope: "deals:write",
  params: dateParams,
  body: dateBody.partial(),
  response: dealDateRecord,
  async handle({ tx, params, body }) {
    const current = await loadDate(tx, params.id, params.date_id);
    await updateDealDate(tx, params.date_id, parsed({ ...current, ...body } as z.infer<typeof dateBody>));
    return loadDate(tx, params.id, params.date_id);
  },
});

export const deleteDealDateOp = defineOperation({
  id: "deleteDealDate",
  method: "delete",
  path: "/deals/{id}/dates/{date_id}",
  tag: "Deals",
  summary: "Remove an important date",
  scope: "deals:write",
  params: dateParams,
  status: 204,
  async handle({ tx, params }) {
    await loadDate(tx, params.id, params.date_id);
    await deleteDealDate(tx, params.date_id);
    return { status: 204, body: null };
  },
});

export const dealDateOperations = [listDealDates, createDealDate, updateDealDateOp, deleteDealDateOp];
