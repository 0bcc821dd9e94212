// REST for matches (modules/matching): list, get, propose, advance one step,
// decline, and a deal's suggestions explained. A match is shown by
// represent("match", …), the function that also writes the `data` of every
// `match.*` webhook. Writes go through the matching service, the same one
// the deal page's Matches panel calls, so the same checks, history,
// timelines, events and notifications follow; scopes are the deals' own.
import { z } from "zod";
import { RawJson, recordNotFound, validationFailed } from "@/lib/api/errors";
import { sql, type Tx } from "@/lib/db";
import { defineOperation, type Operation } from "@/modules/api/core/operation";
import { represent } from "@/modules/api/core/representation";
import { representedJson } from "@/modules/api/core/represent-sql";
import { advanceMatch, declineMatch, matchSuggestions, proposeMatch } from "@/modules/matching";
import { MATCH_STATUSES } from "@/modules/matching/ui";
import { renamedFields, timestamp } from "./crm-input";
import { idParams } from "./records";

const example = {
  object: "match",
  id: "3b8e6f52-9a1c-4d7e-8f20-6c5b4a3d2e19",
  created_at: "2026-12-07T15:04:12.000Z",
  updated_at: "2026-12-08T10:30:00.000Z",
  left_deal_id: "7d0c3f7e-1b9a-4c53-9a57-0c2a5f3e8b61",
  right_deal_id: "5e1c7a92-3f4b-4d8e-a6c0-2b9d8f7e1a35",
  status: "right_review",
  declined_by: null,
  decline_reason: null,
  proposed_by: "0b6f2c4e-8d1a-4f7b-9e3c-5a2d1c0e9f84",
  status_changed_at: "2026-12-08T10:30:00.000Z",
  matched_at: null,
  declined_at: null,
};

export const matchResponse = z
  .object({
    object: z.literal("match"),
    id: z.uuid(),
    created_at: timestamp(),
    updated_at: timestamp(),
    left_deal_id: z.uuid().describe("The deal on the pairing's left pipeline (a surrogacy agency's case)"),
    right_deal_id: z.uuid().describe("The deal on the pairing's right pipeline (the intended parents)"),
    status: z
      .enum(MATCH_STATUSES)
      .describe("proposed → left_review → right_review → meeting → matched, one step at a time; or declined from any open status. The app names the review steps after the pairing's sides: “Surrogate reviewing”, “Intended parents reviewing”"),
    declined_by: z.enum(["left", "right"]).nullable().describe("Which side declined; null when Covey declined it because one of its deals was matched elsewhere"),
    decline_reason: z.string().nullable(),
    proposed_by: z.uuid().nullable().describe("The member who proposed it"),
    status_changed_at: timestamp(),
    matched_at: timestamp().nullable(),
    declined_at: timestamp().nullable(),
  })
  .meta({ examples: [example] });

