import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createDeal as createDealOp, getDeal as getDealOp, listDeals as listDealsOp, updateDeal as updateDealOp } from "@/modules/api/resources/deals";
import { parseListState } from "@/modules/crm/lists/state";
import { searchRecords } from "@/modules/crm/search/queries";
import { listTimeline } from "@/modules/crm/timeline/queries";
import { listDeals } from "./queries";
import { dealSchema } from "./schema";
import { archiveDeals, assignDeals, createDeal, moveDeal, setDealStatus, updateDealField } from "./service";
import { createDealWithPerson } from "./person-deal";

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
  return as(owner, (tx) => createDealWithPerson(tx, { orgId: owner.orgId, userId: owner.id, role: "owner" }, { pipelineId: cases.id, stageId: cases.stage, name, first_name: name, ...over }, { defaultCurrency: "USD" }));
}

const personCase = (u: TestUser, input: Record<string, unknown>) =>
  act(u, (tx) =>
    createDealWithPerson(tx, { orgId: u.orgId, userId: u.id, role: "member" }, { pipelineId: cases.id, stageId: cases.stage, ...input }, { defaultCurrency: "USD" }),
  );

const list = (u: TestUser, query: string) => as(u, (tx) => listDeals(tx, parseListState(new URLSearchParams(query)).state, { userId: u.id, pageSize: 100 }));

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Cases Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  cases = await as(owner, async (tx) => {
    const p = await tx
      .insertInto("pipelines")
      .values({ org_id: owner.orgId, name: "Cases", position: 1, numbered: true, person_required: true, noun_singular: "Case", noun_plural: "Cases" })
      .returning("id")
      .executeTakeFirstOrThrow();
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
    const made = await callApi(createDealOp, { token, body: { name: "API case", stage_id: cases.stage, priority: true, person: { first_name: "Api" } } });
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

describe("numbers in the command palette", () => {
  it("finds a case by its number typed as 42, 00042 or #42, first, saying it matched by its number", async () => {
    const d = await newCase("Palette case");
    const [{ number }] = await t.admin`select number from deals where id = ${d.id}`;
    const padded = String(number).padStart(5, "0");
    // The palette searches from two characters on: a one-digit number is typed with its zeros or #.
    for (const typed of [String(number), padded, `#${number}`].filter((q) => q.length >= 2)) {
      const { deals } = await as(owner, (tx) => searchRecords(tx, typed));
      expect(deals[0]).toMatchObject({ id: d.id, title: "Palette case", match: { field: "number", text: padded } });
    }
    // Another org typing the number finds nothing of ours.
    const stranger = await createUser(t, { orgName: "Stranger Co" });
    expect((await as(stranger, (tx) => searchRecords(tx, padded))).deals.some((h) => h.id === d.id)).toBe(false);
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

describe("contact-first creation", () => {
  it("creates the person and the case in one go, named after the person, with the person's details", async () => {
    const r = await personCase(member, { first_name: "Dana", last_name: "Reyes", email: "Dana.Reyes@Example.com", phone: "(512) 555-0142", state: "texas" });
    if (!r.ok) throw new Error(r.error);
    const [row] = await t.admin`
      select d.name, d.person_id, d.number, d.owner_id, p.full_name, p.email::text, p.phone, p.state
      from deals d join people p on p.id = d.person_id where d.id = ${r.data.id}`;
    expect(row).toMatchObject({ name: "Dana Reyes", person_id: r.data.personId, full_name: "Dana Reyes", email: "dana.reyes@example.com", phone: "+15125550142", state: "TX", owner_id: member.id });
    expect(Number(row.number)).toBeGreaterThan(0);
  });

  it("refuses a second open case for the same email with 409 naming the existing case, writing nothing", async () => {
    const first = await personCase(member, { first_name: "Ivy", last_name: "Stone", email: "ivy.stone@example.com" });
    if (!first.ok) throw new Error(first.error);
    const [{ number }] = await t.admin`select number from deals where id = ${first.data.id}`;
    const people = await count("people");
    const deals = await count("deals");
    const again = await personCase(member, { first_name: "Ivy", last_name: "S.", email: "IVY.STONE@example.com" });
    expect(again).toMatchObject({
      ok: false,
      error: `This person already has an open case on Cases: No. ${String(number).padStart(5, "0")} "Ivy Stone"`,
      existing: { id: first.data.id, href: `/deals/${first.data.id}` },
      fieldErrors: { email: expect.stringContaining("Ivy Stone") },
    });
    expect([await count("people"), await count("deals")]).toEqual([people, deals]);

    const api = await callApi(createDealOp, { token, body: { stage_id: cases.stage, person: { email: "ivy.stone@example.com" } } });
    expect(api.status).toBe(409);
    expect(api.body.error).toMatchObject({ code: "conflict", existing: { id: first.data.id } });
  });

  it("reuses the person with that email when they have no open case here, and allows a new case once the old one is closed", async () => {
    const [person] = await t.admin`
      insert into people (org_id, first_name, last_name, email) values (${owner.orgId}, 'Rosa', 'Vale', 'rosa.vale@example.com') returning id`;
    const r = await personCase(member, { first_name: "Rosa", email: "rosa.vale@example.com" });
    if (!r.ok) throw new Error(r.error);
    expect(r.data.personId).toBe(person.id);
    await as(owner, (tx) => setDealStatus(tx, { id: r.data.id, status: "lost", reason: "Not eligible" }));
    const again = await personCase(member, { email: "rosa.vale@example.com" });
    expect(again.ok).toBe(true);
    // Reopening the lost one would make two open cases: refused by the database.
    const reopen = await act(owner, (tx) => setDealStatus(tx, { id: r.data.id, status: "open" }));
    expect(reopen).toMatchObject({ ok: false, existing: { id: again.ok ? again.data.id : "" } });
  });

  it("holds the rule on every path: a deal moved in, or made through the REST API with the person's id", async () => {
    const first = await personCase(member, { first_name: "Moved", email: "moved.in@example.com" });
    if (!first.ok) throw new Error(first.error);
    const [sales] = await t.admin`select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
      where p.org_id = ${owner.orgId} and p.name = 'Sales' order by s.position limit 1`;
    const other = await as(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name: "Sale", pipelineId: sales.pipeline_id, stageId: sales.id, personId: first.data.personId })),
    );
    expect(await act(owner, (tx) => moveDeal(tx, { id: other.id, stageId: cases.stage }))).toMatchObject({ ok: false, existing: { id: first.data.id } });
    const api = await callApi(createDealOp, { token, body: { name: "Dup", stage_id: cases.stage, person_id: first.data.personId } });
    expect(api.status).toBe(409);
  });

  it("asks for the person on such a pipeline and names bad person fields", async () => {
    const none = await callApi(createDealOp, { token, body: { name: "Nobody", stage_id: cases.stage } });
    expect(none.status).toBe(422);
    expect(none.body.error.details).toHaveProperty("person_id");
    const bad = await callApi(createDealOp, { token, body: { stage_id: cases.stage, person: { first_name: "X", email: "not-an-email" } } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.details)).toEqual(["person.email"]);
    const both = await callApi(createDealOp, { token, body: { stage_id: cases.stage, person_id: owner.id, person: { first_name: "X" } } });
    expect(both.status).toBe(422);
    expect(await personCase(member, { last_name: "" })).toMatchObject({ ok: false, fieldErrors: { first_name: "Enter a name or an email address" } });
  });

  it("lets concurrent creations for one email make only one case", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => t.db.asUser(member.claims, (tx) =>
        createDealWithPerson(tx, { orgId: member.orgId, userId: member.id, role: "member" }, { pipelineId: cases.id, stageId: cases.stage, email: "race@example.com" }, { defaultCurrency: "USD" }),
      )),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [{ n }] = await t.admin`select count(*)::int as n from deals d join people p on p.id = d.person_id where p.email = 'race@example.com'`;
    expect(n).toBe(1);
  });
});

const count = async (table: string) =>
  (await t.admin`select count(*)::int as n from ${t.admin(table)} where org_id = ${owner.orgId}`)[0].n as number;
