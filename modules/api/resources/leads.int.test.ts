// The leads endpoints through the real route handler, with keys made by the
// real service, on real Postgres under RLS: create (idempotent), get, list
// with source and status filters, update, convert, scopes, other orgs' ids,
// and the events an API write leaves.

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { convertLeadOperation, createLeadOperation, getLeadOperation, listLeadsOperation, updateLeadOperation } from "./leads";
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
