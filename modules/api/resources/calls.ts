// REST for calls: list and get the org's calls (through its Twilio numbers
// and logged by hand), log a call made outside Covey, and place one
// (click-to-call) through modules/calls's placeCall. A call is shown
// by represent("call", …), the function that also writes the `data` of
// every `call.*` webhook, so the two cannot differ. Logging goes through
// modules/calls's logCall, the service of the Log call dialog: the same
// checks, the same timeline item and `call.logged`.
import { z } from "zod";
import { RawJson, recordNotFound, validationFailed } from "@/lib/api/errors";
import { sql, type Tx } from "@/lib/db";
import { isIsoDate, isIsoDateTime } from "@/lib/validation";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import { representedJson } from "@/modules/api/core/represent-sql";
import { CALL_OUTCOMES, type CallOutcome, logCall, placeCall } from "@/modules/calls";
import { appTwilioDeps } from "@/modules/twilio";
import { renamedFields, timestamp } from "./crm-input";
import { idParams } from "./records";

const STATUSES = ["queued", "ringing", "in-progress", "completed", "busy", "no-answer", "failed", "canceled"] as const;
const OUTCOMES = Object.keys(CALL_OUTCOMES) as [CallOutcome, ...CallOutcome[]];
const MAX_SECONDS = 86_400;

const example = {
  object: "call",
  id: "7d0c3f7e-1b9a-4c53-9a57-0c2a5f3e8b61",
  created_at: "2026-12-07T15:04:12.000Z",
  updated_at: "2026-12-07T15:04:12.000Z",
  direction: "outbound",
  source: "manual",
  from: null,
  to: "+14155550123",
  status: "completed",
  outcome: "left_voicemail",
  notes: "Asked her to call back about the quote.",
  duration_seconds: 150,
  user_id: "0b6f2c4e-8d1a-4f7b-9e3c-5a2d1c0e9f84",
  answered_by: null,
  recording_url: null,
  recording_duration_seconds: null,
  voicemail: false,
  error_code: null,
  error_message: null,
  provider_sid: null,
  person_id: "5e1c7a92-3f4b-4d8e-a6c0-2b9d8f7e1a35",
  lead_id: null,
  started_at: "2026-12-07T15:00:00.000Z",
  answered_at: null,
  ended_at: null,
};

export const callResponse = z
  .object({
    object: z.literal("call"),
    id: z.uuid(),
    created_at: timestamp(),
    updated_at: timestamp(),
    direction: z.enum(["inbound", "outbound"]),
    source: z.enum(["twilio", "manual"]).describe("twilio: through one of the organization's numbers; manual: logged by a member"),
    from: z.string().nullable().describe("E.164: who called (the contact for inbound calls, the organization's number for outbound); null when a logged call does not know it or the caller withheld their number"),
    to: z.string().nullable().describe("E.164: who was called"),
    status: z.enum(STATUSES).describe("Twilio's call status; a logged call's outcome stands for completed, busy or no-answer"),
    outcome: z.enum(OUTCOMES).nullable().describe("How a logged call went, in the member's words; null for Twilio calls"),
    notes: z.string(),
    duration_seconds: z.number().int().min(0).max(MAX_SECONDS).nullable(),
    user_id: z.uuid().nullable().describe("The member who placed or logged it"),
    answered_by: z.uuid().nullable().describe("The member whose phone took an inbound call"),
    recording_url: z.string().nullable().describe("The recording or voicemail, as Twilio hosts it"),
    recording_duration_seconds: z.number().int().min(0).max(MAX_SECONDS).nullable(),
    voicemail: z.boolean(),
    error_code: z.number().int().nullable().describe("Twilio's error code when it refused to place the call"),
    error_message: z.string().nullable().describe("Twilio's reason, when it refused to place the call"),
    provider_sid: z.string().nullable().describe("Twilio's CallSid"),
    person_id: z.uuid().nullable(),
    lead_id: z.uuid().nullable(),
    started_at: timestamp(),
    answered_at: timestamp().nullable(),
    ended_at: timestamp().nullable(),
  })
  .meta({ examples: [example] });

// A day (YYYY-MM-DD, a UTC day, whole) or an instant with its offset.
const instantOrDay = (name: string, description: string) =>
  z
    .string()
    .refine((v) => isIsoDateTime(v) || isIsoDate(v), `${name} is an ISO 8601 date (2026-12-07) or time with offset (2026-12-07T15:00:00Z)`)
    .describe(description);

const listQuery = z
  .object({
    person_id: z.uuid({ error: "Not a valid person id" }).optional().describe("Calls with this person"),
    lead_id: z.uuid({ error: "Not a valid lead id" }).optional().describe("Calls with this lead"),
    direction: z.enum(["inbound", "outbound"]).optional(),
    status: z.enum(STATUSES).optional(),
    source: z.enum(["twilio", "manual"]).optional().describe("twilio: through the organization's numbers; manual: logged by members"),
    started_from: instantOrDay("started_from", "Calls started at or after this time, or from the start of this day (UTC): `2026-12-01`, `2026-12-01T09:00:00-05:00`").optional(),
    started_to: instantOrDay("started_to", "Calls started before this time, or by the end of this day (UTC), inclusive: `2026-12-07`").optional(),
    cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  })
  .strict();

