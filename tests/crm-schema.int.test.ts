// The CRM schema's own guarantees, whatever code path writes: domain events
// and timeline items in the same transaction as the change, references that
// never cross orgs, archive and stage rules by role, and history of moves.
import { CompiledQuery } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { createMember, createUser, useTestDatabase, type TestUser } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
let other: TestUser;

/** Runs raw SQL as `user`, through the app's own data layer (RLS applies). */
async function asUser<T>(user: TestUser, query: string, params: unknown[] = []): Promise<T[]> {
  return t.db.asUser(user.claims, async (tx) => (await tx.executeQuery<T>(CompiledQuery.raw(query, params))).rows);
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error("expected the statement to fail");
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Schema Co" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Elsewhere" });
});

describe("domain events and timeline", () => {
  it("writes events in the transaction of the change, and none when it rolls back", async () => {
    const [person] = await asUser<{ id: string }>(owner,
      `insert into people (org_id, first_name, email) values ($1, 'Ada', 'ada@example.test') returning id`, [owner.orgId]);
    await asUser(owner, `update people set title = 'CTO', custom = '{}' where id = $1`, [person.id]);
    await asUser(owner, `update people set archived_at = now() where id = $1`, [person.id]);
    await failure(t.db.asUser(owner.claims, async (tx) => {
      await sql`update people set title = 'CEO' where id = ${person.id}`.execute(tx);
      throw new Error("abort");
    }));

    const events = await t.admin`
      select type, actor_id, actor_type, changes, data ->> 'title' as title
      from domain_events where object_id = ${person.id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["person.created", "person.updated", "person.archived"]);
    expect(events[1].changes).toEqual({ title: [null, "CTO"] });
    expect(events.every((e) => e.actor_id === owner.id && e.actor_type === "user")).toBe(true);

    const timeline = await t.admin`select kind, data from timeline_events where person_id = ${person.id} order by id`;
    expect(timeline.map((e) => e.kind)).toEqual(["created", "updated", "archived"]);
    expect(timeline[1].data).toEqual({ changes: { title: [null, "CTO"] } });
  });

  it("shows a deal's stage changes on the deal, its person and its company, with history and reason", async () => {
    const [company] = await asUser<{ id: string }>(owner,
      `insert into companies (org_id, name) values ($1, 'Globex') returning id`, [owner.orgId]);
    const [person] = await asUser<{ id: string }>(owner,
      `insert into people (org_id, first_name, company_id) values ($1, 'Hank', $2) returning id`, [owner.orgId, company.id]);
    const stages = await t.admin`
      select s.id, s.name, s.is_won from pipeline_stages s where s.org_id = ${owner.orgId} order by s.position`;
    const [deal] = await asUser<{ id: string; currency: string; status: string }>(owner,
      `insert into deals (org_id, name, pipeline_id, stage_id, person_id, company_id)
       select $1, 'Big one', pipeline_id, id, $2, $3 from pipeline_stages where id = $4 returning id, currency, status`,
      [owner.orgId, person.id, company.id, stages[0].id]);
    expect(deal.currency).toBe("USD");

    await t.db.asUser(owner.claims, async (tx) => {
      await sql`select set_config('covey.change_reason', 'Signed today', true)`.execute(tx);
      await sql`update deals set stage_id = ${stages.find((s) => s.is_won)!.id} where id = ${deal.id}`.execute(tx);
    });

    const [after] = await t.admin`select status, closed_at from deals where id = ${deal.id}`;
    expect(after.status).toBe("won");
    expect(after.closed_at).not.toBeNull();
    const history = await t.admin`
      select from_stage_id, to_stage_id, from_status, to_status, changed_by, reason
      from deal_stage_history where deal_id = ${deal.id} order by id`;
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({ from_stage_id: stages[0].id, from_status: "open", to_status: "won",
                                       changed_by: owner.id, reason: "Signed today" });
    const events = await t.admin`select type, changes from domain_events where object_id = ${deal.id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["deal.created", "deal.moved", "deal.won"]);
    expect(events[1].changes.reason).toBe("Signed today");
    for (const column of ["deal_id", "person_id", "company_id"] as const) {
      const [row] = await t.admin`
        select data from timeline_events where kind = 'status_changed' and ${t.admin(column)} = ${
          column === "deal_id" ? deal.id : column === "person_id" ? person.id : company.id}`;
      expect(row?.data).toMatchObject({ from: "open", to: "won", from_stage: stages[0].name, to_stage: "Won", reason: "Signed today" });
    }
  });
});

