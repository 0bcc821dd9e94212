// The admins' services for rules and partners, as members under RLS: field
// errors named, members kept with their counts on save, reorder by swap,
// partners with history kept, and nobody below admin changing routing.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listDeliveries, listRules } from "./queries";
import { deletePartner, moveRule, previewRouting, savePartner, saveRule } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
let other: TestUser;

// Email-only partners keep no secret: a deployment without keys still manages them.
const noKeys = () => parseKeyring(undefined);
const actor = (u: TestUser, role: Actor["role"]): Actor => ({ userId: u.id, orgId: u.orgId, role });
const as = <T>(u: TestUser, fn: (tx: Parameters<Parameters<typeof t.db.asUser>[1]>[0]) => Promise<T>) => t.db.asUser(u.claims, fn);

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Settings Co" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Elsewhere" });
});

describe("rules", () => {
  it("names each field a rule is refused for and writes nothing", async () => {
    const e = await refusal(
      as(owner, (tx) =>
        saveRule(tx, actor(owner, "owner"), { name: " ", action: "round_robin", states: ["Texas"], customField: "language" }),
      ),
    );
    expect(e.code).toBe("validation_failed");
    expect(Object.keys(e.details ?? {}).sort()).toEqual(["customValue", "name", "states.0", "userIds"]);
    expect(await t.admin`select 1 from lead_routing_rules where org_id = ${owner.orgId}`).toHaveLength(0);
  });

  it("refuses another org's user, and members changing routing at all", async () => {
    const e = await refusal(
      as(owner, (tx) => saveRule(tx, actor(owner, "owner"), { name: "Bad", action: "assign", userIds: [other.id] })),
    );
    expect(e.details).toEqual({ userIds: ["Choose members of your organization"] });
    const f = await refusal(
      as(member, (tx) => saveRule(tx, actor(member, "member"), { name: "Mine", action: "assign", userIds: [member.id] })),
    );
    expect(f.code).toBe("forbidden");
  });

  it("adds rules at the end, keeps members' counts on save, and swaps on move", async () => {
    const a = await as(owner, (tx) =>
      saveRule(tx, actor(owner, "owner"), { name: "Rotation", action: "round_robin", userIds: [owner.id, member.id], sources: ["web_form"] }),
    );
    const b = await as(owner, (tx) =>
      saveRule(tx, actor(owner, "owner"), { name: "Texas", action: "assign", userIds: [member.id], states: ["tx"] }),
    );
    await t.admin`update routing_rule_members set assigned_count = 7 where rule_id = ${a.id} and user_id = ${member.id}`;
    await as(owner, (tx) =>
      saveRule(tx, actor(owner, "owner"), { name: "Rotation", action: "round_robin", userIds: [member.id], sources: ["web_form"] }, a.id),
    );
    await as(owner, (tx) => moveRule(tx, actor(owner, "owner"), b.id, -1));
    const rules = await as(member, (tx) => listRules(tx));
    expect(rules.map((r) => [r.name, r.position, r.states])).toEqual([["Texas", 0, ["TX"]], ["Rotation", 1, []]]);
    expect(rules[1].users).toEqual([{ id: member.id, name: expect.any(String), assigned_count: 7 }]);
    expect(await as(member, (tx) => previewRouting(tx, { source: "web_form", state: "tx" }))).toBe(b.id);
    expect(await as(member, (tx) => previewRouting(tx, { source: "web_form", state: "CA" }))).toBe(a.id);
    expect(await as(member, (tx) => previewRouting(tx, { source: "meta" }))).toBeNull();
  });

  it("previews a custom-field condition as the engine routes a lead holding that value", async () => {
    await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type)
                  values (${owner.orgId}, 'lead', 'language', 'Language', 'text')`;
    const spanish = await as(owner, (tx) =>
      saveRule(tx, actor(owner, "owner"), { name: "Spanish", action: "assign", userIds: [member.id], sources: ["meta"], customField: "language", customValue: "es" }),
    );
    const preview = (input: object) => as(member, (tx) => previewRouting(tx, input));
    expect(await preview({ source: "meta", customField: "language", customValue: "es" })).toBe(spanish.id);
    expect(await preview({ source: "meta", customField: "language", customValue: "fr" })).toBeNull();
    expect(await preview({ source: "meta" })).toBeNull();
    const e = await refusal(preview({ source: "meta", customValue: "es" }));
    expect(e.details).toEqual({ customField: ["Choose the field"] });

    // The engine's own verdict on such a lead (it routes after the insert, so read it back).
    const [{ id }] = await t.admin`insert into leads (org_id, source, first_name, custom)
                                   values (${owner.orgId}, 'meta', 'Sol', ${t.admin.json({ language: "es" })}) returning id`;
    const [lead] = await t.admin`select owner_id from leads where id = ${id}`;
    expect(lead.owner_id).toBe(member.id);
  });
});

describe("partners", () => {
  it("names bad fields, and keeps a partner that was offered leads", async () => {
    const e = await refusal(
      as(owner, (tx) =>
        savePartner(tx, actor(owner, "owner"), { name: "P", contactEmail: "nope", phone: "555", responseHours: 0 }, undefined, noKeys),
      ),
    );
    expect(Object.keys(e.details ?? {}).sort()).toEqual(["contactEmail", "phone", "responseHours"]);

    const p = await as(owner, (tx) =>
      savePartner(tx, actor(owner, "owner"), { name: "Keeper", contactEmail: "k@partner.example", responseHours: 12, states: ["ca"] }, undefined, noKeys),
    );
    await as(owner, (tx) => saveRule(tx, actor(owner, "owner"), { name: "To Keeper", action: "partner", partnerIds: [p.id] }));
    await t.admin`insert into leads (org_id, source, first_name, state) values (${owner.orgId}, 'manual', 'Cal', 'CA')`;
    const offers = await as(owner, (tx) => listDeliveries(tx));
    expect(offers.map((o) => [o.partner_name, o.lead_name, o.status, o.rule_name])).toEqual([["Keeper", "Cal", "sent", "To Keeper"]]);
    expect(await as(member, (tx) => listDeliveries(tx))).toEqual([]);
    const f = await refusal(as(owner, (tx) => deletePartner(tx, actor(owner, "owner"), p.id)));
    expect(f.code).toBe("conflict");
  });
});
