import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { dealSchema } from "@/modules/crm/deals/schema";
import { createDeal } from "@/modules/crm/deals/service";
import { canUseStage, listPipelines } from "./queries";
import { stageCreateSchema } from "./schema";
import {
  addStage,
  archivePipeline,
  createPipeline,
  deletePipeline,
  deleteStage,
  renamePipeline,
  reorderPipelines,
  reorderStages,
  updateStage,
} from "./service";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

/** A settings call's outcome as the settings page sees it: its data, or the refusal a server action answers with. */
async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return failureOf(e);
    throw e;
  }
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Pipes Co" });
  member = await createMember(t, owner.orgId, "member");
});

describe("pipelines", () => {
  it("starts with the Sales pipeline and adds, renames, reorders and archives more", async () => {
    const [sales] = await as(owner, (tx) => listPipelines(tx));
    expect(sales.name).toBe("Sales");
    expect(sales.stages.map((s) => s.name)).toEqual(["Qualified", "Contact made", "Proposal sent", "Negotiation", "Won", "Lost"]);

    const created = await act(owner, (tx) => createPipeline(tx, owner.orgId, "Partnerships"));
    if (!created.ok) throw new Error(created.error);
    expect(await act(owner, (tx) => renamePipeline(tx, created.data.id, "Partners"))).toEqual({ ok: true });
    expect(await act(owner, (tx) => reorderPipelines(tx, [created.data.id, sales.id]))).toEqual({ ok: true });
    const listed = await as(owner, (tx) => listPipelines(tx));
    expect(listed.map((p) => p.name)).toEqual(["Partners", "Sales"]);
    expect(listed[0].stages.map((s) => [s.name, s.isWon, s.isLost])).toEqual([
      ["Qualified", false, false],
      ["Proposal", false, false],
      ["Won", true, false],
      ["Lost", false, true],
    ]);

    expect(await act(owner, (tx) => archivePipeline(tx, created.data.id, true))).toEqual({ ok: true });
    expect((await as(owner, (tx) => listPipelines(tx))).map((p) => p.name)).toEqual(["Sales"]);
    // The last active pipeline stays.
    expect(await act(owner, (tx) => archivePipeline(tx, sales.id, true))).toMatchObject({ ok: false });
    expect(await act(owner, (tx) => deletePipeline(tx, created.data.id))).toEqual({ ok: true });
  });

  it("is settings: a member cannot change pipelines or stages", async () => {
    const [sales] = await as(owner, (tx) => listPipelines(tx));
    expect(await act(member, (tx) => createPipeline(tx, member.orgId, "Mine"))).toMatchObject({ ok: false });
    expect(await act(member, (tx) => renamePipeline(tx, sales.id, "Hijacked"))).toMatchObject({ ok: false });
    const input = stageCreateSchema.parse({ pipelineId: sales.id, name: "Extra", probability: 5, outcome: "open" });
    expect(await act(member, (tx) => addStage(tx, member.orgId, input))).toMatchObject({ ok: false });
    const [row] = await t.admin`select name from pipelines where id = ${sales.id}`;
    expect(row.name).toBe("Sales");
  });

  it("refuses deleting a pipeline that still has deals", async () => {
    const p = await act(owner, (tx) => createPipeline(tx, owner.orgId, "Busy"));
    if (!p.ok) throw new Error(p.error);
    const [busy] = (await as(owner, (tx) => listPipelines(tx))).filter((x) => x.id === p.data.id);
    await as(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name: "D", pipelineId: busy.id, stageId: busy.stages[0].id })),
    );
    expect(await act(owner, (tx) => deletePipeline(tx, busy.id))).toMatchObject({ ok: false, error: expect.stringMatching(/1 deal/) });
  });
});

