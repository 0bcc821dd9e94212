// REST for a deal's important dates: list, add, edit, remove with the deals
// scopes; bad fields are 422s naming them in the API's words; another org's
// deal is a 404; what the deal's update rules refuse is a 403.
import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createDealDate, deleteDealDateOp, listDealDates, updateDealDateOp } from "./deal-dates";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
let readOnly: string;
let dealId: string;
let otherDealId: string;

async function dealOf(u: TestUser, name: string) {
  const [s] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${u.orgId} order by position limit 1`;
  const [d] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency, owner_id) values (${u.orgId}, ${name}, ${s.pipeline_id}, ${s.id}, 'USD', ${u.id})
    returning id`;
  return d.id as string;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Dates API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["deals:read", "deals:write"])).token;
  readOnly = (await createTestKey(t, owner, ["deals:read"])).token;
  dealId = await dealOf(owner, "Acme renewal");
  otherDealId = await dealOf(other, "Secret");
});

describe("/api/v1/deals/{id}/dates", () => {
  it("adds, lists, edits and removes a deal's dates", async () => {
    const made = await callApi(createDealDate, {
      token,
      params: { id: dealId },
      body: { kind: "Renewal", date: "2031-04-10", note: "Send the quote", remind_days_before: 14 },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ object: "deal_date", deal_id: dealId, kind: "Renewal", date: "2031-04-10", note: "Send the quote", remind_days_before: 14 });
    const early = await callApi(createDealDate, { token, params: { id: dealId }, body: { kind: "Kick-off", date: "2031-01-05" } });
    expect(early.body.remind_days_before).toBeNull();

    const list = await callApi(listDealDates, { token: readOnly, params: { id: dealId } });
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { kind: string }) => d.kind)).toEqual(["Kick-off", "Renewal"]);

    const edited = await callApi(updateDealDateOp, { token, params: { id: dealId, date_id: made.body.id }, body: { date: "2031-05-01" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ kind: "Renewal", date: "2031-05-01", note: "Send the quote", remind_days_before: 14 });

    expect((await callApi(deleteDealDateOp, { token, params: { id: dealId, date_id: early.body.id } })).status).toBe(204);
    expect((await callApi(listDealDates, { token, params: { id: dealId } })).body.data).toHaveLength(1);
  });

  it("answers 422 naming each bad field, writing nothing", async () => {
    const r = await callApi(createDealDate, { token, params: { id: dealId }, body: { kind: "", date: "2031-02-30", remind_days_before: 400 } });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.details).sort()).toEqual(["date", "kind", "remind_days_before"]);
    const [{ n }] = await t.admin`select count(*)::int as n from deal_dates where deal_id = ${dealId} and date = '2031-02-28'`;
    expect(n).toBe(0);
  });

  it("keeps another org's deal out of reach (404), and a read-only key from writing (403)", async () => {
    expect((await callApi(listDealDates, { token, params: { id: otherDealId } })).status).toBe(404);
    expect((await callApi(createDealDate, { token, params: { id: otherDealId }, body: { kind: "X", date: "2031-01-01" } })).status).toBe(404);
    expect((await callApi(createDealDate, { token: readOnly, params: { id: dealId }, body: { kind: "X", date: "2031-01-01" } })).status).toBe(403);
  });
});
