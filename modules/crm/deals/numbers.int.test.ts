import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, type Tx } from "@/lib/db";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listPipelines } from "@/modules/crm/pipelines/queries";
import { dealSchema } from "./schema";
import { createDeal, moveDeal } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let member: TestUser;
let other: TestUser;
let cases: { id: string; stage: string };
let sales: { id: string; stage: string };
let otherCases: { id: string; stage: string };
// 20 connections of the app's own login role, one per concurrent transaction.
let wide: Database;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>, db: Database = t.db) => db.asUser(u.claims, fn);

/** A second pipeline, numbered, made by the org's owner through SQL as the user. */
async function numberedPipeline(u: TestUser): Promise<{ id: string; stage: string }> {
  return as(u, async (tx) => {
    const p = await tx.insertInto("pipelines").values({ org_id: u.orgId, name: "Cases", position: 1, numbered: true }).returning("id").executeTakeFirstOrThrow();
    const s = await tx
      .insertInto("pipeline_stages")
      .values({ org_id: u.orgId, pipeline_id: p.id, name: "New", position: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: p.id, stage: s.id };
  });
}

function dealOn(u: TestUser, where: { id: string; stage: string }, name: string, db: Database = t.db) {
  return as(u, (tx) => createDeal(tx, { orgId: u.orgId, userId: u.id }, dealSchema("USD").parse({ name, pipelineId: where.id, stageId: where.stage })), db);
}

async function numberOf(id: string): Promise<number | null> {
  const [row] = await t.admin`select number from deals where id = ${id}`;
  return row.number === null ? null : Number(row.number);
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Numbered Co" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Co" });
  cases = await numberedPipeline(owner);
  otherCases = await numberedPipeline(other);
  const [p] = await as(owner, (tx) => listPipelines(tx));
  sales = { id: p.id, stage: p.stages[0].id };
  wide = createDatabase(t.appUrl, { max: 20 });
});

afterAll(async () => {
  await wide?.destroy();
});

describe("deal numbers", () => {
  it("gives 20 deals created at once from 20 connections the numbers 1 to 20, none twice, none skipped", async () => {
    // Every transaction is open before any inserts, so the inserts really race.
    let arrived = 0;
    let release!: () => void;
    const allOpen = new Promise<void>((r) => (release = r));
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        as(
          member,
          async (tx) => {
            await tx.selectFrom("pipelines").select("id").where("id", "=", cases.id).execute();
            if (++arrived === 20) release();
            await allOpen;
            return createDeal(tx, { orgId: member.orgId, userId: member.id }, dealSchema("USD").parse({ name: `Case ${i}`, pipelineId: cases.id, stageId: cases.stage }));
          },
          wide,
        ),
      ),
    );
    const numbers = await Promise.all(ids.map((d) => numberOf(d.id)));
    expect(numbers.toSorted((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("gives a rolled-back insert's number back: the next deal takes it", async () => {
    await expect(
      as(member, async (tx) => {
        const d = await createDeal(tx, { orgId: member.orgId, userId: member.id }, dealSchema("USD").parse({ name: "Abandoned", pipelineId: cases.id, stageId: cases.stage }));
        expect(await tx.selectFrom("deals").select("number").where("id", "=", d.id).executeTakeFirstOrThrow()).toEqual({ number: "21" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const next = await dealOn(member, cases, "Kept");
    expect(await numberOf(next.id)).toBe(21);
  });

  it("numbers each org on its own", async () => {
    const theirs = await dealOn(other, otherCases, "Their first case");
    expect(await numberOf(theirs.id)).toBe(1);
    const ours = await dealOn(owner, cases, "Ours");
    expect(await numberOf(ours.id)).toBe(22);
  });

  it("leaves deals of a pipeline that is not numbered without a number", async () => {
    const d = await dealOn(owner, sales, "Plain sale");
    expect(await numberOf(d.id)).toBeNull();
  });

  it("keeps a number when the deal leaves its numbered pipeline, and numbers a deal moving in without one", async () => {
    const numbered = await dealOn(owner, cases, "Travelling case");
    const n = await numberOf(numbered.id);
    await as(owner, (tx) => moveDeal(tx, { id: numbered.id, stageId: sales.stage }));
    expect(await numberOf(numbered.id)).toBe(n);
    await as(owner, (tx) => moveDeal(tx, { id: numbered.id, stageId: cases.stage }));
    expect(await numberOf(numbered.id)).toBe(n);

    const plain = await dealOn(owner, sales, "Becomes a case");
    await as(owner, (tx) => moveDeal(tx, { id: plain.id, stageId: cases.stage }));
    expect(await numberOf(plain.id)).toBe(n! + 1);
  });

  it("refuses to let anyone write a number, and keeps (org, number) unique", async () => {
    const d = await dealOn(owner, cases, "Fixed number");
    await expect(as(owner, (tx) => tx.updateTable("deals").set({ number: 999 } as never).where("id", "=", d.id).execute())).rejects.toThrow(
      /permission denied/,
    );
    const [{ number }] = await t.admin`select number from deals where id = ${d.id}`;
    const [twin] = await t.admin`select id from deals where org_id = ${owner.orgId} and id <> ${d.id} and number is not null limit 1`;
    // Even the trusted path cannot give two deals one number: the trigger keeps a deal's number.
    await t.admin`update deals set number = ${number} where id = ${twin.id}`;
    expect(await numberOf(twin.id)).not.toBe(Number(number));
  });

  it("numbers a pipeline's unnumbered deals, oldest first, when numbering is turned on", async () => {
    const pipeline = await as(owner, async (tx) => {
      const p = await tx.insertInto("pipelines").values({ org_id: owner.orgId, name: "Later numbered", position: 2 }).returning("id").executeTakeFirstOrThrow();
      const s = await tx.insertInto("pipeline_stages").values({ org_id: owner.orgId, pipeline_id: p.id, name: "New", position: 0 }).returning("id").executeTakeFirstOrThrow();
      return { id: p.id, stage: s.id };
    });
    const first = await dealOn(owner, pipeline, "First");
    const second = await dealOn(owner, pipeline, "Second");
    expect(await numberOf(first.id)).toBeNull();
    const [{ last }] = await t.admin`select last from private.deal_number_counters where org_id = ${owner.orgId}`;
    await as(owner, (tx) => tx.updateTable("pipelines").set({ numbered: true }).where("id", "=", pipeline.id).execute());
    expect([await numberOf(first.id), await numberOf(second.id)]).toEqual([Number(last) + 1, Number(last) + 2]);
  });

  it("lets only owners and admins number a pipeline", async () => {
    const changed = await as(member, (tx) => tx.updateTable("pipelines").set({ numbered: false }).where("id", "=", cases.id).executeTakeFirst());
    expect(Number(changed.numUpdatedRows)).toBe(0);
  });
});
