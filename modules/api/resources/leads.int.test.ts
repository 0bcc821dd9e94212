// The leads endpoints through the real route handler, with keys made by the
// real service, on real Postgres under RLS: create (idempotent), get, list
// with source and status filters, update, convert, scopes, other orgs' ids,
// and the events an API write leaves.

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { convertLeadOperation, createLeadOperation, getLeadOperation, leadOperations, listLeadsOperation, updateLeadOperation } from "./leads";
import { getLeadTimeline } from "./timeline";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
let readOnly: string;
let otherToken: string;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Leads API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["leads:read", "leads:write"])).token;
  readOnly = (await createTestKey(t, owner, ["leads:read"])).token;
  otherToken = (await createTestKey(t, other, ["leads:read", "leads:write"])).token;
});

describe("/api/v1/leads", () => {
  it("creates a lead (source api by default) once per Idempotency-Key, with one lead.created", async () => {
    const key = randomUUID();
    const body = { first_name: "Ivy", email: "IVY@example.com", phone: "(415) 555-0190", utm: { source: "partner" } };
    const first = await callApi(createLeadOperation, { token, body, headers: { "idempotency-key": key } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      object: "lead", source: "api", status: "new", email: "ivy@example.com", phone: "+14155550190",
      utm: { source: "partner" }, owner_id: owner.id, person_id: null, converted_at: null,
    });
    expect(first.body).not.toHaveProperty("raw");
    const again = await callApi(createLeadOperation, { token, body, headers: { "idempotency-key": key } });
    expect(again.body.id).toBe(first.body.id);
    const events = await t.admin`select type, actor_type from domain_events where object_id = ${first.body.id}`;
    expect(events).toEqual([{ type: "lead.created", actor_type: "api_key" }]);
  });

  it("refuses bad input naming the field, a read-only key, and another org's lead", async () => {
    const bad = await callApi(createLeadOperation, { token, body: { first_name: "X", email: "nope", status: "limbo" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toContain("email");
    expect((await callApi(createLeadOperation, { token: readOnly, body: { first_name: "Y" } })).status).toBe(403);
    const mine = await callApi(createLeadOperation, { token, body: { first_name: "Mine" } });
    expect((await callApi(getLeadOperation, { token: otherToken, params: { id: mine.body.id } })).status).toBe(404);
  });

  it("lists with the app's filters on source and status", async () => {
    await callApi(createLeadOperation, { token, body: { first_name: "Webby", source: "web_form" } });
    const r = await callApi(listLeadsOperation, { token: readOnly, query: [["f", "source:eq:web_form"]] });
    expect(r.status).toBe(200);
    expect(r.body.data.map((l: { first_name: string }) => l.first_name)).toEqual(["Webby"]);
    const none = await callApi(listLeadsOperation, { token: readOnly, query: [["f", "status:eq:won"]] });
    expect(none.body.data).toEqual([]);
  });

  it("updates the status with a lead.status_changed event, then converts once (409 the second time)", async () => {
    const lead = await callApi(createLeadOperation, { token, body: { first_name: "Cora", email: "cora@corp.example", company_name: "Cora Corp" } });
    const moved = await callApi(updateLeadOperation, { token, params: { id: lead.body.id }, body: { status: "qualified" } });
    expect(moved.body.status).toBe("qualified");
    const [pipeline] = await t.admin`select id from pipelines where org_id = ${owner.orgId} limit 1`;
    const converted = await callApi(convertLeadOperation, {
      token, params: { id: lead.body.id }, body: { deal: { pipeline_id: pipeline.id, value: "900" } },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.converted_at).not.toBeNull();
    const [deal] = await t.admin`select value_minor::int, person_id, company_id from deals where id = ${converted.body.deal_id}`;
    expect(deal).toEqual({ value_minor: 90000, person_id: converted.body.person_id, company_id: converted.body.company_id });
    const twice = await callApi(convertLeadOperation, { token, params: { id: lead.body.id }, body: {} });
    expect(twice.status).toBe(409);
    const types = (await t.admin`select type from domain_events where object_id = ${lead.body.id} order by id`).map((e) => e.type);
    expect(types).toEqual(["lead.created", "lead.status_changed", "lead.converted"]);
    const timeline = await callApi(getLeadTimeline, { token: readOnly, params: { id: lead.body.id } });
    expect(timeline.body.data.map((i: { kind: string }) => i.kind)).toEqual(["converted", "status_changed", "created"]);
  });
});

describe("/api/v1/leads with a source and external_id", () => {
  const op = (id: string) => leadOperations.find((o) => o.id === id)!;

  it("creates the lead once per org, source and external_id (201), and updates it when sent again (200)", async () => {
    await t.admin`insert into lead_sources (org_id, key, label) values (${owner.orgId}, 'partner_feed', 'Partner feed')`;
    const body = { source: "partner_feed", external_id: "crm-4411", first_name: "Una", email: "una@example.com" };
    const first = await callApi(createLeadOperation, { token, body });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ source: "partner_feed", external_id: "crm-4411", first_name: "Una" });
    const again = await callApi(createLeadOperation, { token, body: { ...body, last_name: "Later", status: "qualified" } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, last_name: "Later", status: "qualified", email: "una@example.com" });
    // The same id from another source is another lead.
    const api = await callApi(createLeadOperation, { token, body: { external_id: "crm-4411", first_name: "Una" } });
    expect(api.status).toBe(201);
    expect(api.body).toMatchObject({ source: "api" });
    expect(api.body.id).not.toBe(first.body.id);
    expect(await t.admin`select count(*)::int as n from leads where external_id = 'crm-4411'`).toEqual([{ n: 2 }]);
  });

  it("makes one lead of concurrent sends of the same external_id", async () => {
    const body = { external_id: "race-1", first_name: "Rae" };
    const answers = await Promise.all([1, 2, 3, 4].map(() => callApi(createLeadOperation, { token, body })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await t.admin`select count(*)::int as n from leads where external_id = 'race-1'`).toEqual([{ n: 1 }]);
  });

  it("refuses a source that is not the org's or is archived, and a blank or overlong external_id, naming the field", async () => {
    const unknown = await callApi(createLeadOperation, { token, body: { source: "carrier_pigeon", external_id: "p1", first_name: "P" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ source: ["Choose one of your organization's lead sources"] });
    const other = await callApi(createLeadOperation, { token: otherToken, body: { source: "partner_feed", first_name: "Q" } });
    expect(other.status).toBe(422);
    await t.admin`update lead_sources set archived_at = now() where org_id = ${owner.orgId} and key = 'partner_feed'`;
    const archived = await callApi(createLeadOperation, { token, body: { source: "partner_feed", external_id: "new-one", first_name: "A" } });
    expect(archived.status).toBe(422);
    expect(archived.body.error.details).toEqual({ source: ['The source "Partner feed" is archived; choose another'] });
    const blank = await callApi(createLeadOperation, { token, body: { external_id: " ", first_name: "B" } });
    expect(blank.body.error.details).toEqual({ external_id: ["Enter the external id, or leave it out"] });
    const long = await callApi(createLeadOperation, { token, body: { external_id: "x".repeat(201), first_name: "L" } });
    expect(long.body.error.details).toEqual({ external_id: ["An external id is at most 200 characters"] });
    expect(await t.admin`select count(*)::int as n from leads where first_name in ('A', 'B', 'L', 'P')`).toEqual([{ n: 0 }]);
  });

  it("lists the org's sources and statuses with their labels", async () => {
    const sources = await callApi(op("listLeadSources"), { token: readOnly });
    expect(sources.status).toBe(200);
    expect(sources.body.data).toContainEqual({ object: "lead_source", key: "meta", label: "Meta", built_in: true, archived: false });
    expect(sources.body.data.at(-1)).toEqual({ object: "lead_source", key: "partner_feed", label: "Partner feed", built_in: false, archived: true });
    const statuses = await callApi(op("listLeadStatuses"), { token: readOnly });
    expect(statuses.body.data.map((s: { key: string }) => s.key)).toEqual(["new", "qualified", "routed", "won", "lost"]);
    expect(statuses.body.data[3]).toEqual({ object: "lead_status", key: "won", label: "Won", category: "won", built_in: true, archived: false });
    const elsewhere = await callApi(op("listLeadSources"), { token: otherToken });
    expect(elsewhere.body.data.map((s: { key: string }) => s.key)).not.toContain("partner_feed");
  });
});
