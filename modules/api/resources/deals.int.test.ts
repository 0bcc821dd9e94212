import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import {
  archiveDeal,
  createDeal,
  dealRecord,
  deleteDeal,
  getDeal,
  listDeals,
  moveDeal,
  restoreDeal,
  setDealStatus,
  updateDeal,
} from "./deals";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;
let token: string;
let readOnly: string;
let memberToken: string;
let managerToken: string;
let pipelineId: string;
let stages: Record<string, string>;
let otherDealId: string;
let companyId: string;

/** A key whose member has `role`: made by an admin, who is then given that role. */
async function keyWithRole(role: "member" | "manager") {
  const u = await createMember(t, owner.orgId, "admin");
  const k = await createTestKey(t, u, ["deals:read", "deals:write"]);
  await t.admin`update org_members set role = ${role} where user_id = ${u.id}`;
  return k.token;
}

async function make(body: Record<string, unknown> = {}) {
  const r = await callApi(createDeal, { token, body: { name: "Acme renewal", stage_id: stages.Qualified, ...body } });
  expect(r.status).toBe(201);
  return r.body;
}

const count = async (table: string) =>
  (await t.admin`select count(*)::int as n from ${t.admin(table)} where org_id = ${owner.orgId}`)[0].n as number;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Deal API Co" });
  other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["deals:read", "deals:write"])).token;
  readOnly = (await createTestKey(t, owner, ["deals:read"])).token;
  memberToken = await keyWithRole("member");
  managerToken = await keyWithRole("manager");
  const ps = await t.admin`select s.id, s.name, s.pipeline_id from pipeline_stages s where s.org_id = ${owner.orgId} order by position`;
  pipelineId = ps[0].pipeline_id;
  stages = Object.fromEntries(ps.map((s) => [s.name, s.id]));
  const [os] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${other.orgId} order by position limit 1`;
  [{ id: otherDealId }] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${other.orgId}, 'Secret', ${os.pipeline_id}, ${os.id}, 'USD')
    returning id`;
  [{ id: companyId }] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme') returning id`;
  await t.admin`
    insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
    values (${owner.orgId}, 'deal', 'tier', 'Tier', 'select', ${t.admin.json([{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }])})`;
});

