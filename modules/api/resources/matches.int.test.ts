// The matches endpoints through the real route handler, on real Postgres
// under RLS: propose (409 on a pair already open), advance to matched
// (both deals moved), decline (422 naming the field without a reason), GET
// equal to every match.* webhook's data, lists narrowed by deal and status,
// suggestions explained, the deals' scopes, and other orgs' matches.
import { beforeAll, describe, expect, it } from "vitest";
import { buildPayload, type WebhookEvent } from "@/modules/webhooks/payload";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { matchOperations } from "./matches";

const t = useTestDatabase();
const op = (id: string) => matchOperations.find((o) => o.id === id)!;
let owner: TestUser;
let token: string;
let readOnly: string;
let otherToken: string;
let stages: Record<string, string>;

async function deal(name: string, stage: string, valueMinor = 0) {
  const [d] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor)
    select ${owner.orgId}, ${name}, s.pipeline_id, s.id, 'USD', ${valueMinor} from pipeline_stages s where s.id = ${stages[stage]}
    returning id`;
  return d.id as string;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Matches API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["deals:read", "deals:write"])).token;
  readOnly = (await createTestKey(t, owner, ["deals:read"])).token;
  otherToken = (await createTestKey(t, other, ["deals:read", "deals:write"])).token;
  stages = {};
  for (const [pipeline, names] of [["Accounts", ["Open", "Matched"]], ["Partners", ["Ready", "Paired"]]] as const) {
    const [p] = await t.admin`insert into pipelines (org_id, name) values (${owner.orgId}, ${pipeline}) returning id`;
    for (const [i, n] of names.entries()) {
      const [s] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name, position) values (${owner.orgId}, ${p.id}, ${n}, ${i}) returning id`;
      stages[n] = s.id;
    }
  }
  const [setting] = await t.admin`
    insert into match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label, left_matched_stage_id, right_matched_stage_id)
    select ${owner.orgId}, l.pipeline_id, r.pipeline_id, 'Account', 'Partner', ${stages.Matched}, ${stages.Paired}
    from pipeline_stages l, pipeline_stages r where l.id = ${stages.Open} and r.id = ${stages.Ready} returning id`;
  await t.admin`
    insert into match_criteria (org_id, setting_id, label, left_field, left_term, operator, right_field, right_term)
    values (${owner.orgId}, ${setting.id}, 'Size', 'deal.value', 'Account', 'lte', 'deal.value', 'capacity')`;
});

