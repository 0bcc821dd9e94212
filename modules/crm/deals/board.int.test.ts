// The Kanban's reads at column scale: a first page per column, the rest of
// a column by keyset in board order, totals over every deal, and one version
// string whether it comes with the board or from the poll: a counter each
// committed write of the pipeline's deals or stages bumps once, at commit.
import { beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/lib/db";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listPipelines } from "@/modules/crm/pipelines/queries";
import { boardVersion, loadBoard, loadStageCards } from "./queries";
import { archiveDeals, moveDeal, setDealStatus } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let pipelineId: string;
let first: string;
let second: string;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Board Scale Co" });
  const [p] = await as(owner, (tx) => listPipelines(tx));
  pipelineId = p.id;
  [first, second] = p.stages.map((s) => s.id);
  // 60 deals in the first stage (some sharing a position, so the id breaks ties), 3 in the second.
  await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, owner_id, tags)
    select ${owner.orgId}, 'Deal ' || lpad(i::text, 2, '0'), ${pipelineId}, ${first}, (i / 2)::float8, 1000 * i, 'USD', ${owner.id},
           case when i % 3 = 0 then '{hot}'::text[] else '{}' end
    from generate_series(1, 60) i`;
  await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency)
    select ${owner.orgId}, 'Later ' || i, ${pipelineId}, ${second}, i, 500, 'EUR' from generate_series(1, 3) i`;
});

describe("board", () => {
  it("counts a card's days in stage from its last move into the stage, not from a status change within it", async () => {
    const [deal] = await t.admin<{ id: string }[]>`select id from deals where org_id = ${owner.orgId} and name = 'Later 2'`;
    await t.admin`update deal_stage_history set changed_at = now() - interval '9 days' where deal_id = ${deal.id}`;
    await t.admin`
      insert into deal_stage_history (org_id, deal_id, from_stage_id, to_stage_id, from_status, to_status, changed_at)
      values (${owner.orgId}, ${deal.id}, ${second}, ${second}, 'open', 'open', now() - interval '2 days')`;
    const board = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id, perColumn: 25 }));
    const days = Object.fromEntries(board.cards.filter((c) => c.stageId === second).map((c) => [c.name, c.daysInStage]));
    expect(days).toEqual({ "Later 1": 0, "Later 2": 9, "Later 3": 0 });
  });

  it("shows a first page per column with totals over the whole column", async () => {
    const board = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id, perColumn: 25 }));
    const col = board.cards.filter((c) => c.stageId === first);
    expect(col).toHaveLength(25);
    expect(board.cards.filter((c) => c.stageId === second).map((c) => c.name)).toEqual(["Later 1", "Later 2", "Later 3"]);
    expect(board.totals[first]).toEqual({ count: 60, values: [{ currency: "USD", minor: String(1000 * ((60 * 61) / 2)) }] });
    expect(board.totals[second]).toEqual({ count: 3, values: [{ currency: "EUR", minor: "1500" }] });
  });

  it("leaves won and lost deals off the board's columns but counts them in their stages' totals", async () => {
    const [p] = await as(owner, (tx) => listPipelines(tx));
    const won = p.stages.find((s) => s.isWon)!;
    const [deal] = await t.admin<{ id: string }[]>`select id from deals where org_id = ${owner.orgId} and name = 'Later 3'`;
    await as(owner, (tx) => setDealStatus(tx, { id: deal.id, status: "won" }));
    const board = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id, perColumn: 25 }));
    expect(board.cards.some((c) => c.id === deal.id)).toBe(false);
    expect(board.totals[won.id]).toEqual({ count: 1, values: [{ currency: "EUR", minor: "500" }] });
    await as(owner, (tx) => setDealStatus(tx, { id: deal.id, status: "open" }));
    const reopened = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id, perColumn: 25 }));
    expect(reopened.cards.find((c) => c.id === deal.id)?.stageId).toBe(second);
  });

  it("pages the rest of a column after its last card, each deal exactly once, in board order", async () => {
    const board = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id, perColumn: 25 }));
    const seen = board.cards.filter((c) => c.stageId === first);
    for (;;) {
      const last = seen[seen.length - 1];
      const next = await as(owner, (tx) =>
        loadStageCards(tx, { pipelineId, stageId: first, filters: {}, after: { position: last.position, id: last.id }, limit: 25 }, { userId: owner.id }),
      );
      if (!next.length) break;
      seen.push(...next);
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen.map((c) => c.id)).size).toBe(60);
    const order = await t.admin<{ id: string }[]>`select id from deals where stage_id = ${first} order by position, id`;
    expect(seen.map((c) => c.id)).toEqual(order.map((r) => r.id));
  });

  it("keeps the board's filters on the further pages", async () => {
    const board = await as(owner, (tx) => loadBoard(tx, pipelineId, { tag: "hot" }, { userId: owner.id, perColumn: 5 }));
    expect(board.totals[first].count).toBe(20);
    const last = board.cards[board.cards.length - 1];
    const rest = await as(owner, (tx) =>
      loadStageCards(tx, { pipelineId, stageId: first, filters: { tag: "hot" }, after: { position: last.position, id: last.id }, limit: 100 }, { userId: owner.id }),
    );
    expect(rest).toHaveLength(15);
    expect(rest.every((c) => Number(c.name.slice(5)) % 3 === 0)).toBe(true);
  });

  it("gives the board and the poll the same version, which changes on a move and an archive", async () => {
    const v = async () => {
      const board = await as(owner, (tx) => loadBoard(tx, pipelineId, {}, { userId: owner.id }));
      const filtered = await as(owner, (tx) => loadBoard(tx, pipelineId, { tag: "hot" }, { userId: owner.id }));
      const polled = await as(owner, (tx) => boardVersion(tx, pipelineId));
      expect(board.version).toBe(polled);
      expect(filtered.version).toBe(polled);
      return { polled, board };
    };
    const before = await v();
    const card = before.board.cards[0];
    await as(owner, (tx) => moveDeal(tx, { id: card.id, stageId: second }));
    const moved = await v();
    expect(moved.polled).not.toBe(before.polled);
    expect(await as(owner, (tx) => archiveDeals(tx, [card.id], true))).toEqual({ count: 1 });
    const archived = await v();
    expect(archived.polled).not.toBe(moved.polled);
  });

  it("shows nothing of another org's pipeline", async () => {
    const other = await createUser(t, { orgName: "Elsewhere" });
    const board = await as(other, (tx) => loadBoard(tx, pipelineId, {}, { userId: other.id }));
    expect(board.cards).toEqual([]);
    expect(board.totals).toEqual({});
    const last = { position: 0, id: "00000000-0000-4000-8000-000000000000" };
    expect(await as(other, (tx) => loadStageCards(tx, { pipelineId, stageId: first, filters: {}, after: last }, { userId: other.id }))).toEqual([]);
  });
});