describe("references and rules", () => {
  it("refuses links to another org's records and members", async () => {
    const [foreign] = await asUser<{ id: string }>(other,
      `insert into companies (org_id, name) values ($1, 'Not yours') returning id`, [other.orgId]);
    const linked = await failure(asUser(owner,
      `insert into people (org_id, first_name, company_id) values ($1, 'Eve', $2)`, [owner.orgId, foreign.id]));
    expect(linked.code).toBe("23503");
    const owned = await failure(asUser(owner,
      `insert into people (org_id, first_name, owner_id) values ($1, 'Eve', $2)`, [owner.orgId, other.id]));
    expect(owned.code).toBe("23503");
  });

  it("keeps active emails unique per org, not across orgs", async () => {
    await asUser(owner, `insert into people (org_id, email) values ($1, 'same@example.test')`, [owner.orgId]);
    await asUser(other, `insert into people (org_id, email) values ($1, 'same@example.test')`, [other.orgId]);
    const dup = await failure(asUser(member, `insert into people (org_id, email) values ($1, 'SAME@example.test')`, [owner.orgId]));
    expect(dup.code).toBe("23505");
  });

  it("lets members work records but not archive them or take others' records", async () => {
    const [person] = await asUser<{ id: string }>(owner,
      `insert into people (org_id, first_name, owner_id) values ($1, 'Owned', $2) returning id`, [owner.orgId, owner.id]);
    await asUser(member, `update people set title = 'Buyer' where id = $1`, [person.id]);
    const archive = await failure(asUser(member, `update people set archived_at = now() where id = $1`, [person.id]));
    expect(archive).toMatchObject({ code: "42501", hint: "archived_at" });
    const take = await failure(asUser(member, `update people set owner_id = $2 where id = $1`, [person.id, member.id]));
    expect(take).toMatchObject({ code: "42501", hint: "owner_id" });
    const remove = await asUser(member, `delete from people where id = $1 returning id`, [person.id]);
    expect(remove).toEqual([]);
  });

  it("holds role-restricted stages against a direct update", async () => {
    const stages = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} order by position`;
    await t.admin`update pipeline_stages set restricted_roles = '{manager}' where id = ${stages[2].id}`;
    const [deal] = await asUser<{ id: string }>(member,
      `insert into deals (org_id, name, pipeline_id, stage_id) values ($1, 'Handoff', $2, $3) returning id`,
      [owner.orgId, stages[0].pipeline_id, stages[0].id]);
    const into = await failure(asUser(member, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[2].id]));
    expect(into).toMatchObject({ code: "42501", hint: "stage_restricted" });
    const manager = await createMember(t, owner.orgId, "manager");
    await asUser(manager, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[2].id]);
    const out = await failure(asUser(member, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[1].id]));
    expect(out.message).toMatch(/out of the "Proposal sent" stage/);
    const [row] = await t.admin`select stage_id from deals where id = ${deal.id}`;
    expect(row.stage_id).toBe(stages[2].id);
  });

  it("validates custom values against the org's definitions", async () => {
    await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
                  values (${owner.orgId}, 'person', 'tier', 'Tier', 'select', '[{"value":"gold","label":"Gold"}]')`;
    await asUser(member, `insert into people (org_id, first_name, custom) values ($1, 'Gold', '{"tier":"gold"}')`, [owner.orgId]);
    const bad = await failure(asUser(member,
      `insert into people (org_id, first_name, custom) values ($1, 'Tin', '{"tier":"tin"}')`, [owner.orgId]));
    expect(bad).toMatchObject({ code: "23514", hint: "custom.tier" });
    const unknown = await failure(asUser(member,
      `insert into people (org_id, first_name, custom) values ($1, 'X', '{"nope":1}')`, [owner.orgId]));
    expect(unknown.hint).toBe("custom.nope");
  });
});
