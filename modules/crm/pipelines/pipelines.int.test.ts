import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { dealSchema } from "@/modules/crm/deals/schema";
import { createDeal } from "@/modules/crm/deals/service";
import { canUseStage, listPipelines, type Pipeline } from "./queries";
import { pipelineStagesSchema, stageCreateSchema, stageRowMessage } from "./schema";
import {
  addStage,
  archivePipeline,
  createPipeline,
  deletePipeline,
  deleteStage,
  renamePipeline,
  reorderPipelines,
  reorderStages,
  savePipelineStages,
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
  it("adds an open stage before the won and lost stages, edits it with restricted roles, and reorders stages", async () => {
    const [sales] = await as(owner, (tx) => listPipelines(tx));
    const added = await act(owner, (tx) =>
      addStage(tx, owner.orgId, stageCreateSchema.parse({ pipelineId: sales.id, name: "Legal review", probability: "80", outcome: "open", restrictedRoles: ["manager", "admin"] })),
    );
    if (!added.ok) throw new Error(added.error);
    let [after] = await as(owner, (tx) => listPipelines(tx));
    const legal = after.stages.find((s) => s.id === added.data.id)!;
    // Owners and admins always may, so they are not stored.
    expect(legal).toMatchObject({ name: "Legal review", probability: 80, restrictedRoles: ["manager"], position: 4 });
    expect(after.stages.map((s) => [s.name, s.position])).toEqual([
      ["Qualified", 0],
      ["Contact made", 1],
      ["Proposal sent", 2],
      ["Negotiation", 3],
      ["Legal review", 4],
      ["Won", 5],
      ["Lost", 6],
    ]);
    expect(canUseStage("member", [], legal)).toBe(false);
    expect(canUseStage("manager", [], legal)).toBe(true);
    expect(canUseStage("admin", [], legal)).toBe(true);

    expect(
      await act(owner, (tx) => updateStage(tx, { id: legal.id, name: "Legal", probability: 90, outcome: "open", restrictedRoles: [], restrictedTeamIds: [] })),
    ).toEqual({ ok: true });
    const ids = after.stages.map((s) => s.id).filter((id) => id !== legal.id);
    const reordered = [ids[0], legal.id, ...ids.slice(1)];
    expect(await act(owner, (tx) => reorderStages(tx, sales.id, reordered))).toEqual({ ok: true });
    [after] = await as(owner, (tx) => listPipelines(tx));
    expect(after.stages.map((s) => s.name).slice(0, 3)).toEqual(["Qualified", "Legal", "Contact made"]);
    expect(after.stages[1].restrictedRoles).toEqual([]);
    // A stale order is refused rather than half-applied.
    expect(await act(owner, (tx) => reorderStages(tx, sales.id, reordered.slice(1)))).toMatchObject({ ok: false });
  });

  it("gives a new open stage a probability between its neighbours' unless told, and puts a won stage last", async () => {
    const p = await act(owner, (tx) => createPipeline(tx, owner.orgId, "Defaults"));
    if (!p.ok) throw new Error(p.error);
    // Qualified 10%, Proposal 50%, Won 100%, Lost 0%.
    const open = await act(owner, (tx) => addStage(tx, owner.orgId, { pipelineId: p.data.id, name: "Contract", outcome: "open", restrictedRoles: [], restrictedTeamIds: [] }));
    const won = await act(owner, (tx) => addStage(tx, owner.orgId, { pipelineId: p.data.id, name: "Signed", outcome: "won", restrictedRoles: [], restrictedTeamIds: [] }));
    expect(open.ok && won.ok).toBe(true);
    const [defaults] = (await as(owner, (tx) => listPipelines(tx))).filter((x) => x.id === p.data.id);
    expect(defaults.stages.map((s) => [s.name, s.probability])).toEqual([
      ["Qualified", 10],
      ["Proposal", 50],
      ["Contract", 75],
      ["Won", 100],
      ["Lost", 0],
      ["Signed", 100],
    ]);
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

describe("the pipeline form, saved at once", () => {
  const formOf = (p: Pipeline) => ({
    pipelineId: p.id,
    name: p.name,
    stages: p.stages.map((s) => ({
      id: s.id,
      name: s.name,
      probability: s.probability,
      outcome: s.isWon ? "won" : s.isLost ? "lost" : "open",
      restrictedRoles: s.restrictedRoles,
    })),
    deleted: [] as { id: string; moveToStageId?: string | null }[],
  });
  const save = (u: TestUser, form: unknown) => act(u, (tx) => savePipelineStages(tx, u.orgId, pipelineStagesSchema.parse(form)));
  const fresh = async (name: string) => {
    const p = await act(owner, (tx) => createPipeline(tx, owner.orgId, name));
    if (!p.ok) throw new Error(p.error);
    return (await as(owner, (tx) => listPipelines(tx))).find((x) => x.id === p.data.id)!;
  };
  const stagesOf = async (id: string) =>
    t.admin<{ name: string; position: number; probability: number; is_won: boolean }[]>`
      select name, position, probability, is_won from pipeline_stages where pipeline_id = ${id} order by position`;

  it("renames, edits, reorders, adds and deletes in one save", async () => {
    const p = await fresh("Form");
    const [qualified, proposal, won, lost] = p.stages;
    const deal = await as(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name: "Keeps going", pipelineId: p.id, stageId: qualified.id })),
    );
    const form = formOf(p);
    form.name = "Form v2";
    form.stages = [
      { ...form.stages[1], probability: 40 },
      { name: "Demo", probability: 70, outcome: "open", restrictedRoles: ["member"] } as (typeof form.stages)[number],
      form.stages[2],
      { ...form.stages[3], name: "Lost (any reason)" },
    ];
    form.deleted = [{ id: qualified.id, moveToStageId: proposal.id }];
    expect(await save(owner, form)).toEqual({ ok: true });

    const [row] = await t.admin`select name from pipelines where id = ${p.id}`;
    expect(row.name).toBe("Form v2");
    expect((await stagesOf(p.id)).map((s) => [s.name, s.position, s.probability])).toEqual([
      ["Proposal", 0, 40],
      ["Demo", 1, 70],
      ["Won", 2, 100],
      ["Lost (any reason)", 3, 0],
    ]);
    const [moved] = await t.admin`select stage_id from deals where id = ${deal.id}`;
    expect(moved.stage_id).toBe(proposal.id);
    const [demo] = (await as(owner, (tx) => listPipelines(tx))).find((x) => x.id === p.id)!.stages.filter((s) => s.name === "Demo");
    expect(demo.restrictedRoles).toEqual(["member"]);
    expect([won.id, lost.id]).toHaveLength(2);
  });

  it("refuses a bad row by its place and writes nothing", async () => {
    const p = await fresh("Refused");
    const before = await stagesOf(p.id);
    const form = formOf(p);
    form.name = "Renamed meanwhile";
    form.stages[0].probability = 55;
    form.stages[1].name = "  ";
    const parsed = pipelineStagesSchema.safeParse(form);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.issues.map((i) => i.path.join("."))).toEqual(["stages.1.name"]);
    expect(stageRowMessage(parsed.error.issues, form.stages)).toBe("Stage 2: Enter a name");

    form.stages[1].name = "Qualified";
    const dup = pipelineStagesSchema.safeParse(form);
    expect(dup.success || stageRowMessage(dup.error.issues, form.stages)).toBe("Stage 2 (Qualified): Another stage is already called “Qualified”");
    form.stages[1].name = "Proposal";
    form.stages[1].probability = 101;
    const range = pipelineStagesSchema.safeParse(form);
    expect(range.success || stageRowMessage(range.error.issues, form.stages)).toBe("Stage 2 (Proposal): Between 0 and 100");

    // The database refuses a later row after earlier rows were written: the transaction undoes them all.
    form.stages[1].probability = 50;
    await t.admin`alter table pipeline_stages add constraint form_test_no_zebra check (name <> 'Zebra')`;
    try {
      form.stages[2].name = "Zebra";
      expect(await save(owner, form)).toMatchObject({ ok: false });
    } finally {
      await t.admin`alter table pipeline_stages drop constraint form_test_no_zebra`;
    }
    expect(await stagesOf(p.id)).toEqual(before);
    const [row] = await t.admin`select name from pipelines where id = ${p.id}`;
    expect(row.name).toBe("Refused");
  });

  it("asks where a deleted stage's deals go, and refuses a form that misses a stage added meanwhile", async () => {
    const p = await fresh("Busy form");
    await as(owner, (tx) =>
      createDeal(tx, { orgId: owner.orgId, userId: owner.id }, dealSchema("USD").parse({ name: "Stuck", pipelineId: p.id, stageId: p.stages[0].id })),
    );
    const form = formOf(p);
    const [first, ...rest] = form.stages;
    form.stages = rest;
    form.deleted = [{ id: first.id! }];
    const refused = await save(owner, form);
    expect(refused).toMatchObject({ ok: false, fieldErrors: { "deleted.0.moveToStageId": "Choose a stage you keep" } });
    expect(refused.ok === false && refused.error).toMatch(/"Qualified" has 1 deal\./);
    expect(await stagesOf(p.id)).toHaveLength(4);

    const stale = formOf(p);
    await act(owner, (tx) => addStage(tx, owner.orgId, { pipelineId: p.id, name: "Added elsewhere", outcome: "open", restrictedRoles: [], restrictedTeamIds: [] }));
    expect(await save(owner, stale)).toMatchObject({ ok: false, error: expect.stringMatching(/changed meanwhile/) });
    expect(await save(member, formOf(p))).toMatchObject({ ok: false });
  });
});