/** The first instant of a bound; a day's end is the start of the next day, exclusive. */
function bound(v: string | undefined, end: boolean): string | null {
  if (!v) return null;
  if (v.includes("T")) return new Date(v).toISOString();
  const d = new Date(`${v}T00:00:00.000Z`);
  if (end) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

const encodeCursor = (startedAt: string, id: string) => Buffer.from(JSON.stringify([startedAt, id])).toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && z.uuid().safeParse(v[1]).success) return [v[0], v[1] as string];
  } catch {
    // refused below
  }
  throw validationFailed({ cursor: ["Pass `next_cursor` from the previous page unchanged"] }, "The cursor is not valid");
}

const list = defineOperation({
  id: "listCalls",
  method: "get",
  path: "/calls",
  tag: "Calls",
  summary: "List calls",
  description:
    "The organization's calls, through its Twilio numbers and logged by members, most recently started first. `person_id`, `lead_id`, `direction`, `status`, `source`, `started_from` and `started_to` narrow the list, e.g. `?person_id=…&started_from=2026-12-01&started_to=2026-12-07` for a person's calls in the first week of December (UTC, both days whole).",
  scope: "calls:read",
  query: listQuery,
  response: z.object({ data: z.array(callResponse), next_cursor: z.string().nullable() }),
  async handle({ tx, query }) {
    const from = bound(query.started_from, false);
    const to = bound(query.started_to, true);
    if (from && to && from >= to) throw validationFailed({ started_to: ["started_to is before started_from"] });
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    // The page's JSON is written by the database, field for field as represent() writes it. The
    // cursor's time goes as text: a timestamptz parameter goes through a JavaScript Date, which cuts microseconds.
    const { rows } = await sql<{ json: string; id: string; started_at: string }>`
      select ${representedJson("call", "c")} as json, c.id,
             to_char(c.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_at
      from calls c
      where (${query.person_id ?? null}::uuid is null or c.person_id = ${query.person_id ?? null})
        and (${query.lead_id ?? null}::uuid is null or c.lead_id = ${query.lead_id ?? null})
        and (${query.direction ?? null}::text is null or c.direction = ${query.direction ?? null})
        and (${query.status ?? null}::text is null or c.status = ${query.status ?? null})
        and (${query.source ?? null}::text is null or c.source = ${query.source ?? null})
        and (${from}::timestamptz is null or c.started_at >= ${from}::timestamptz)
        and (${to}::timestamptz is null or c.started_at < ${to}::timestamptz)
        and (${after?.[0] ?? null}::text is null or (c.started_at, c.id) < (${after?.[0] ?? null}::text::timestamptz, ${after?.[1] ?? null}::uuid))
      order by c.started_at desc, c.id desc
      limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next = rows.length > query.limit && last ? encodeCursor(last.started_at, last.id) : null;
    return new RawJson(`{"data":[${page.map((r) => r.json).join(",")}],"next_cursor":${JSON.stringify(next)}}`);
  },
});

async function loadCall(tx: Tx, id: string) {
  const { rows } = await sql<Record<string, unknown>>`select * from calls where id = ${id}`.execute(tx);
  if (!rows[0]) throw recordNotFound("Call");
  return represent("call", rows[0]);
}

const get = defineOperation({
  id: "getCall",
  method: "get",
  path: "/calls/{id}",
  tag: "Calls",
  summary: "Get a call",
  description: "The call as it is now: a Twilio call's status, duration and recording move as Twilio reports them.",
  scope: "calls:read",
  params: idParams,
  response: callResponse,
  handle: ({ tx, params }) => loadCall(tx, params.id),
});

const logBody = z
  .object({
    person_id: z.uuid({ error: "Not a valid person id" }).optional(),
    lead_id: z.uuid({ error: "Not a valid lead id" }).optional().describe("Exactly one of person_id and lead_id: who the call was with"),
    direction: z.enum(["outbound", "inbound"], { error: "direction is outbound (the member called) or inbound (they called the member)" }),
    outcome: z.enum(OUTCOMES, { error: `outcome is one of ${OUTCOMES.join(", ")}` }),
    duration_seconds: z
      .number({ error: "duration_seconds is a whole number of seconds" })
      .int("duration_seconds is a whole number of seconds")
      .min(0, `duration_seconds is between 0 and ${MAX_SECONDS}`)
      .max(MAX_SECONDS, `duration_seconds is between 0 and ${MAX_SECONDS} (a day)`)
      .nullable()
      .optional()
      .describe("How long it lasted; left out or null when unknown"),
    notes: z.string().optional().describe("At most 5,000 characters"),
    started_at: z.string().optional().describe("When the call happened, ISO 8601 with offset (default: now); never in the future"),
  })
  .meta({
    examples: [
      {
        person_id: "5e1c7a92-3f4b-4d8e-a6c0-2b9d8f7e1a35",
        direction: "outbound",
        outcome: "left_voicemail",
        duration_seconds: 150,
        notes: "Asked her to call back about the quote.",
        started_at: "2026-12-07T15:00:00Z",
      },
    ],
  });

// The Log call dialog's field names, as this body names them.
const API_NAMES: Record<string, string> = { minutes: "duration_seconds", at: "started_at", "record.id": "person_id", "record.type": "person_id", record: "person_id" };

const create = defineOperation({
  id: "logCall",
  method: "post",
  path: "/calls",
  tag: "Calls",
  summary: "Log a call made outside Covey",
  description:
    "Records a call the key's member made or took on another phone, on the person's or lead's timeline at once, and sends `call.logged` to webhooks. The contact's number is the record's phone when it has one. Refused with a 422 naming the field, writing nothing: a duration past a day, an unknown outcome, a time in the future. Send an `Idempotency-Key` to retry safely.",
  scope: "calls:write",
  body: logBody,
  response: callResponse,
  status: 201,
  idempotent: true,
  async handle({ tx, actor, body }) {
    const records = (["person", "lead"] as const).filter((k) => body[`${k}_id`]);
    if (records.length !== 1) {
      const message = "Send exactly one of person_id and lead_id";
      throw validationFailed(Object.fromEntries((records.length ? records.map((k) => `${k}_id`) : ["person_id"]).map((k) => [k, [message]])), message);
    }
    const type = records[0];
    const names = { ...API_NAMES, "record.id": `${type}_id`, "record.type": `${type}_id`, record: `${type}_id` };
    try {
      const call = await logCall(tx, actor.userId, actor.orgId, {
        record: { type, id: body[`${type}_id`] },
        direction: body.direction,
        outcome: body.outcome,
        minutes: body.duration_seconds === null || body.duration_seconds === undefined ? "" : body.duration_seconds / 60,
        notes: body.notes,
        at: body.started_at,
      });
      return loadCall(tx, call.id);
    } catch (e) {
      throw renamedFields(e, names);
    }
  },
});

const dialBody = z
  .object({
    person_id: z.uuid({ error: "Not a valid person id" }).optional(),
    lead_id: z.uuid({ error: "Not a valid lead id" }).optional(),
    deal_id: z.uuid({ error: "Not a valid deal id" }).optional().describe("Exactly one of person_id, lead_id and deal_id: who to call (a deal's person)"),
    number: z.string().optional().describe("E.164, one of the record's own numbers (default: its main phone)"),
  })
  .meta({ examples: [{ person_id: "5e1c7a92-3f4b-4d8e-a6c0-2b9d8f7e1a35", number: "+14155550123" }] });

const dial = defineOperation({
  id: "placeCall",
  method: "post",
  path: "/calls/dial",
  tag: "Calls",
  summary: "Place a call (click-to-call)",
  description:
    "Rings the key's member's own phone (their profile's phone) from one of the organization's voice numbers and, once they answer, connects them to the contact, who sees the organization's number. The call is answered `queued` with Twilio's `provider_sid`, on the record's timeline with `call.started`; Twilio's callbacks then move it to `ringing`, `in-progress` and `completed` with `duration_seconds` (or `busy`, `no-answer`, `failed`), as `GET /calls/{id}` and the `call.ended` webhook show. 409 when the member has no phone on their profile or the organization no Twilio account or voice number; 422 naming the field when the record has no number to call or `number` is not one of its own, and with Twilio's reason when Twilio refuses the call; 502 when Twilio cannot be reached. A refused call writes nothing. Send an `Idempotency-Key`, so that a retry never rings the member twice.",
  scope: "calls:write",
  body: dialBody,
  response: callResponse,
  status: 201,
  idempotent: true,
  async handle({ tx, actor, body }) {
    const records = (["person", "lead", "deal"] as const).filter((k) => body[`${k}_id`]);
    if (records.length !== 1) {
      const message = "Send exactly one of person_id, lead_id and deal_id";
      throw validationFailed(Object.fromEntries((records.length ? records.map((k) => `${k}_id`) : ["person_id"]).map((k) => [k, [message]])), message);
    }
    const type = records[0];
    // The record names who is called: its having no number (`to`) is said of it.
    const names = { "record.id": `${type}_id`, "record.type": `${type}_id`, record: `${type}_id`, to: `${type}_id` };
    try {
      // In the request's transaction: a refusal leaves nothing, and Twilio's callbacks wait on the call's lock until it commits.
      const placed = await placeCall(appTwilioDeps(), (fn) => fn(tx), actor, { record: { type, id: body[`${type}_id`] }, number: body.number });
      return loadCall(tx, placed.id);
    } catch (e) {
      throw renamedFields(e, names);
    }
  },
});

export { create as logCallOperation, dial as placeCallOperation, get as getCallOperation, list as listCallsOperation };
export const callOperations: Operation[] = [list, get, create, dial];
