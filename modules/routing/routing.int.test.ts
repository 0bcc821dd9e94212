// The routing engine and partner offers on real Postgres: rules tried in
// order with each condition, round-robin fair under concurrent leads, the
// guard that lets the org's rules (not the member) hand a lead over, and a
// partner's link: emailed by the job, single-use, expiring, bound to its
// own offer, a refusal sending the lead on.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { deliverToPartner } from "./jobs";
import { answerOffer, loadOffer } from "./offer";

const t = useTestDatabase();
let owner: TestUser;
let users: TestUser[];
let client: postgres.Sql;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Routing Co" });
  users = [];
  for (let i = 0; i < 4; i++) users.push(await createMember(t, owner.orgId, "member"));
  client = postgres(t.appUrl, { max: 8, onnotice: () => {} });
  await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type)
                values (${owner.orgId}, 'lead', 'language', 'Language', 'text')`;
});
afterAll(async () => {
  await client?.end();
});

interface RuleInput {
  name: string;
  position: number;
  action: "assign" | "round_robin" | "partner";
  userIds?: string[];
  partnerIds?: string[];
  sources?: string[];
  formIds?: string[];
  states?: string[];
  utm?: Record<string, string>;
  custom?: [string, string];
  enabled?: boolean;
}

async function addRule(r: RuleInput): Promise<string> {
  const [row] = await t.admin`
    insert into lead_routing_rules (org_id, name, position, action, enabled, sources, form_ids, states, utm, custom_field, custom_value)
    values (${owner.orgId}, ${r.name}, ${r.position}, ${r.action}, ${r.enabled ?? true}, ${r.sources ?? []}, ${r.formIds ?? []},
            ${r.states ?? []}, ${t.admin.json(r.utm ?? {})}, ${r.custom?.[0] ?? null}, ${r.custom?.[1] ?? null})
    returning id`;
  const members = [...(r.userIds ?? []).map((u) => [u, null]), ...(r.partnerIds ?? []).map((p) => [null, p])];
  for (const [i, [u, p]] of members.entries()) {
    await t.admin`insert into routing_rule_members (org_id, rule_id, user_id, partner_id, position)
                  values (${owner.orgId}, ${row.id}, ${u}, ${p}, ${i})`;
  }
  return row.id;
}

async function clearRules() {
  await t.admin`delete from lead_routing_rules where org_id = ${owner.orgId}`;
}

async function addPartner(name: string, extra: { states?: string[]; capacityPerDay?: number } = {}): Promise<string> {
  const [p] = await t.admin`
    insert into partners (org_id, name, contact_email, states, capacity_per_day)
    values (${owner.orgId}, ${name}, ${`${name.toLowerCase().replace(/\W+/g, "-")}@partner.example`}, ${extra.states ?? []},
            ${extra.capacityPerDay ?? null})
    returning id`;
  return p.id;
}

/** A lead arriving as the ingest paths write it: one transaction as service_role. */
async function arrive(fields: Record<string, unknown> = {}, conn: postgres.Sql = client): Promise<string> {
  return conn.begin(async (tx) => {
    await tx.unsafe("set local role service_role");
    const [l] = await tx`insert into public.leads ${tx({ org_id: owner.orgId, source: "web_form", first_name: "Lee", email: `${randomUUID().slice(0, 8)}@lead.example`, ...fields } as Record<string, postgres.SerializableParameter>)} returning id`;
    return l.id as string;
  }) as Promise<string>;
}

const lead = async (id: string) => (await t.admin`select owner_id, status from leads where id = ${id}`)[0];
const routedItems = (id: string) =>
  t.admin`select data from timeline_events where lead_id = ${id} and kind = 'routed' order by id`;

describe("rules", () => {
  it("tries enabled rules in order, each condition deciding, and names the rule on the lead's timeline", async () => {
    await clearRules();
    const [u0, u1, u2, u3] = users;
    await addRule({ name: "Off", position: 0, action: "assign", userIds: [u3.id], enabled: false });
    await addRule({ name: "Meta in California", position: 1, action: "assign", userIds: [u0.id], sources: ["meta"], states: ["CA"] });
    await addRule({ name: "Spring form", position: 2, action: "assign", userIds: [u1.id], formIds: ["form-spring", "meta-form-9"] });
    await addRule({ name: "Spring campaign", position: 3, action: "assign", userIds: [u2.id], utm: { campaign: "Spring" } });
    await addRule({ name: "Spanish speakers", position: 4, action: "assign", userIds: [u3.id], custom: ["language", "es"] });

    const metaCa = await arrive({ source: "meta", state: "CA", attribution: { form_id: "meta-form-9" } });
    const metaNy = await arrive({ source: "meta", state: "NY", attribution: { form_id: "meta-form-9" } });
    const webForm = await arrive({ raw: { form: { id: "form-spring" } } });
    const utm = await arrive({ utm: { campaign: "spring", source: "google" } });
    const custom = await arrive({ custom: { language: "es" } });
    const none = await arrive({ state: "CA", utm: { campaign: "autumn" } });

    expect(await lead(metaCa)).toEqual({ owner_id: u0.id, status: "routed" });
    expect(await lead(metaNy)).toEqual({ owner_id: u1.id, status: "routed" });
    expect(await lead(webForm)).toEqual({ owner_id: u1.id, status: "routed" });
    expect(await lead(utm)).toEqual({ owner_id: u2.id, status: "routed" });
    expect(await lead(custom)).toEqual({ owner_id: u3.id, status: "routed" });
    expect(await lead(none)).toEqual({ owner_id: null, status: "new" });

    expect((await routedItems(metaCa)).map((r) => r.data)).toEqual([
      expect.objectContaining({ rule_name: "Meta in California", action: "assign", user_id: u0.id }),
    ]);
    expect(await routedItems(none)).toHaveLength(0);
    const told = await t.admin`select user_id, title, body, link from notifications where type = 'lead_assigned' and link = ${`/leads/${metaCa}`}`;
    expect(told).toEqual([{ user_id: u0.id, title: "New lead: Lee", body: 'Routed to you by the rule "Meta in California".', link: `/leads/${metaCa}` }]);
    const history = await t.admin`select from_status, to_status from lead_status_history where lead_id = ${metaCa} order by id`;
    expect(history).toEqual([{ from_status: null, to_status: "new" }, { from_status: "new", to_status: "routed" }]);
  });

  it("leaves a lead that arrives with an owner to that owner", async () => {
    await clearRules();
    await addRule({ name: "Everyone", position: 0, action: "assign", userIds: [users[0].id] });
    const id = await arrive({ owner_id: owner.id });
    expect(await lead(id)).toEqual({ owner_id: owner.id, status: "new" });
  });

  it("routes a member's unowned lead to a colleague, though the member could not reassign it", async () => {
    await clearRules();
    await addRule({ name: "To the second", position: 0, action: "assign", userIds: [users[1].id] });
    const id = await t.db.asUser(users[0].claims, async (tx) => {
      const r = await tx.insertInto("leads").values({ org_id: owner.orgId, first_name: "Mo", owner_id: null } as never)
        .returning("id").executeTakeFirstOrThrow();
      return r.id;
    });
    expect(await lead(id)).toEqual({ owner_id: users[1].id, status: "routed" });
    const [created] = await t.admin`select actor_type from timeline_events where lead_id = ${id} and kind = 'routed'`;
    expect(created.actor_type).toBe("system");
  });

  it("previews which rule would take a lead without taking a turn", async () => {
    await clearRules();
    const ca = await addRule({ name: "California", position: 0, action: "round_robin", userIds: [users[0].id, users[1].id], states: ["CA"] });
    const rest = await addRule({ name: "Rest", position: 1, action: "assign", userIds: [users[2].id] });
    const preview = (sample: object) =>
      t.db.asUser(owner.claims, async (tx) => {
        const { sql } = await import("kysely");
        const r = await sql<{ id: string | null }>`select public.preview_lead_routing(${JSON.stringify(sample)}::text::jsonb) as id`.execute(tx);
        return r.rows[0].id;
      });
    expect(await preview({ state: "CA", source: "meta" })).toBe(ca);
    expect(await preview({ state: "NV" })).toBe(rest);
    const [turns] = await t.admin.unsafe(`select is_called from private.routing_turns_${ca.replaceAll("-", "")}`);
    expect(turns.is_called).toBe(false);
  });
});

describe("round-robin", () => {
  it("shares 20 leads from 4 concurrent connections among 4 members, none getting two more than another", async () => {
    await clearRules();
    const rule = await addRule({ name: "Rotation", position: 0, action: "round_robin", userIds: users.map((u) => u.id) });
    const conns = Array.from({ length: 4 }, () => postgres(t.appUrl, { max: 1, onnotice: () => {} }));
    try {
      const ids = (await Promise.all(conns.map(async (c) => {
        const mine: string[] = [];
        for (let i = 0; i < 5; i++) mine.push(await arrive({}, c));
        return mine;
      }))).flat();
      const rows = await t.admin`select owner_id, count(*)::int as n from leads where id = any(${ids}) group by owner_id`;
      const counts = rows.map((r) => r.n);
      expect(rows.map((r) => r.owner_id).sort()).toEqual(users.map((u) => u.id).sort());
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      const members = await t.admin`select assigned_count from routing_rule_members where rule_id = ${rule}`;
      expect(members.map((m) => m.assigned_count)).toEqual([5, 5, 5, 5]);
    } finally {
      await Promise.all(conns.map((c) => c.end()));
    }
  });
});

describe("route again", () => {
  it("lets managers and up run the rules again, not members", async () => {
    await clearRules();
    const id = await arrive();
    await addRule({ name: "Late rule", position: 0, action: "assign", userIds: [users[2].id] });
    const manager = await createMember(t, owner.orgId, "manager");
    const again = (u: TestUser) =>
      t.db.asUser(u.claims, async (tx) => {
        const { sql } = await import("kysely");
        return (await sql<{ r: unknown }>`select public.route_lead_again(${id}::uuid) as r`.execute(tx)).rows[0].r;
      });
    await expect(again(users[0])).rejects.toThrow(/Only managers/);
    expect(await again(manager)).toMatchObject({ rule_name: "Late rule", user_id: users[2].id });
    expect(await lead(id)).toEqual({ owner_id: users[2].id, status: "routed" });
  });
});

describe("partner offers", () => {
  const service = (fn: (sql: postgres.TransactionSql) => Promise<unknown>) =>
    client.begin(async (tx) => {
      await tx.unsafe("set local role service_role");
      return fn(tx);
    });

  /** Runs the offer's queued job as the jobs function would, and returns the link's token from the email. */
  async function deliver(deliveryId: string): Promise<string> {
    const [job] = await t.admin`select id, payload from jobs where kind = 'partners.deliver' and idempotency_key = ${`partner-delivery:${deliveryId}`}`;
    expect(job).toBeDefined();
    await service((sql) =>
      deliverToPartner(
        { id: String(job.id), kind: "partners.deliver", orgId: owner.orgId, payload: job.payload, attempt: 1, maxAttempts: 8 },
        { sql, env: (n) => ({ APP_URL: "http://covey.test", MAIL_DRIVER: "dev" })[n] ?? "", fetch, signal: new AbortController().signal },
      ),
    );
    const [mail] = await t.admin`select to_address, text from local_dev.mailbox where tag = 'partner_offer' order by id desc limit 1`;
    const token = /http:\/\/covey\.test\/p\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(token).toBeDefined();
    return token!;
  }

  const delivery = async (leadId: string) =>
    (await t.admin`select id, partner_id, status from partner_deliveries where lead_id = ${leadId} order by created_at desc limit 1`)[0];

  it("emails a single-use link that accepts once and is refused after", async () => {
    await clearRules();
    const acme = await addPartner("Acme Fulfil");
    await addRule({ name: "To Acme", position: 0, action: "partner", partnerIds: [acme] });
    const id = await arrive({ first_name: "Ana", last_name: "Ruiz", phone: "+14155550100", state: "TX", message: "Need help" });
    const d = await delivery(id);
    expect(d).toMatchObject({ partner_id: acme, status: "sent" });
    expect(await lead(id)).toEqual({ owner_id: null, status: "routed" });

    const token = await deliver(d.id);
    const offer = await loadOffer(token);
    expect(offer).toMatchObject({ delivery_id: d.id, status: "sent", partner_name: "Acme Fulfil",
                                  lead: { first_name: "Ana", state: "TX", message: "Need help" } });
    expect(JSON.stringify(offer)).not.toContain("4155550100");

    const first = await answerOffer(token, d.id, "accepted");
    expect(first).toMatchObject({ outcome: "accepted", lead: { name: "Ana Ruiz", phone: "+14155550100" } });
    expect(await answerOffer(token, d.id, "rejected", "changed my mind")).toEqual({ outcome: "answered", status: "accepted" });
    expect((await delivery(id)).status).toBe("accepted");
    const items = await t.admin`select kind from timeline_events where lead_id = ${id} and kind like 'partner_%'`;
    expect(items.map((i) => i.kind)).toEqual(["partner_accepted"]);
  });

  it("a token answers only its own offer", async () => {
    await clearRules();
    const acme = await addPartner("Token Partner");
    await addRule({ name: "Token rule", position: 0, action: "partner", partnerIds: [acme] });
    const a = await arrive();
    const b = await arrive();
    const tokenA = await deliver((await delivery(a)).id);
    await deliver((await delivery(b)).id);
    expect(await answerOffer(tokenA, (await delivery(b)).id, "accepted")).toEqual({ outcome: "unknown" });
    expect((await delivery(b)).status).toBe("sent");
    expect(await loadOffer(tokenA.replace(/.$/, (c) => (c === "A" ? "B" : "A")))).toBeNull();
  });

  it("refuses an expired link and sends the lead on; the schedule expires unanswered offers too", async () => {
    await clearRules();
    const slow = await addPartner("Slow Partner");
    const next = await addPartner("Next Partner");
    await addRule({ name: "Partners", position: 0, action: "partner", partnerIds: [slow, next] });
    const id = await arrive();
    const d = await delivery(id);
    const token = await deliver(d.id);
    await t.admin`update partner_deliveries set expires_at = now() - interval '1 second' where id = ${d.id}`;
    expect(await answerOffer(token, d.id, "accepted")).toEqual({ outcome: "expired" });
    expect((await delivery(id)).partner_id).toBe(next);

    await t.admin`update partner_deliveries set expires_at = now() - interval '1 second' where lead_id = ${id} and status = 'sent'`;
    const [n] = await service((sql) => sql`select private.expire_partner_offers() as n`) as { n: number }[];
    expect(n.n).toBe(1);
    const states = await t.admin`select status from partner_deliveries where lead_id = ${id} order by created_at`;
    expect(states.map((s) => s.status)).toEqual(["expired", "expired"]);
    // Nobody left to take it: back to new and nobody's.
    expect(await lead(id)).toEqual({ owner_id: null, status: "new" });
  });

  it("a rejection goes to the next partner, then to the users' rule after it", async () => {
    await clearRules();
    const first = await addPartner("First Choice", { states: ["CA"] });
    const skipped = await addPartner("Only Nevada", { states: ["NV"] });
    await addRule({ name: "California partners", position: 0, action: "partner", partnerIds: [skipped, first], states: ["CA"] });
    await addRule({ name: "Fallback", position: 1, action: "assign", userIds: [users[3].id] });
    const id = await arrive({ state: "ca" });
    const d = await delivery(id);
    expect(d.partner_id).toBe(first);
    const token = await deliver(d.id);
    expect(await answerOffer(token, d.id, "rejected", "Fully booked")).toEqual({ outcome: "rejected" });
    const [rejected] = await t.admin`select status, reason from partner_deliveries where id = ${d.id}`;
    expect(rejected).toEqual({ status: "rejected", reason: "Fully booked" });
    expect(await lead(id)).toEqual({ owner_id: users[3].id, status: "routed" });
    expect((await routedItems(id)).map((r) => r.data.rule_name)).toEqual(["California partners", "Fallback"]);
    const told = await t.admin`select user_id, title, body from notifications where type = 'partner_responded' and link = ${`/leads/${id}`}`;
    expect(told).toEqual([{ user_id: owner.id, title: "First Choice declined Lee", body: "Reason: Fully booked" }]);
  });

  it("skips a partner at its daily capacity", async () => {
    await clearRules();
    const small = await addPartner("Small Shop", { capacityPerDay: 1 });
    await addRule({ name: "Small", position: 0, action: "partner", partnerIds: [small] });
    const a = await arrive();
    const b = await arrive();
    expect((await delivery(a)).partner_id).toBe(small);
    expect(await delivery(b)).toBeUndefined();
  });
});