describe("stages", () => {
  it("adds, edits with restricted roles, and reorders stages", async () => {
    const [sales] = await as(owner, (tx) => listPipelines(tx));
    const added = await act(owner, (tx) =>
      addStage(tx, owner.orgId, stageCreateSchema.parse({ pipelineId: sales.id, name: "Legal review", probability: "80", outcome: "open", restrictedRoles: ["manager", "admin"] })),
    );
    if (!added.ok) throw new Error(added.error);
    let [after] = await as(owner, (tx) => listPipelines(tx));
    const legal = after.stages.find((s) => s.id === added.data.id)!;
    // Owners and admins always may, so they are not stored.
    expect(legal).toMatchObject({ name: "Legal review", probability: 80, restrictedRoles: ["manager"], position: 6 });
    expect(canUseStage("member", legal)).toBe(false);
    expect(canUseStage("manager", legal)).toBe(true);
    expect(canUseStage("admin", legal)).toBe(true);

    expect(
      await act(owner, (tx) => updateStage(tx, { id: legal.id, name: "Legal", probability: 90, outcome: "open", restrictedRoles: [] })),
    ).toEqual({ ok: true });
    const ids = after.stages.map((s) => s.id);
    const reordered = [ids[0], legal.id, ...ids.slice(1, -1)];
    expect(await act(owner, (tx) => reorderStages(tx, sales.id, reordered))).toEqual({ ok: true });
    [after] = await as(owner, (tx) => listPipelines(tx));
    expect(after.stages.map((s) => s.name).slice(0, 3)).toEqual(["Qualified", "Legal", "Contact made"]);
    expect(after.stages[1].restrictedRoles).toEqual([]);
    // A stale order is refused rather than half-applied.
    expect(await act(owner, (tx) => reorderStages(tx, sales.id, reordered.slice(1)))).toMatchObject({ ok: false });
  });

  it("deletes a stage moving its deals to another one, in one transaction", async () => {
    const [sales] = await as(owner, (tx) => listPipelines(tx));
    const from = sales.stages.find((s) => s.name === "Contact made")!;
    const to = sales.stages.find((s) => s.name === "Proposal sent")!;
    const mk = (name: string, stageId: string) =>
      as(owner, (tx) =>
        createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name, pipelineId: sales.id, stageId })),
      );
    await mk("Already there", to.id);
    await mk("Moving 1", from.id);
    await mk("Moving 2", from.id);

    const refused = await act(owner, (tx) => deleteStage(tx, { id: from.id }));
    expect(refused).toMatchObject({ ok: false, fieldErrors: { moveToStageId: expect.any(String) } });
    expect(refused.ok === false && refused.error).toMatch(/"Contact made" has 2 deals/);

    expect(await act(owner, (tx) => deleteStage(tx, { id: from.id, moveToStageId: to.id }))).toEqual({ ok: true, data: { moved: 2 } });
    const rows = await t.admin`select name from deals where stage_id = ${to.id} order by position`;
    expect(rows.map((r) => r.name)).toEqual(["Already there", "Moving 1", "Moving 2"]);
    const [gone] = await t.admin`select count(*)::int as n from pipeline_stages where id = ${from.id}`;
    expect(gone.n).toBe(0);
    const history = await t.admin`
      select h.reason from deal_stage_history h join deals d on d.id = h.deal_id
      where d.name = 'Moving 1' and h.to_stage_id = ${to.id}`;
    expect(history[0].reason).toBe('Stage "Contact made" was deleted');
  });

  it("keeps the last stage of a pipeline", async () => {
    const p = await act(owner, (tx) => createPipeline(tx, owner.orgId, "Tiny"));
    if (!p.ok) throw new Error(p.error);
    const [tiny] = (await as(owner, (tx) => listPipelines(tx))).filter((x) => x.id === p.data.id);
    for (const s of tiny.stages.slice(1)) expect(await act(owner, (tx) => deleteStage(tx, { id: s.id }))).toMatchObject({ ok: true });
    expect(await act(owner, (tx) => deleteStage(tx, { id: tiny.stages[0].id }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at least one stage/),
    });
  });
});
