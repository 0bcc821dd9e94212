// Leads on real Postgres as real members: the per-org sources and statuses,
// writes and their refusals, status history, events and timeline items the
// database writes beside each change, and Convert in one transaction.

import { beforeAll, describe, expect, it } from "vitest";
import { sql, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { Actor } from "@/modules/crm/records/ui";
import { searchAsMember } from "@/modules/crm/search/queries";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getLead, leadStatusHistory } from "./queries";
import { archiveLeads, convertLead, createLead, restoreLeads, setLeadStatus, updateLead, updateLeadField } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
const roles = new Map<string, Actor["role"]>();

function as<T>(u: TestUser, fn: (tx: Tx, a: Actor) => Promise<T>) {
  return t.db.asUser(u.claims, (tx) => fn(tx, { userId: u.id, orgId: u.orgId, role: roles.get(u.id) ?? "owner" }));
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

const eventsOf = async (id: string) =>
  (await t.admin`select type from domain_events where object_id = ${id} order by id`).map((e) => e.type);

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Leads Co" });
  member = await createMember(t, owner.orgId, "member");
  roles.set(member.id, "member");
});

describe("lead sources and statuses", () => {
  it("are seeded for every new org: the built-in sources and new → qualified → routed → won / lost", async () => {
    const fresh = await createUser(t, { orgName: "Fresh Co" });
    const statuses = await t.admin`select key, category from lead_statuses where org_id = ${fresh.orgId} order by position`;
    expect(statuses.map((s) => [s.key, s.category])).toEqual([
      ["new", "open"], ["qualified", "open"], ["routed", "open"], ["won", "won"], ["lost", "lost"],
    ]);
    const sources = await t.admin`select key from lead_sources where org_id = ${fresh.orgId} and built_in order by position`;
    expect(sources.map((s) => s.key)).toEqual(["web_form", "meta", "sms", "twilio_call", "api", "import", "manual"]);
  });

  it("an admin adds the org's own source; built-ins cannot be deleted; members cannot change them", async () => {
    await as(owner, (tx) => tx.insertInto("lead_sources").values({ org_id: owner.orgId, key: "trade_show", label: "Trade show" }).execute());
    const deleted = await as(owner, (tx) => tx.deleteFrom("lead_sources").where("key", "=", "meta").executeTakeFirst());
    expect(Number(deleted.numDeletedRows)).toBe(0);
    const byMember = await as(member, (tx) =>
      tx.insertInto("lead_sources").values({ org_id: owner.orgId, key: "flyer", label: "Flyer" }).execute()).catch((e) => e);
    expect(byMember).toMatchObject({ code: "42501" });
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Tess", source: "trade_show" }));
    expect((await as(owner, (tx) => getLead(tx, id)))?.sourceLabel).toBe("Trade show");
  });
});

