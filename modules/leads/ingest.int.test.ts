// upsertExternalLead on real Postgres as the service role, the way jobs and
// Edge Functions call it: idempotent by (org, source, external id) under
// concurrency, normalising as people do, linking the person a lead already
// is and never creating one, and emitting lead.created only when it creates.

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { type ExternalLead, upsertExternalLead } from "./ingest";

const t = useTestDatabase();
let owner: TestUser;
let other: TestUser;
let client: postgres.Sql;

/** One transaction as service_role, as a job runs it. */
function ingest(input: ExternalLead) {
  return client.begin(async (tx) => {
    await tx.unsafe("set local role service_role");
    return upsertExternalLead(tx, input);
  });
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Ingest Co" });
  other = await createUser(t, { orgName: "Other Co" });
  client = postgres(t.appUrl, { max: 10, onnotice: () => {} });
});
afterAll(async () => {
  await client?.end();
});

describe("upsertExternalLead", () => {
  it("makes one lead of concurrent deliveries of one external id, created exactly once, with one lead.created", async () => {
    const delivery = {
      orgId: owner.orgId,
      source: "meta",
      externalId: "leadgen-1001",
      fields: { firstName: "Rosa", lastName: "Diaz", email: " Rosa@Example.COM ", phone: "(415) 555-0142", state: "california" },
      utm: { source: "facebook", campaign: "spring" },
      attribution: { ad_id: "a1", form_id: "f1", page_id: "p1", campaign_id: "c1", adgroup_id: "s1" },
      raw: { id: "leadgen-1001", field_data: [{ name: "email", values: ["Rosa@Example.COM"] }] },
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => ingest(delivery)));
    expect(new Set(results.map((r) => r.leadId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);

    const rows = await t.admin`select * from leads where org_id = ${owner.orgId} and external_id = 'leadgen-1001'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: "meta",
      status: "new",
      email: "rosa@example.com",
      phone: "+14155550142",
      state: "CA",
      utm: { source: "facebook", campaign: "spring" },
      attribution: { ad_id: "a1", form_id: "f1", page_id: "p1", campaign_id: "c1", adgroup_id: "s1" },
      raw: delivery.raw,
      person_id: null,
    });
    const events = await t.admin`select type from domain_events where object_id = ${rows[0].id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["lead.created"]);
  });

  it("the same external id from another source or org is another lead", async () => {
    const base = { source: "web_form", externalId: "sub-1", fields: { email: "kim@example.com" }, raw: {} };
    const a = await ingest({ ...base, orgId: owner.orgId });
    const b = await ingest({ ...base, orgId: other.orgId });
    const c = await ingest({ ...base, orgId: owner.orgId, source: "sms" });
    expect(a.created && b.created && c.created).toBe(true);
    expect(new Set([a.leadId, b.leadId, c.leadId]).size).toBe(3);
  });

  it("a later delivery fills what was missing and never overwrites the team's edits, without an event when nothing changed", async () => {
    const first = await ingest({ orgId: owner.orgId, source: "meta", externalId: "leadgen-2002", fields: { firstName: "Sam" }, raw: { v: 1 } });
    await t.admin`update leads set first_name = 'Samuel' where id = ${first.leadId}`;
    const again = await ingest({
      orgId: owner.orgId, source: "meta", externalId: "leadgen-2002",
      fields: { firstName: "Sam", email: "sam@example.com" }, raw: { v: 2 },
    });
    expect(again).toEqual({ leadId: first.leadId, created: false });
    const [lead] = await t.admin`select first_name, email::text, raw from leads where id = ${first.leadId}`;
    expect(lead).toEqual({ first_name: "Samuel", email: "sam@example.com", raw: { v: 1 } });

    const before = await t.admin`select count(*)::int as n from domain_events where object_id = ${first.leadId}`;
    const third = await ingest({
      orgId: owner.orgId, source: "meta", externalId: "leadgen-2002", fields: { firstName: "Sam", email: "sam@example.com" }, raw: { v: 3 },
    });
    expect(third.created).toBe(false);
    const after = await t.admin`select count(*)::int as n, count(*) filter (where type = 'lead.created')::int as created
                                from domain_events where object_id = ${first.leadId}`;
    expect(after[0].n).toBe(before[0].n);
    expect(after[0].created).toBe(1);
  });

  it("links the existing person with the same email, else the same phone, and never creates a person", async () => {
    const [ada] = await t.admin`insert into people (org_id, first_name, email) values (${owner.orgId}, 'Ada', 'ada@example.com') returning id`;
    const [bo] = await t.admin`insert into people (org_id, first_name, phone) values (${owner.orgId}, 'Bo', '+14155550199') returning id`;
    const people = await t.admin`select count(*)::int as n from people where org_id = ${owner.orgId}`;

    const byEmail = await ingest({ orgId: owner.orgId, source: "web_form", fields: { email: "ADA@example.com", phone: "+1 415 555 0199" }, raw: {} });
    const byPhone = await ingest({ orgId: owner.orgId, source: "sms", fields: { phone: "415-555-0199" }, raw: {} });
    const nobody = await ingest({ orgId: owner.orgId, source: "sms", fields: { phone: "415-555-0111" }, raw: {} });

    const rows = await t.admin`select id, person_id from leads where id in ${t.admin([byEmail.leadId, byPhone.leadId, nobody.leadId])}`;
    const personOf = new Map(rows.map((r) => [r.id, r.person_id]));
    expect(personOf.get(byEmail.leadId)).toBe(ada.id);
    expect(personOf.get(byPhone.leadId)).toBe(bo.id);
    expect(personOf.get(nobody.leadId)).toBeNull();
    const [after] = await t.admin`select count(*)::int as n from people where org_id = ${owner.orgId}`;
    expect(after.n).toBe(people[0].n);
  });

  it("refuses what cannot be stored, naming the field, and writes nothing", async () => {
    const count = async () => (await t.admin`select count(*)::int as n from leads where org_id = ${owner.orgId}`)[0].n;
    const before = await count();
    const badEmail = await refusal(ingest({ orgId: owner.orgId, source: "web_form", fields: { firstName: "X", email: "not-an-email" }, raw: {} }));
    expect(badEmail.code).toBe("validation_failed");
    expect(badEmail.details?.email?.[0]).toMatch(/valid email/);
    const nobody = await refusal(ingest({ orgId: owner.orgId, source: "web_form", fields: { message: "hi" }, raw: {} }));
    expect(Object.keys(nobody.details ?? {})).toEqual(["email"]);
    const source = await refusal(ingest({ orgId: owner.orgId, source: "carrier_pigeon", fields: { firstName: "X" }, raw: {} }));
    expect(source.details?.source).toBeDefined();
    const custom = await refusal(ingest({ orgId: owner.orgId, source: "web_form", fields: { firstName: "X" }, custom: { budget: 5 }, raw: {} }));
    expect(Object.keys(custom.details ?? {})).toEqual(["custom.budget"]);
    expect(await count()).toBe(before);
  });
});
