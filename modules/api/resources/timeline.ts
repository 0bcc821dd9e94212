import { z } from "zod";
import { recordNotFound } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { defineOperation } from "@/modules/api/core/operation";
import type { RecordType } from "@/modules/crm/records/ui";
import { listTimeline, TIMELINE_ACTIVITIES, timelineActivitySchema } from "@/modules/crm/timeline";
import { idParams } from "./records";

const timelineQuery = z.object({
  cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  kind: timelineActivitySchema
    .optional()
    .describe(
      `Only one kind of activity, as the app's timeline filter: ${TIMELINE_ACTIVITIES.join(", ")}. ` +
        "Changes are stage, status and field changes and the record's own life (created, archived, merged, converted, routed). " +
        "Each item's `activity` says which it falls in. Keep the same `kind` when following `next_cursor`.",
    ),
});

const timelineItem = z.object({
  id: z.string().describe("Stable id of the item"),
  kind: z
    .string()
    .describe("created, updated, archived, restored, merged, note, task, task_completed, stage_changed, status_changed, sms_sent, sms_received, email, call_logged, call_placed, call_received, …"),
  activity: z.enum(TIMELINE_ACTIVITIES).describe("The kind of activity the item falls in, which `kind` filters on"),
  occurred_at: z.iso.datetime({ offset: true }),
  actor: z.object({
    type: z.enum(["user", "api_key", "system"]),
    id: z.uuid().nullable().describe("The member (for an API key, the key's member); null for system work"),
  }),
  subject: z.object({
    type: z.enum(["person", "company", "deal", "lead", "note", "task"]),
    id: z.uuid(),
  }),
  data: z
    .record(z.string(), z.unknown())
    .describe("What the change was, by kind: `changes` ({field: [old, new]}) for updated, stage names and ids for stage_changed, from/to for status_changed (with the stage names and ids too when the deal changed stage with it)"),
});

const timelinePage = z.object({ data: z.array(timelineItem), next_cursor: z.string().nullable() });

const TABLES = { person: "people", company: "companies", deal: "deals", lead: "leads" } as const;
const FAMILIES = { person: "people", company: "companies", deal: "deals", lead: "leads" } as const;
const PATHS = { person: "people", company: "companies", deal: "deals", lead: "leads" } as const;
const NAMES = { person: ["Person", "People"], company: ["Company", "Companies"], deal: ["Deal", "Deals"], lead: ["Lead", "Leads"] } as const;

async function exists(tx: Tx, type: RecordType, id: string) {
  const row = await tx.selectFrom(TABLES[type]).select("id").where("id", "=", id).executeTakeFirst();
  return !!row;
}

function timelineOperation(type: RecordType) {
  const [one, many] = NAMES[type];
  return defineOperation({
    id: `get${one}Timeline`,
    method: "get",
    path: `/${PATHS[type]}/{id}/timeline`,
    tag: many,
    summary: `The ${one.toLowerCase()}'s timeline, newest first`,
    description:
      `Everything that happened to the ${one.toLowerCase()} and the records shown on its timeline in the app ` +
      `(notes, tasks${type === "deal" || type === "lead" ? "" : ", and their deals' changes"}), newest first; pages never repeat or skip an item while new ones arrive. ` +
      `Needs \`${FAMILIES[type]}:read\` only: note and task items name the note or task in \`subject\` without their content, ` +
      "which the notes and tasks endpoints return with their own scopes.",
    scope: `${FAMILIES[type]}:read`,
    params: idParams,
    query: timelineQuery,
    response: timelinePage,
    async handle({ tx, params, query }) {
      if (!(await exists(tx, type, params.id))) throw recordNotFound(one);
      const page = await listTimeline(tx, { type, id: params.id }, { before: query.cursor, limit: query.limit, activity: query.kind });
      return {
        data: page.items.map((i) => ({
          id: i.id,
          kind: i.kind,
          activity: i.activity,
          occurred_at: i.occurredAt,
          actor: { type: i.actor.type, id: i.actor.id },
          subject: i.subject,
          data: i.data,
        })),
        next_cursor: page.nextCursor,
      };
    },
  });
}

export const getPersonTimeline = timelineOperation("person");
export const getCompanyTimeline = timelineOperation("company");
export const getDealTimeline = timelineOperation("deal");
export const getLeadTimeline = timelineOperation("lead");

export const timelineOperations = [getPersonTimeline, getCompanyTimeline, getDealTimeline, getLeadTimeline];