describe("lead writes", () => {
  it("creates a manual lead owned by its creator, normalised, with lead.created and a created timeline item", async () => {
    const { id } = await as(member, (tx, a) =>
      createLead(tx, a, { first_name: " Nia ", email: "NIA@Example.com", phone: "415 555 0123", state: "new york", utm: { source: "google" } }));
    const lead = await as(member, (tx) => getLead(tx, id));
    expect(lead).toMatchObject({
      name: "Nia", email: "nia@example.com", phone: "+14155550123", state: "NY", source: "manual", status: "new",
      ownerId: member.id, utm: { source: "google" },
    });
    expect(await eventsOf(id)).toEqual(["lead.created"]);
    const timeline = await t.admin`select kind, subject_type from timeline_events where lead_id = ${id}`;
    expect(timeline.map((r) => r.kind)).toEqual(["created"]);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const count = async () => (await t.admin`select count(*)::int as n from leads where org_id = ${owner.orgId}`)[0].n;
    const before = await count();
    expect((await refusal(as(owner, (tx, a) => createLead(tx, a, { message: "call me" })))).details).toHaveProperty("first_name");
    expect((await refusal(as(owner, (tx, a) => createLead(tx, a, { first_name: "A", email: "nope" })))).details).toHaveProperty("email");
    expect((await refusal(as(owner, (tx, a) => createLead(tx, a, { first_name: "A", status: "limbo" })))).details).toHaveProperty("status");
    expect((await refusal(as(owner, (tx, a) => createLead(tx, a, { first_name: "A", source: "nowhere" })))).details).toHaveProperty("source");
    expect((await refusal(as(owner, (tx, a) => createLead(tx, a, { first_name: "A", utm: { colour: "red" } })))).details)
      .toHaveProperty(["utm.colour"]);
    expect(await count()).toBe(before);
  });

  it("a status change writes one history row, one lead.status_changed and a timeline item naming both statuses", async () => {
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Omar" }));
    expect(await as(owner, (tx, a) => setLeadStatus(tx, a, [id], "qualified"))).toBe(1);
    expect(await as(owner, (tx, a) => setLeadStatus(tx, a, [id], "qualified"))).toBe(0);
    await as(owner, (tx, a) => updateLeadField(tx, a, id, "status", "routed"));
    const history = await as(owner, (tx) => leadStatusHistory(tx, id));
    expect(history.map((h) => [h.from, h.to])).toEqual([["qualified", "routed"], ["new", "qualified"], [null, "new"]]);
    expect(await eventsOf(id)).toEqual(["lead.created", "lead.status_changed", "lead.status_changed"]);
    const [item] = await t.admin`select data from timeline_events where lead_id = ${id} and kind = 'status_changed' order by id limit 1`;
    expect(item.data).toMatchObject({ from: "new", to: "qualified", from_label: "New", to_label: "Qualified" });
  });

  it("an edit emits lead.updated with the changes; a member cannot archive; a manager-up archives and restores", async () => {
    const { id } = await as(member, (tx, a) => createLead(tx, a, { first_name: "Lu" }));
    await as(member, (tx, a) => updateLead(tx, a, id, { message: "Need a quote", company_name: "Quotes Ltd" }));
    const [updated] = await t.admin`select changes from domain_events where object_id = ${id} and type = 'lead.updated'`;
    expect(updated.changes).toEqual({ message: [null, "Need a quote"], company_name: [null, "Quotes Ltd"] });
    expect((await refusal(as(member, (tx, a) => archiveLeads(tx, a, [id])))).code).toBe("forbidden");
    expect(await as(owner, (tx, a) => archiveLeads(tx, a, [id]))).toBe(1);
    expect(await as(owner, (tx, a) => restoreLeads(tx, a, [id]))).toBe(1);
    expect(await eventsOf(id)).toEqual(["lead.created", "lead.updated", "lead.archived", "lead.restored"]);
  });
});