describe("/api/v1/matches", () => {
  it("proposes, refuses the pair again with 409, advances to matched moving both deals, and shows the match as its webhooks do", async () => {
    const account = await deal("Acme account", "Open", 500_000);
    const partner = await deal("Bolt partner", "Ready", 900_000);
    const created = await callApi(op("proposeMatch"), { token, body: { deal_id: partner, counterpart_deal_id: account } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ object: "match", left_deal_id: account, right_deal_id: partner, status: "proposed", declined_by: null });
    const id = created.body.id as string;

    const again = await callApi(op("proposeMatch"), { token, body: { deal_id: account, counterpart_deal_id: partner } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", message: 'A match of "Acme account" with "Bolt partner" is already open' });

    const stale = await callApi(op("advanceMatch"), { token, params: { id }, body: { from: "meeting" } });
    expect(stale.status).toBe(409);
    for (const to of ["left_review", "right_review", "meeting", "matched"]) {
      const r = await callApi(op("advanceMatch"), { token, params: { id }, body: {} });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.status).toBe(to);
    }
    const moved = await t.admin`select d.id, s.name from deals d join pipeline_stages s on s.id = d.stage_id where d.id in ${t.admin([account, partner])} order by d.name`;
    expect(moved.map((m) => m.name)).toEqual(["Matched", "Paired"]);

    const got = await callApi(op("getMatch"), { token: readOnly, params: { id } });
    expect(got.body).toMatchObject({ status: "matched", matched_at: expect.any(String) });
    const events = await t.admin<WebhookEvent[]>`
      select event_id, type as event_type, org_id, occurred_at, object_type, object_id, data, changes, actor_type, actor_id
      from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => e.event_type)).toEqual(["match.proposed", "match.status_changed", "match.status_changed", "match.status_changed", "match.matched"]);
    expect(buildPayload(events.at(-1)!).data).toEqual(got.body);
    expect(events.every((e) => e.actor_type === "api_key")).toBe(true);

    const listed = await callApi(op("listMatches"), { token: readOnly, query: [["deal_id", partner], ["status", "matched"]] });
    expect(listed.body).toEqual({ data: [got.body], next_cursor: null });
    expect((await callApi(op("listMatches"), { token: readOnly, query: [["deal_id", partner], ["status", "declined"]] })).body.data).toEqual([]);
  });

  it("declines with the side and a reason, refusing either missing with 422 naming the field", async () => {
    const account = await deal("Crane account", "Open", 100);
    const partner = await deal("Delta partner", "Ready", 50);
    const { body } = await callApi(op("proposeMatch"), { token, body: { deal_id: account, counterpart_deal_id: partner } });
    const blank = await callApi(op("declineMatch"), { token, params: { id: body.id }, body: { declined_by: "right", reason: "  " } });
    expect(blank.status).toBe(422);
    expect(blank.body.error.details).toEqual({ reason: ["Say why the match is declined"] });
    const noSide = await callApi(op("declineMatch"), { token, params: { id: body.id }, body: { reason: "Too small" } });
    expect(noSide.status).toBe(422);
    expect(Object.keys(noSide.body.error.details)).toEqual(["declined_by"]);
    const ok = await callApi(op("declineMatch"), { token, params: { id: body.id }, body: { declined_by: "right", reason: "Too small for us" } });
    expect(ok.body).toMatchObject({ status: "declined", declined_by: "right", decline_reason: "Too small for us" });
    expect((await callApi(op("declineMatch"), { token, params: { id: body.id }, body: { declined_by: "left", reason: "Again" } })).status).toBe(409);
  });

  it("suggests the partner pipeline's deals with their reasons", async () => {
    const account = await deal("Echo account", "Open", 300_000);
    const big = await deal("Fox partner", "Ready", 400_000);
    const small = await deal("Gull partner", "Ready", 100_000);
    const r = await callApi(op("listMatchSuggestions"), { token: readOnly, params: { id: account } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const mine = r.body.data.filter((s: { deal_id: string }) => [big, small].includes(s.deal_id));
    expect(mine.map((s: { name: string; reasons: { outcome: string; text: string }[] }) => [s.name, s.reasons[0].outcome, s.reasons[0].text])).toEqual([
      ["Fox partner", "met", "capacity $4,000 ≥ Account $3,000"],
      ["Gull partner", "unmet", "capacity $1,000 < Account $3,000"],
    ]);
  });

  it("needs deals:write to change matches, and keeps other orgs' matches out of reach", async () => {
    const account = await deal("Hawk account", "Open");
    const partner = await deal("Ibis partner", "Ready");
    expect((await callApi(op("proposeMatch"), { token: readOnly, body: { deal_id: account, counterpart_deal_id: partner } })).status).toBe(403);
    const { body } = await callApi(op("proposeMatch"), { token, body: { deal_id: account, counterpart_deal_id: partner } });
    expect((await callApi(op("getMatch"), { token: otherToken, params: { id: body.id } })).status).toBe(404);
    expect((await callApi(op("advanceMatch"), { token: otherToken, params: { id: body.id }, body: {} })).status).toBe(404);
    expect((await callApi(op("listMatches"), { token: otherToken })).body.data).toEqual([]);
    const foreign = await callApi(op("proposeMatch"), { token: otherToken, body: { deal_id: account, counterpart_deal_id: partner } });
    expect(foreign.status).toBe(422);
    expect(Object.keys(foreign.body.error.details)).toEqual(["deal_id"]);
    expect(await t.admin`select status from matches where id = ${body.id}`).toEqual([{ status: "proposed" }]);
  });
});
