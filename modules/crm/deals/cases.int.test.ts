import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createDeal as createDealOp, getDeal as getDealOp, listDeals as listDealsOp, updateDeal as updateDealOp } from "@/modules/api/resources/deals";
import { parseListState } from "@/modules/crm/lists/state";
import { listTimeline } from "@/modules/crm/timeline/queries";
import { listDeals } from "./queries";
import { dealSchema } from "./schema";
import { archiveDeals, assignDeals, createDeal, updateDealField } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let cases: { id: string; stage: string; review: string };
let token: string;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return failureOf(e);
    throw e;
  }
}

async function newCase(name: string, over: Record<string, unknown> = {}) {
  return as(owner, (tx) =>
    createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name, pipelineId: cases.id, stageId: cases.stage, ...over })),
  );
}

const list = (u: TestUser, query: string) => as(u, (tx) => listDeals(tx, parseListState(new URLSearchParams(query)).state, { userId: u.id, pageSize: 100 }));

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Cases Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  cases = await as(owner, async (tx) => {
    const p = await tx.insertInto("pipelines").values({ org_id: owner.orgId, name: "Cases", position: 1, numbered: true }).returning("id").executeTakeFirstOrThrow();
    const [s, r] = await tx
      .insertInto("pipeline_stages")
      .values([
        { org_id: owner.orgId, pipeline_id: p.id, name: "New", position: 0 },
        { org_id: owner.orgId, pipeline_id: p.id, name: "Under review", position: 1 },
      ])
      .returning("id")
      .execute();
    return { id: p.id, stage: s.id, review: r.id };
  });
  token = (await createTestKey(t, owner, ["deals:read", "deals:write"])).token;
});

describe("priority", () => {
  it("is flagged in place by a member, kept on the timeline as a priority change, and filters the list", async () => {
    const d = await newCase("Flag me");
    const plain = await newCase("Leave me");
    await as(member, (tx) => updateDealField(tx, d.id, "priority", "true"));
    const [row] = await t.admin`select priority from deals where id = ${d.id}`;
    expect(row.priority).toBe(true);

    const { items } = await as(owner, (tx) => listTimeline(tx, { type: "deal", id: d.id }));
    expect(items.find((i) => i.kind === "updated")?.changes).toEqual([{ field: "priority", label: "Priority", from: "No", to: "Yes" }]);

    const flagged = await list(owner, "f=priority:eq:true");
    expect(flagged.rows.map((r) => r.id)).toEqual([d.id]);
    expect(flagged.rows[0]).toMatchObject({ priority: "true" });
    expect((await list(owner, "f=priority:eq:false")).rows.map((r) => r.id)).toContain(plain.id);
  });

  it("refuses a value that is not a flag, naming the field", async () => {
    const d = await newCase("Bad flag");
    const r = await act(owner, (tx) => updateDealField(tx, d.id, "priority", "maybe"));
    expect(r).toMatchObject({ ok: false, fieldErrors: { priority: "Choose priority or normal" } });
  });

  it("is in the REST API and in deal.updated events", async () => {
    const made = await callApi(createDealOp, { token, body: { name: "API case", stage_id: cases.stage, priority: true } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ priority: true, number: expect.any(Number) });
    const patched = await callApi(updateDealOp, { token, params: { id: made.body.id }, body: { priority: false } });
    expect(patched.body.priority).toBe(false);
    const [event] = await t.admin`
      select data from domain_events where type = 'deal.updated' and object_id = ${made.body.id} order by id desc limit 1`;
    expect(event.data).toMatchObject({ priority: false, number: made.body.number });
    const bad = await callApi(updateDealOp, { token, params: { id: made.body.id }, body: { priority: "yes" } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("priority");
  });
});

describe("numbers in the list and the API", () => {
  it("shows the number zero-padded, sorts by it and finds it typed with or without its zeros", async () => {
    const d = await newCase("Findable by number");
    const [{ number }] = await t.admin`select number from deals where id = ${d.id}`;
    const padded = String(number).padStart(5, "0");
    const byPadded = await list(owner, `q=${padded}`);
    expect(byPadded.rows.map((r) => r.id)).toEqual([d.id]);
    expect(byPadded.rows[0].number).toBe(padded);
    expect((await list(owner, `q=${number}`)).rows.map((r) => r.id)).toContain(d.id);
    // Text search still finds names through the word index.
    expect((await list(owner, "q=Findable")).rows.map((r) => r.id)).toEqual([d.id]);

    const sorted = await list(owner, `f=pipeline:eq:${cases.id}&sort=number`);
    const numbers = sorted.rows.map((r) => Number(r.number));
    expect(numbers).toEqual(numbers.toSorted((a, b) => a - b));

    const api = await callApi(getDealOp, { token, params: { id: d.id } });
    expect(api.body.number).toBe(Number(number));
    const filtered = await callApi(listDealsOp, { token, query: `f=number:eq:${padded}` });
    expect(filtered.body.data.map((r: { id: string }) => r.id)).toEqual([d.id]);
  });
});

describe("bulk assign and archive", () => {
  it("are for managers and up: a member's attempt is refused by the database and changes nothing", async () => {
    const a = await newCase("Bulk A");
    const b = await newCase("Bulk B");
    const refusedAssign = await act(member, (tx) => assignDeals(tx, [a.id, b.id], member.id));
    expect(refusedAssign).toMatchObject({ ok: false, error: "Only managers, admins and owners can reassign a record owned by someone else" });
    const refusedArchive = await act(member, (tx) => archiveDeals(tx, [a.id, b.id], true));
    expect(refusedArchive).toMatchObject({ ok: false, error: "Only managers, admins and owners can archive or restore records" });
    const rows = await t.admin`select owner_id, archived_at from deals where id in ${t.admin([a.id, b.id])}`;
    expect(rows.every((r) => r.owner_id === owner.id && r.archived_at === null)).toBe(true);

    expect(await act(manager, (tx) => assignDeals(tx, [a.id, b.id], member.id))).toMatchObject({ ok: true, data: { count: 2 } });
    expect(await act(manager, (tx) => archiveDeals(tx, [a.id, b.id], true))).toMatchObject({ ok: true, data: { count: 2 } });
  });

  it("archive and restore keep the stage, the status and the number", async () => {
    const d = await newCase("Archived in review", { stageId: cases.review });
    const [before] = await t.admin`select stage_id, status, number from deals where id = ${d.id}`;
    await as(manager, (tx) => archiveDeals(tx, [d.id], true));
    await as(manager, (tx) => archiveDeals(tx, [d.id], false));
    const [after] = await t.admin`select stage_id, status, number, archived_at from deals where id = ${d.id}`;
    expect(after).toEqual({ ...before, archived_at: null });
    expect(after.stage_id).toBe(cases.review);
  });
});