describe("convert", () => {
  let pipelineId: string;
  beforeAll(async () => {
    [{ id: pipelineId }] = await t.admin`select id from pipelines where org_id = ${owner.orgId} limit 1`;
  });

  it("creates the person, company and deal in one go, links them and marks the lead converted", async () => {
    const { id } = await as(owner, (tx, a) =>
      createLead(tx, a, { first_name: "Grace", last_name: "Hopper", email: "grace@navy.example", phone: "+14155550177",
                          company_name: "Navy Labs", source: "web_form" }));
    const result = await as(owner, (tx, a) => convertLead(tx, a, id, { deal: { pipelineId, value: "1,500" } }));
    expect(result).toMatchObject({ personCreated: true, companyCreated: true });
    expect(result.dealId).toBeTruthy();

    const [person] = await t.admin`select full_name, email::text, phone, company_id, source from people where id = ${result.personId}`;
    expect(person).toEqual({ full_name: "Grace Hopper", email: "grace@navy.example", phone: "+14155550177", company_id: result.companyId, source: "Web form" });
    const [company] = await t.admin`select name, domain::text from companies where id = ${result.companyId}`;
    expect(company).toEqual({ name: "Navy Labs", domain: "navy.example" });
    const [deal] = await t.admin`
      select d.name, d.value_minor::int, d.person_id, d.company_id, s.is_won, s.is_lost, s.position
      from deals d join pipeline_stages s on s.id = d.stage_id where d.id = ${result.dealId}`;
    expect(deal).toEqual({ name: "Navy Labs", value_minor: 150000, person_id: result.personId, company_id: result.companyId,
                           is_won: false, is_lost: false, position: 0 });

    const lead = await as(owner, (tx) => getLead(tx, id));
    expect(lead?.convertedAt).toBeInstanceOf(Date);
    expect(lead).toMatchObject({ person: { id: result.personId }, company: { id: result.companyId }, deal: { id: result.dealId } });
    expect((await eventsOf(id)).filter((e) => e === "lead.converted")).toHaveLength(1);
    const [item] = await t.admin`select person_id, company_id, deal_id from timeline_events where lead_id = ${id} and kind = 'converted'`;
    expect(item).toEqual({ person_id: result.personId, company_id: result.companyId, deal_id: result.dealId });
  });

  it("links the person already there with the lead's email, never a second one, and their company", async () => {
    const [acme] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme') returning id`;
    const [ada] = await t.admin`insert into people (org_id, first_name, email, company_id)
                                values (${owner.orgId}, 'Ada', 'ada@acme.example', ${acme.id}) returning id`;
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Ada L", email: "Ada@acme.example", company_name: "Acme" }));
    const result = await as(owner, (tx, a) => convertLead(tx, a, id, {}));
    expect(result).toEqual({ personId: ada.id, companyId: acme.id, dealId: null, personCreated: false, companyCreated: false });
    const [n] = await t.admin`select count(*)::int as n from people where org_id = ${owner.orgId} and email = 'ada@acme.example'`;
    expect(n.n).toBe(1);
  });

  it("is refused a second time", async () => {
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Twice", email: "twice@example.com" }));
    await as(owner, (tx, a) => convertLead(tx, a, id, {}));
    const again = await refusal(as(owner, (tx, a) => convertLead(tx, a, id, {})));
    expect(again.code).toBe("conflict");
    expect((await eventsOf(id)).filter((e) => e === "lead.converted")).toHaveLength(1);
  });

  it("writes nothing when refused midway (after the person and company were made)", async () => {
    const { id } = await as(owner, (tx, a) =>
      createLead(tx, a, { first_name: "Half", email: "half@halfway.example", company_name: "Halfway Inc" }));
    const missing = "00000000-0000-4000-8000-000000000000";
    const refused = await refusal(as(owner, (tx, a) => convertLead(tx, a, id, { deal: { pipelineId: missing } })));
    expect(refused.details).toHaveProperty(["deal.pipelineId"]);
    expect(await t.admin`select id from people where email = 'half@halfway.example'`).toHaveLength(0);
    expect(await t.admin`select id from companies where name = 'Halfway Inc'`).toHaveLength(0);
    const [lead] = await t.admin`select converted_at, person_id from leads where id = ${id}`;
    expect(lead).toEqual({ converted_at: null, person_id: null });
    expect((await eventsOf(id)).filter((e) => e !== "lead.created")).toEqual([]);
  });

  it("merging the person it converted into keeps the lead linked, to the survivor", async () => {
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Merle", email: "merle@example.com" }));
    const { personId } = await as(owner, (tx, a) => convertLead(tx, a, id, {}));
    const [twin] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Merle twin') returning id`;
    await as(owner, (tx) => sql`select public.merge_people(${twin.id}::uuid, ${personId}::uuid)`.execute(tx));
    const [lead] = await t.admin`select person_id from leads where id = ${id}`;
    expect(lead.person_id).toBe(twin.id);
  });

  it("the database itself refuses undoing a conversion", async () => {
    const { id } = await as(owner, (tx, a) => createLead(tx, a, { first_name: "Undo", email: "undo@example.com" }));
    await as(owner, (tx, a) => convertLead(tx, a, id, {}));
    const undo = await as(owner, (tx) => tx.updateTable("leads").set({ converted_at: null }).where("id", "=", id).execute()).catch((e) => e);
    expect(undo).toMatchObject({ code: "23514", hint: "converted_at" });
  });
});

describe("search", () => {
  it("Ctrl-K finds the org's leads by name, email, phone or company, saying which field matched", async () => {
    const { id } = await as(owner, (tx, a) =>
      createLead(tx, a, { first_name: "Quinn", last_name: "Zephyrine", email: "quinn@qzmail.example", phone: "+14155550166", company_name: "Zephyr Labs" }));
    const outsider = await createUser(t, { orgName: "Outsider Co" });
    await as(outsider, (tx, a) => createLead(tx, a, { first_name: "Quinn", last_name: "Zephyrine" }));
    const search = async (q: string) => (await as(owner, (tx) => searchAsMember(tx, q))).results.leads;
    expect((await search("zephyrine")).map((h) => [h.id, h.href, h.match])).toEqual([[id, `/leads/${id}`, null]]);
    expect((await search("qzmail")).map((h) => h.match?.field)).toEqual(["email"]);
    expect((await search("555 0166")).map((h) => h.match?.field)).toEqual(["phone"]);
    expect((await search("zephyr labs")).map((h) => h.match)).toEqual([{ field: "company", text: "Zephyr Labs" }]);
    await as(owner, (tx, a) => archiveLeads(tx, a, [id]));
    expect(await search("zephyrine")).toEqual([]);
  });
});