describe("board version", () => {
  const version = (u: TestUser = owner, pipeline = pipelineId) => as(u, (tx) => boardVersion(tx, pipeline));

  it("moves once per committed transaction, however many statements wrote the pipeline", async () => {
    const before = Number(await version());
    const [a, b] = await t.admin<{ id: string }[]>`select id from deals where stage_id = ${first} and archived_at is null order by position, id limit 2`;
    await as(owner, async (tx) => {
      await moveDeal(tx, { id: a.id, stageId: second });
      await moveDeal(tx, { id: b.id, stageId: second });
      await tx.updateTable("deals").set({ tags: ["hot"] }).where("id", "=", a.id).execute();
    });
    expect(Number(await version())).toBe(before + 1);
    // Stages are part of the board too.
    await t.admin`update pipeline_stages set name = 'Fresh leads' where id = ${first}`;
    expect(Number(await version())).toBe(before + 2);
  });

  it("stays put when the writes roll back, whole or to a savepoint", async () => {
    const before = await version();
    const [a] = await t.admin<{ id: string }[]>`select id from deals where stage_id = ${first} and archived_at is null limit 1`;
    await expect(
      as(owner, async (tx) => {
        await moveDeal(tx, { id: a.id, stageId: second });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await version()).toBe(before);
    await t.admin.begin(async (tx) => {
      await tx.savepoint(async (sp) => {
        await sp`update deals set position = position + 1 where id = ${a.id}`;
        throw new Error("undo");
      }).catch(() => {});
    });
    expect(await version()).toBe(before);
  });

  it("bumps both pipelines when a deal moves between them, and only those", async () => {
    const [other] = await t.admin<{ id: string }[]>`
      insert into pipelines (org_id, name, position) values (${owner.orgId}, 'Renewals', 1) returning id`;
    const [stage] = await t.admin<{ id: string }[]>`
      insert into pipeline_stages (org_id, pipeline_id, name) values (${owner.orgId}, ${other.id}, 'Due') returning id`;
    const third = await createUser(t, { orgName: "Bystander" });
    const [theirs] = await as(third, (tx) => listPipelines(tx));
    const before = { here: Number(await version()), there: Number(await version(owner, other.id)), theirs: await version(third, theirs.id) };
    const [a] = await t.admin<{ id: string }[]>`select id from deals where stage_id = ${second} limit 1`;
    expect(await as(owner, (tx) => moveDeal(tx, { id: a.id, stageId: stage.id }))).toMatchObject({ position: expect.any(Number) });
    expect(Number(await version())).toBe(before.here + 1);
    expect(Number(await version(owner, other.id))).toBe(before.there + 1);
    expect(await version(third, theirs.id)).toBe(before.theirs);
    // Another org's counter is not readable.
    expect(await version(third, pipelineId)).toBe("0");
    // Deleting a pipeline with its stages in one transaction leaves nothing to bump.
    await t.admin`delete from deals where pipeline_id = ${other.id}`;
    await t.admin`delete from pipelines where id = ${other.id}`;
    expect(await t.admin`select 1 from pipeline_board_versions where pipeline_id = ${other.id}`).toHaveLength(0);
  });

  it("does not hold up a move on the board while another transaction writes its deals", { timeout: 30_000 }, async () => {
    const before = Number(await version());
    const [a] = await t.admin<{ id: string }[]>`select id from deals where stage_id = ${first} and archived_at is null limit 1`;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    // A long import-like transaction: it writes deals of the pipeline and stays open.
    const importing = t.admin.begin(async (tx) => {
      await tx`insert into deals (org_id, name, pipeline_id, stage_id, currency)
               values (${owner.orgId}, 'Imported', ${pipelineId}, ${second}, 'USD')`;
      written();
      await held;
    });
    await wrote;
    const moved = await Promise.race([
      as(owner, (tx) => moveDeal(tx, { id: a.id, stageId: second })),
      new Promise((r) => setTimeout(() => r("blocked"), 5000)),
    ]);
    expect(moved).toMatchObject({ position: expect.any(Number) });
    expect(Number(await version())).toBe(before + 1);
    release();
    await importing;
    expect(Number(await version())).toBe(before + 2);
  });
});