const listQuery = z
  .object({
    deal_id: z.uuid({ error: "Not a valid deal id" }).optional().describe("Matches of this deal, on either side"),
    status: z.enum(MATCH_STATUSES, { error: `status is one of ${MATCH_STATUSES.join(", ")}` }).optional(),
    cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1–100 (default 50)"),
  })
  .strict();

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

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
  id: "listMatches",
  method: "get",
  path: "/matches",
  tag: "Matches",
  summary: "List matches",
  description: "The organization's matches, newest first; `deal_id` and `status` narrow the list, e.g. `?deal_id=…&status=matched`.",
  scope: "deals:read",
  query: listQuery,
  response: z.object({ data: z.array(matchResponse), next_cursor: z.string().nullable() }),
  async handle({ tx, query }) {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const deal = query.deal_id ?? null;
    const { rows } = await sql<{ json: string; id: string; created_at: string }>`
      select ${representedJson("match", "m")} as json, m.id,
             to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
      from matches m
      where (${deal}::uuid is null or m.left_deal_id = ${deal}::uuid or m.right_deal_id = ${deal}::uuid)
        and (${query.status ?? null}::text is null or m.status = ${query.status ?? null})
        and (${after?.[0] ?? null}::text is null or (m.created_at, m.id) < (${after?.[0] ?? null}::text::timestamptz, ${after?.[1] ?? null}::uuid))
      order by m.created_at desc, m.id desc
      limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next = rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null;
    return new RawJson(`{"data":[${page.map((r) => r.json).join(",")}],"next_cursor":${JSON.stringify(next)}}`);
  },
});

async function loadMatch(tx: Tx, id: string) {
  const { rows } = await sql<Record<string, unknown>>`select * from matches where id = ${id}`.execute(tx);
  if (!rows[0]) throw recordNotFound("Match");
  return represent("match", rows[0]);
}

const get = defineOperation({
  id: "getMatch",
  method: "get",
  path: "/matches/{id}",
  tag: "Matches",
  summary: "Get a match",
  scope: "deals:read",
  params: idParams,
  response: matchResponse,
  handle: ({ tx, params }) => loadMatch(tx, params.id),
});

const API_NAMES = { dealId: "deal_id", counterpartId: "counterpart_deal_id", side: "declined_by" };

const create = defineOperation({
  id: "proposeMatch",
  method: "post",
  path: "/matches",
  tag: "Matches",
  summary: "Propose a match",
  description:
    "Proposes matching two deals whose pipelines are paired (a case with intended parents), in either order: the pairing says which is `left_deal_id`. Needs a key whose member may move deals into both pairing's matched stages (403 otherwise). 409 when the pair already has an open match or either deal is already matched, naming them; 422 naming the field when a deal is not found, archived or not on a paired pipeline.",
  scope: "deals:write",
  status: 201,
  idempotent: true,
  body: z
    .object({
      deal_id: z.uuid({ error: "Not a valid deal id" }),
      counterpart_deal_id: z.uuid({ error: "Not a valid deal id" }).describe("A deal of the partner pipeline"),
    })
    .meta({ examples: [{ deal_id: example.left_deal_id, counterpart_deal_id: example.right_deal_id }] }),
  response: matchResponse,
  async handle({ tx, actor, body }) {
    try {
      const { id } = await proposeMatch(tx, actor.orgId, { dealId: body.deal_id, counterpartId: body.counterpart_deal_id });
      return loadMatch(tx, id);
    } catch (e) {
      throw renamedFields(e, API_NAMES);
    }
  },
});

const advance = defineOperation({
  id: "advanceMatch",
  method: "post",
  path: "/matches/{id}/advance",
  tag: "Matches",
  summary: "Move a match to its next status",
  description:
    "One step on: proposed → left_review → right_review → meeting → matched. Matched moves both deals to their pipeline's matched stage (recorded in their stage history) and declines the deals' other open matches, in the same transaction. `from`, when sent, is the status the caller saw: a match that has moved on since answers 409 instead of skipping a step.",
  scope: "deals:write",
  params: idParams,
  body: z.object({ from: z.enum(MATCH_STATUSES).optional() }),
  response: matchResponse,
  async handle({ tx, params, body }) {
    await advanceMatch(tx, { id: params.id, from: body.from });
    return loadMatch(tx, params.id);
  },
});

const decline = defineOperation({
  id: "declineMatch",
  method: "post",
  path: "/matches/{id}/decline",
  tag: "Matches",
  summary: "Decline a match",
  description: "Declines an open match: which side declined and why, both required. A matched or declined match answers 409.",
  scope: "deals:write",
  params: idParams,
  body: z
    .object({
      declined_by: z.enum(["left", "right"], { error: "declined_by is left or right: the side that declined" }),
      reason: z.string({ error: "Say why the match is declined" }).describe("1–500 characters"),
    })
    .meta({ examples: [{ declined_by: "right", reason: "The parents prefer a surrogate nearer home" }] }),
  response: matchResponse,
  async handle({ tx, params, body }) {
    try {
      await declineMatch(tx, { id: params.id, side: body.declined_by, reason: body.reason });
    } catch (e) {
      throw renamedFields(e, API_NAMES);
    }
    return loadMatch(tx, params.id);
  },
});

const suggestion = z.object({
  deal_id: z.uuid(),
  name: z.string(),
  stage: z.string(),
  met: z.number().int(),
  unmet: z.number().int(),
  unknown: z.number().int(),
  reasons: z.array(
    z.object({
      criterion_id: z.uuid(),
      label: z.string(),
      outcome: z.enum(["met", "unmet", "unknown"]).describe("unknown: the value is not recorded on one of the deals"),
      text: z.string().describe("The reason in words, e.g. “Budget $80,000 ≥ expected $55,000”"),
    }),
  ),
});

const suggestions = defineOperation({
  id: "listMatchSuggestions",
  method: "get",
  path: "/deals/{id}/match-suggestions",
  tag: "Matches",
  summary: "Suggest matches for a deal",
  description:
    "Deals of the partner pipeline that could be matched with this one (open, in the pairing's candidate stages, not matched, no open match with it), best fit first by the organization's match criteria, each with its reasons. 422 when the deal's pipeline is not paired with another.",
  scope: "deals:read",
  params: idParams,
  response: z.object({ data: z.array(suggestion) }),
  async handle({ tx, params }) {
    const found = await tx.selectFrom("deals").select("id").where("id", "=", params.id).executeTakeFirst();
    if (!found) throw recordNotFound("Deal");
    const list = await matchSuggestions(tx, params.id);
    if (!list) throw validationFailed({ id: ["This deal's pipeline is not matched with another"] }, "This deal's pipeline is not matched with another");
    return {
      data: list.map((s) => ({
        deal_id: s.dealId,
        name: s.name,
        stage: s.stageName,
        met: s.met,
        unmet: s.unmet,
        unknown: s.unknown,
        reasons: s.reasons.map((r) => ({ criterion_id: r.criterionId, label: r.label, outcome: r.outcome, text: r.text })),
      })),
    };
  },
});

export const matchOperations: Operation[] = [list, get, create, advance, decline, suggestions];