describe("create and get", () => {
  it("creates a deal from value_minor and currency, recorded as the API key", async () => {
    const r = await callApi(createDeal, {
      token,
      body: {
        name: "  Big one ",
        stage_id: stages["Proposal sent"],
        value_minor: 1250000,
        currency: "eur",
        company_id: companyId,
        expected_close_date: "2026-03-31",
        tags: ["vip", "Q1"],
        custom: { tier: "Gold" },
      },
    });
    expect(r.status).toBe(201);
    expect(dealRecord.parse(r.body)).toBeTruthy();
    expect(r.body).toMatchObject({
      object: "deal",
      name: "Big one",
      pipeline_id: pipelineId,
      value_minor: 1250000,
      currency: "EUR",
      status: "open",
      owner_id: owner.id,
      company_id: companyId,
      expected_close_date: "2026-03-31",
      tags: ["vip", "Q1"],
      custom: { tier: "gold" },
      created_by: owner.id,
      archived_at: null,
    });
    const [ev] = await t.admin`select actor_type, actor_id, data from domain_events where object_id = ${r.body.id} and type = 'deal.created'`;
    expect(ev).toMatchObject({ actor_type: "api_key", actor_id: owner.id });
    const [audit] = await t.admin`select actor_type from audit_log where record_id = ${r.body.id}::text and action = 'insert'`;
    expect(audit.actor_type).toBe("api_key");

    const got = await callApi(getDeal, { token: readOnly, params: { id: r.body.id } });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it("defaults the currency to the org's and the amount to 0", async () => {
    const d = await make();
    expect(d).toMatchObject({ value_minor: 0, currency: "USD", stage_id: stages.Qualified });
  });

  it("a won stage closes the deal on create", async () => {
    const d = await make({ stage_id: stages.Won });
    expect(d.status).toBe("won");
    expect(d.closed_at).toEqual(expect.any(String));
  });

  it("refuses bad fields with details naming them, writing nothing", async () => {
    const before = await count("deals");
    const r = await callApi(createDeal, {
      token,
      body: { name: "", stage_id: stages.Qualified, value_minor: 12.5, currency: "XXQ", expected_close_date: "31/03/2026" },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("validation_failed");
    expect(Object.keys(r.body.error.details)).toEqual(["value_minor"]);

    const values = await callApi(createDeal, {
      token,
      body: { name: "", stage_id: stages.Qualified, currency: "XXQ", expected_close_date: "31/03/2026", custom: { tier: "bronze", nope: 1 } },
    });
    expect(values.status).toBe(422);
    expect(values.body.error.details).toMatchObject({
      name: [expect.stringMatching(/name/)],
      expected_close_date: [expect.stringMatching(/2026-03-31/)],
      "custom.tier": [expect.stringMatching(/not an option/)],
      "custom.nope": [expect.stringMatching(/no custom field/)],
    });

    const currency = await callApi(createDeal, { token, body: { name: "X", stage_id: stages.Qualified, currency: "XXQ" } });
    expect(currency.status).toBe(422);
    expect(currency.body.error.details).toEqual({ currency: [expect.stringMatching(/ISO currency/)] });

    const unknown = await callApi(createDeal, { token, body: { name: "X", stage_id: stages.Qualified, value: "12.00", stageId: "x" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ value: ["Unknown field `value`"], stageId: ["Unknown field `stageId`"] });

    const missing = await callApi(createDeal, { token, body: { name: "X" } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual({ stage_id: ["Choose a stage"] });

    const foreignStage = await callApi(createDeal, {
      token,
      body: { name: "X", stage_id: (await t.admin`select id from pipeline_stages where org_id = ${other.orgId} limit 1`)[0].id },
    });
    expect(foreignStage.status).toBe(422);
    expect(foreignStage.body.error.details).toEqual({ stage_id: [expect.stringMatching(/No such stage/)] });

    const badCompany = await callApi(createDeal, { token, body: { name: "X", stage_id: stages.Qualified, company_id: otherDealId } });
    expect(badCompany.status).toBe(422);
    expect(badCompany.body.error.details).toEqual({ company_id: [expect.stringMatching(/company was not found/)] });

    expect(await count("deals")).toBe(before);
  });

  it("returns the first result for a repeated Idempotency-Key", async () => {
    const headers = { "idempotency-key": "deal-create-1" };
    const body = { name: "Once", stage_id: stages.Qualified };
    const a = await callApi(createDeal, { token, body, headers });
    const b = await callApi(createDeal, { token, body, headers });
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect((await t.admin`select count(*)::int as n from deals where name = 'Once'`)[0].n).toBe(1);
  });

  it("needs the write scope", async () => {
    const r = await callApi(createDeal, { token: readOnly, body: { name: "Nope", stage_id: stages.Qualified } });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/deals:write/);
  });

  it("answers 404 for an unknown, malformed or other org's id", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope", otherDealId]) {
      const r = await callApi(getDeal, { token, params: { id } });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
  });
});

describe("update", () => {
  it("changes only the fields sent", async () => {
    const d = await make({ value_minor: 500, tags: ["a"], custom: { tier: "silver" }, company_id: companyId });
    const r = await callApi(updateDeal, { token, params: { id: d.id }, body: { name: "Renamed", value_minor: 9900 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: "Renamed",
      value_minor: 9900,
      tags: ["a"],
      custom: { tier: "silver" },
      company_id: companyId,
      stage_id: stages.Qualified,
    });
    const cleared = await callApi(updateDeal, { token, params: { id: d.id }, body: { company_id: null, custom: { tier: null } } });
    expect(cleared.body).toMatchObject({ company_id: null, custom: {}, name: "Renamed" });
    const [ev] = await t.admin`select actor_type, changes from domain_events where object_id = ${d.id} and type = 'deal.updated' order by occurred_at limit 1`;
    expect(ev.actor_type).toBe("api_key");
    expect(ev.changes.name).toEqual(["Acme renewal", "Renamed"]);
  });

  it("an empty PATCH writes nothing", async () => {
    const d = await make();
    const r = await callApi(updateDeal, { token, params: { id: d.id }, body: {} });
    expect(r.body).toEqual(d);
    const [{ n }] = await t.admin`select count(*)::int as n from domain_events where object_id = ${d.id} and type = 'deal.updated'`;
    expect(n).toBe(0);
  });

  it("a new stage_id moves the deal into that stage's pipeline", async () => {
    const d = await make();
    const r = await callApi(updateDeal, { token, params: { id: d.id }, body: { stage_id: stages.Lost } });
    expect(r.body).toMatchObject({ stage_id: stages.Lost, status: "lost" });
  });

  it("refuses invalid values and other orgs' deals, changing nothing", async () => {
    const d = await make({ name: "Steady" });
    const bad = await callApi(updateDeal, { token, params: { id: d.id }, body: { name: "   ", tags: "x" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toEqual(["tags"]);
    const blank = await callApi(updateDeal, { token, params: { id: d.id }, body: { name: "   " } });
    expect(blank.status).toBe(422);
    expect(blank.body.error.details).toHaveProperty("name");
    expect((await callApi(getDeal, { token, params: { id: d.id } })).body.name).toBe("Steady");

    const foreign = await callApi(updateDeal, { token, params: { id: otherDealId }, body: { name: "Mine now" } });
    expect(foreign.status).toBe(404);
    const [row] = await t.admin`select name from deals where id = ${otherDealId}`;
    expect(row.name).toBe("Secret");
  });

  it("a member may not reassign someone else's deal (403)", async () => {
    const d = await make();
    const r = await callApi(updateDeal, { token: memberToken, params: { id: d.id }, body: { owner_id: null } });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/reassign/);
  });
});

describe("move and status", () => {
  it("moves to a stage at a position with a reason, emitting deal.moved", async () => {
    const stage = stages.Negotiation;
    await make({ stage_id: stage, name: "A" });
    await make({ stage_id: stage, name: "B" });
    const d = await make({ name: "Mover" });
    const order = async () =>
      (await t.admin`select name from deals where stage_id = ${stage} and archived_at is null order by position, id`).map((r) => r.name);

    const top = await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: stage, position: "top", reason: "Call went well" } });
    expect(top.status).toBe(200);
    expect(top.body.stage_id).toBe(stage);
    expect(await order()).toEqual(["Mover", "A", "B"]);
    const [h] = await t.admin`select reason, to_stage_id from deal_stage_history where deal_id = ${d.id} order by id desc limit 1`;
    expect(h).toMatchObject({ reason: "Call went well", to_stage_id: stage });
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'deal.moved'`;
    expect(ev.actor_type).toBe("api_key");

    await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: stage, position: 1 } });
    expect(await order()).toEqual(["A", "Mover", "B"]);
    await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: stage } });
    expect(await order()).toEqual(["A", "B", "Mover"]);
    await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: stage, position: 0 } });
    expect(await order()).toEqual(["Mover", "A", "B"]);
    await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: stage, position: 99 } });
    expect(await order()).toEqual(["A", "B", "Mover"]);
  });

  it("refuses a restricted stage with 403 and a bad stage or position with 422", async () => {
    const d = await make();
    await t.admin`update pipeline_stages set restricted_roles = '{manager}' where id = ${stages.Won}`;
    try {
      const r = await callApi(moveDeal, { token: memberToken, params: { id: d.id }, body: { stage_id: stages.Won } });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/cannot move deals into the "Won" stage/);
      const won = await callApi(setDealStatus, { token: memberToken, params: { id: d.id }, body: { status: "won" } });
      expect(won.status).toBe(403);
      const ok = await callApi(moveDeal, { token: managerToken, params: { id: d.id }, body: { stage_id: stages.Won } });
      expect(ok.status).toBe(200);
    } finally {
      await t.admin`update pipeline_stages set restricted_roles = '{}' where id = ${stages.Won}`;
    }
    const bad = await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: otherDealId, position: -1 } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toEqual(["position"]);
    const gone = await callApi(moveDeal, { token, params: { id: d.id }, body: { stage_id: otherDealId } });
    expect(gone.status).toBe(422);
    expect(gone.body.error.details).toEqual({ stage_id: [expect.stringMatching(/No such stage/)] });
    const foreign = await callApi(moveDeal, { token, params: { id: otherDealId }, body: { stage_id: stages.Qualified } });
    expect(foreign.status).toBe(404);
  });

  it("marks a deal lost with a reason and reopens it", async () => {
    const d = await make({ stage_id: stages.Negotiation });
    const lost = await callApi(setDealStatus, { token, params: { id: d.id }, body: { status: "lost", reason: "Budget cut" } });
    expect(lost.status).toBe(200);
    expect(lost.body).toMatchObject({ status: "lost", stage_id: stages.Lost, lost_reason: "Budget cut" });
    expect(lost.body.closed_at).toEqual(expect.any(String));
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'deal.lost'`;
    expect(ev.actor_type).toBe("api_key");
    const open = await callApi(setDealStatus, { token, params: { id: d.id }, body: { status: "open" } });
    expect(open.body).toMatchObject({ status: "open", stage_id: stages.Negotiation, lost_reason: null, closed_at: null });
    const bad = await callApi(setDealStatus, { token, params: { id: d.id }, body: { status: "done" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual({ status: ["Choose won, lost or open"] });
  });
});

describe("archive, restore, delete", () => {
  it("archives and restores as a manager, not as a member", async () => {
    const d = await make();
    const refused = await callApi(archiveDeal, { token: memberToken, params: { id: d.id } });
    expect(refused.status).toBe(403);
    expect((await t.admin`select archived_at from deals where id = ${d.id}`)[0].archived_at).toBeNull();

    const archived = await callApi(archiveDeal, { token: managerToken, params: { id: d.id } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'deal.archived'`;
    expect(ev.actor_type).toBe("api_key");
    const again = await callApi(archiveDeal, { token: managerToken, params: { id: d.id } });
    expect(again.body.archived_at).toBe(archived.body.archived_at);

    const restored = await callApi(restoreDeal, { token, params: { id: d.id } });
    expect(restored.body.archived_at).toBeNull();
    expect((await callApi(archiveDeal, { token, params: { id: otherDealId } })).status).toBe(404);
  });

  it("deletes as an owner (204), not as a manager; other orgs' ids are 404", async () => {
    const d = await make();
    const refused = await callApi(deleteDeal, { token: managerToken, params: { id: d.id } });
    expect(refused.status).toBe(403);
    const r = await callApi(deleteDeal, { token, params: { id: d.id } });
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    expect((await callApi(getDeal, { token, params: { id: d.id } })).status).toBe(404);
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'deal.deleted'`;
    expect(ev.actor_type).toBe("api_key");

    expect((await callApi(deleteDeal, { token, params: { id: otherDealId } })).status).toBe(404);
    expect((await t.admin`select count(*)::int as n from deals where id = ${otherDealId}`)[0].n).toBe(1);
  });
});

describe("list", () => {
  it("filters by the record's field names, sorts and pages through cursors", async () => {
    const names = ["L1", "L2", "L3", "L4", "L5"];
    for (const [i, name] of names.entries()) await make({ name, tags: ["listed"], value_minor: (i + 1) * 10000 });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: [string, string][] = [["f", "tags:in:listed"], ["sort", "name"], ["limit", "2"]];
      if (cursor) query.push(["cursor", cursor]);
      const r = await callApi(listDeals, { token: readOnly, query });
      expect(r.status).toBe(200);
      r.body.data.forEach((d: unknown) => dealRecord.parse(d));
      seen.push(...r.body.data.map((d: { name: string }) => d.name));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);

    const ok = await callApi(listDeals, {
      token,
      query: [["f", `stage_id:eq:${stages.Qualified}`], ["f", "value:gte:300"], ["f", "tags:in:listed"], ["sort", "-value"], ["f", "owner_id:eq:me"]],
    });
    expect(ok.body.data.map((d: { name: string }) => d.name)).toEqual(["L5", "L4", "L3"]);
  });

  it("lists archived deals with archived=1 and never another org's", async () => {
    const d = await make({ name: "Shelved" });
    await callApi(archiveDeal, { token, params: { id: d.id } });
    const active = await callApi(listDeals, { token, query: "limit=100" });
    expect(active.body.data.map((x: { id: string }) => x.id)).not.toContain(d.id);
    const archived = await callApi(listDeals, { token, query: "archived=1" });
    expect(archived.body.data.map((x: { id: string }) => x.id)).toContain(d.id);
    const all = await callApi(listDeals, { token, query: "limit=100&q=Secret" });
    expect(all.body.data).toEqual([]);
  });

  it("refuses bad cursors, filters and parameters with 400", async () => {
    const cursor = await callApi(listDeals, { token, query: "cursor=not-a-cursor" });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe("invalid_cursor");
    const filter = await callApi(listDeals, { token, query: "f=nope:eq:1" });
    expect(filter.status).toBe(400);
    expect(filter.body.error.details).toHaveProperty("f");
    const limit = await callApi(listDeals, { token, query: "limit=1000" });
    expect(limit.status).toBe(400);
    const unknown = await callApi(listDeals, { token, query: "stage=x" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("invalid_query");
  });
});
