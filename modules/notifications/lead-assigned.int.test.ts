// The lead_assigned trigger (migration 20261207141000): a lead's new owner is
// notified whoever assigns it, except themselves, once per assignment.
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { sql } from "@/lib/db";
import { assignLeads, createLead, updateLead } from "@/modules/leads";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listNotifications } from "./queries";
import * as service from "./service";

const t = useTestDatabase();

const actor = (u: TestUser, role: Actor["role"]): Actor => ({ userId: u.id, orgId: u.orgId, role });

const bellOf = (u: TestUser) =>
  t.db.asUser(u.claims, async (tx) => (await listNotifications(tx)).items.map(({ title, body, link }) => ({ title, body, link })));

async function team() {
  const owner = await createUser(t, { fullName: "Olive Owner" });
  const rep = await createMember(t, owner.orgId, "member");
  const other = await createMember(t, owner.orgId, "member");
  return { owner, rep, other };
}

async function newLead(by: TestUser, role: Actor["role"], fields: Record<string, unknown> = {}) {
  const { id } = await t.db.asUser(by.claims, (tx) =>
    createLead(tx, actor(by, role), { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", ...fields }),
  );
  return id;
}

const assign = (by: TestUser, ids: string[], to: TestUser | null) =>
  t.db.asUser(by.claims, (tx) => assignLeads(tx, actor(by, "owner"), ids, to?.id ?? null));

describe("lead assigned to you", () => {
  it("notifies the new owner, not the one who assigned it, with a link to the lead", async () => {
    const { owner, rep } = await team();
    const lead = await newLead(owner, "owner");
    await assign(owner, [lead], rep);
    expect(await bellOf(rep)).toEqual([
      { title: "Ada Lovelace was assigned to you", body: "Manual lead, assigned by Olive Owner.", link: `/leads/${lead}` },
    ]);
    expect(await bellOf(owner)).toEqual([]);
  });

  it("does not notify whoever takes a lead themselves, or when nothing about the owner changed", async () => {
    const { owner, rep } = await team();
    const own = await newLead(rep, "member");
    expect(await bellOf(rep)).toEqual([]);
    const lead = await newLead(owner, "owner", { email: "grace@example.com", first_name: "Grace", last_name: "Hopper" });
    await assign(owner, [lead], rep);
    await t.db.asUser(owner.claims, (tx) => updateLead(tx, actor(owner, "owner"), lead, { message: "Call after 5" }));
    await t.db.asUser(rep.claims, (tx) => sql`update leads set owner_id = ${rep.id} where id = ${own}`.execute(tx));
    expect((await bellOf(rep)).map((n) => n.title)).toEqual(["Grace Hopper was assigned to you"]);
  });

  it("notifies again when the lead comes back later, once per assignment", async () => {
    const { owner, rep, other } = await team();
    const lead = await newLead(owner, "owner");
    await assign(owner, [lead], rep);
    await assign(owner, [lead], other);
    await assign(owner, [lead], rep);
    expect(await bellOf(rep)).toHaveLength(2);
    expect(await bellOf(other)).toHaveLength(1);
    // A rolled-back assignment notifies no one.
    await expect(
      t.db.asUser(owner.claims, async (tx) => {
        await assignLeads(tx, actor(owner, "owner"), [lead], other.id);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await bellOf(other)).toHaveLength(1);
  });

  it("leaves assignments the system makes to the system's own notification: routing tells once", async () => {
    const { owner, rep } = await team();
    await t.db.asService((tx) =>
      sql`insert into leads (org_id, source, owner_id, email) values (${owner.orgId}, 'web_form', ${rep.id}, 'lin@example.com')`.execute(tx),
    );
    expect(await bellOf(rep)).toEqual([]);
    const [rule] = await t.admin`insert into lead_routing_rules (org_id, name, position, action)
                                 values (${owner.orgId}, 'Everyone to the rep', 0, 'assign') returning id`;
    await t.admin`insert into routing_rule_members (org_id, rule_id, user_id, position) values (${owner.orgId}, ${rule.id}, ${rep.id}, 0)`;
    await t.db.asService((tx) =>
      sql`insert into leads (org_id, source, email) values (${owner.orgId}, 'web_form', 'kim@example.com')`.execute(tx),
    );
    expect((await bellOf(rep)).map((n) => n.body)).toEqual(['Routed to you by the rule "Everyone to the rep".']);
  });

  it("respects the member's setting", async () => {
    const { owner, rep } = await team();
    await t.db.asUser(rep.claims, (tx) => service.setPreference(tx, actor(rep, "member"), { type: "lead_assigned", inApp: false }));
    await assign(owner, [await newLead(owner, "owner")], rep);
    expect(await bellOf(rep)).toEqual([]);
  });
});
