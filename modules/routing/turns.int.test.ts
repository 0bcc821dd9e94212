// Round-robin turns come from a sequence per rule, so a lead's turn does
// not wait for the transaction of the lead before it (migration
// 20261207193200_routing_turns.sql), while concurrent leads still never
// share a turn.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let users: TestUser[];
const conns: postgres.Sql[] = [];

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Turns Co" });
  users = [];
  for (let i = 0; i < 3; i++) users.push(await createMember(t, owner.orgId, "member"));
  for (let i = 0; i < 2; i++) conns.push(postgres(t.appUrl, { max: 1, onnotice: () => {} }));
});
afterAll(async () => {
  await Promise.all(conns.map((c) => c.end()));
});

async function addRule(action: "round_robin" | "assign", userIds: string[], cursor = 0): Promise<string> {
  await t.admin`delete from lead_routing_rules where org_id = ${owner.orgId}`;
  const [row] = await t.admin`
    insert into lead_routing_rules (org_id, name, position, action, rr_cursor)
    values (${owner.orgId}, ${`Rule ${randomUUID().slice(0, 6)}`}, 0, ${action}, ${cursor}) returning id`;
  for (const [i, u] of userIds.entries()) {
    await t.admin`insert into routing_rule_members (org_id, rule_id, user_id, position) values (${owner.orgId}, ${row.id}, ${u}, ${i})`;
  }
  return row.id;
}

/** Inserts a lead as the ingest paths do (service_role) inside `tx`; its owner as routed. */
async function insertLead(tx: postgres.TransactionSql): Promise<string> {
  await tx.unsafe("set local role service_role");
  const [l] = await tx`insert into public.leads (org_id, source, first_name, email)
                       values (${owner.orgId}, 'web_form', 'Lee', ${`${randomUUID().slice(0, 8)}@lead.example`})
                       returning id`;
  // RETURNING shows the row before the AFTER trigger routed it.
  const [routed] = await tx`select owner_id from public.leads where id = ${l.id}`;
  return routed.owner_id;
}

describe("round-robin turns", () => {
  it("routes a lead while the transaction of the lead before it is still open, to the next member", async () => {
    await addRule("round_robin", users.map((u) => u.id));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first!: string;
    let took!: () => void;
    const tookTurn = new Promise<void>((r) => (took = r));
    const open = conns[0].begin(async (tx) => {
      first = await insertLead(tx);
      took();
      await held;
    });
    await tookTurn;
    try {
      // Waiting for the first lead's transaction would time out here.
      const second = await conns[1].begin(async (tx) => {
        await tx.unsafe("set local lock_timeout = '3s'");
        return insertLead(tx);
      });
      expect(first).toBe(users[0].id);
      expect(second).toBe(users[1].id);
    } finally {
      release();
      await open;
    }
  });

  it("spends the turn of a lead whose transaction rolled back, and never hands out a turn twice", async () => {
    await addRule("round_robin", users.map((u) => u.id));
    await conns[0]
      .begin(async (tx) => {
        await insertLead(tx);
        throw new Error("the ingest failed after routing");
      })
      .catch(() => {});
    // Turn 1 went with the rolled-back lead: the rotation goes on from turn 2.
    expect(await conns[1].begin(insertLead)).toBe(users[1].id);
    const owners = await Promise.all(Array.from({ length: 6 }, (_, i) => conns[i % 2].begin(insertLead)));
    expect(owners.filter((o) => o === users[0].id)).toHaveLength(2);
    expect(owners.filter((o) => o === users[1].id)).toHaveLength(2);
    expect(owners.filter((o) => o === users[2].id)).toHaveLength(2);
  });

  it("starts a rule's turns where its cursor stood, and drops them with the rule", async () => {
    const rule = await addRule("round_robin", users.map((u) => u.id), 4);
    // Turn 5 of 3 members is the second member's.
    expect(await conns[0].begin(insertLead)).toBe(users[1].id);
    const seq = `routing_turns_${rule.replaceAll("-", "")}`;
    expect(await t.admin`select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'private' and c.relname = ${seq} and c.relkind = 'S'`).toHaveLength(1);
    await t.admin`delete from lead_routing_rules where id = ${rule}`;
    expect(await t.admin`select 1 from pg_class where relname = ${seq}`).toHaveLength(0);
  });

  it("keeps the turns out of members' reach", async () => {
    const rule = await addRule("round_robin", users.map((u) => u.id));
    await conns[0].begin(insertLead);
    const seq = `private.routing_turns_${rule.replaceAll("-", "")}`;
    await expect(
      conns[0].begin(async (tx) => {
        await tx.unsafe("set local role authenticated");
        return tx.unsafe(`select nextval('${seq}')`);
      }),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("lets a lead for a one-user rule wait only for the commit of the one before it", async () => {
    await addRule("assign", [users[2].id]);
    const owners = await Promise.all(Array.from({ length: 8 }, (_, i) => conns[i % 2].begin(insertLead)));
    expect(new Set(owners)).toEqual(new Set([users[2].id]));
    const [m] = await t.admin`select assigned_count from routing_rule_members where user_id = ${users[2].id}`;
    expect(m.assigned_count).toBe(8);
  });
});
