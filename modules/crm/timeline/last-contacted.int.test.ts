// "Last contacted" moved by real communications, by the database's triggers,
// on real Postgres: each kind of text, email and call, for the person, their
// company and the lead; what is not contact (failed texts, queued or system
// mail, calls that never connected) leaves it alone; older events never
// lower it; and the touch is not an edit on the record's timeline.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { logCall } from "@/modules/calls";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let other: TestUser;

const ORG_NUMBER = "+15125550100";
const CONTACT = "+15125550199";

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Contacted Co" });
  other = await createUser(t, { orgName: "Other Co" });
  await t.admin`insert into phones (org_id, number) values (${owner.orgId}, ${ORG_NUMBER})`;
});

async function fixture(org: TestUser = owner) {
  const [company] = await t.admin`insert into companies (org_id, name) values (${org.orgId}, 'Acme') returning id`;
  const [person] = await t.admin`
    insert into people (org_id, first_name, phone, email, company_id) values (${org.orgId}, 'Pat', ${CONTACT}, ${`pat-${randomUUID()}@acme.test`}, ${company.id})
    returning id`;
  const [lead] = await t.admin`insert into leads (org_id, first_name, phone) values (${org.orgId}, 'Lee', ${CONTACT}) returning id`;
  return { companyId: company.id as string, personId: person.id as string, leadId: lead.id as string };
}

async function contacted(f: { companyId: string; personId: string; leadId: string }) {
  const [row] = await t.admin`
    select (select last_contacted_at from people where id = ${f.personId}) as person,
           (select last_contacted_at from companies where id = ${f.companyId}) as company,
           (select last_contacted_at from leads where id = ${f.leadId}) as lead`;
  const iso = (v: Date | null) => (v ? v.toISOString() : null);
  return { person: iso(row.person), company: iso(row.company), lead: iso(row.lead) };
}

/** A member's outbound text, written as the compose drawer writes it: queued, as the member. */
async function queueText(to: { person_id?: string; lead_id?: string }, at = "") {
  return t.db.asUser(owner.claims, async (tx) => {
    const { rows } = await sql<{ id: string }>`
      insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, lead_id, author_id)
      values (${owner.orgId}, 'outbound', ${ORG_NUMBER}, ${CONTACT}, 'Hello', 'queued', ${to.person_id ?? null}, ${to.lead_id ?? null}, ${owner.id})
      returning id`.execute(tx);
    return { id: rows[0].id, at };
  });
}

/** Twilio's status callback for the message, as the twilio-sms function applies it (service_role), once the send recorded its SID. */
async function twilioStatus(smsId: string, status: string) {
  const sid = `SM${smsId.replace(/-/g, "")}`;
  await t.admin`update sms_messages set provider_sid = ${sid} where id = ${smsId}`;
  await t.db.asService((tx) => sql`select private.sms_status_callback(${sid}, ${status}, null)`.execute(tx));
}

describe("last contacted from texts", () => {
  it("moves for the person and their company when an outbound text is sent, not while it is queued", async () => {
    const f = await fixture();
    const text = await queueText({ person_id: f.personId }, "2026-11-01T10:00:00Z");
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: null });

    await t.db.asService((tx) =>
      sql`update sms_messages set status = 'sent', sent_at = ${text.at}::timestamptz where id = ${text.id}`.execute(tx),
    );
    expect(await contacted(f)).toEqual({ person: "2026-11-01T10:00:00.000Z", company: "2026-11-01T10:00:00.000Z", lead: null });
  });

  it("moves when Twilio's callback reports the text sent or delivered", async () => {
    const f = await fixture();
    const text = await queueText({ lead_id: f.leadId });
    await twilioStatus(text.id, "delivered");
    const [row] = await t.admin`select status, sent_at from sms_messages where id = ${text.id}`;
    expect(row.status).toBe("delivered");
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: row.sent_at.toISOString() });
  });

  it("does not move for a text that failed or was undelivered", async () => {
    const f = await fixture();
    const failed = await queueText({ person_id: f.personId });
    await twilioStatus(failed.id, "failed");
    const undelivered = await queueText({ lead_id: f.leadId });
    await twilioStatus(undelivered.id, "undelivered");
    expect(
      (await t.admin`select status from sms_messages where id in (${failed.id}, ${undelivered.id}) order by status`).map((r) => r.status),
    ).toEqual(["failed", "undelivered"]);
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: null });
  });

  it("moves for an inbound text at the time it came in", async () => {
    const f = await fixture();
    await t.db.asService((tx) =>
      sql`insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, created_at)
          values (${owner.orgId}, 'inbound', ${ORG_NUMBER}, ${CONTACT}, 'Hi back', 'received', ${f.personId}, '2026-11-02T08:30:00Z')`.execute(tx),
    );
    expect(await contacted(f)).toEqual({ person: "2026-11-02T08:30:00.000Z", company: "2026-11-02T08:30:00.000Z", lead: null });
  });
});

describe("last contacted from email", () => {
  async function email(values: Record<string, unknown>) {
    const base = { org_id: owner.orgId, provider: "gmail", from_address: "me@covey.test", to_addresses: ["pat@acme.test"], subject: "Hi" };
    return t.db.asService((tx) =>
      tx
        .insertInto("emails")
        .values({ ...base, ...values } as never)
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
  }

  it("moves when a member's email is sent, not while it is queued or when it failed", async () => {
    const f = await fixture();
    const queued = await email({ direction: "outbound", status: "queued", person_id: f.personId, lead_id: f.leadId });
    const failed = await email({ direction: "outbound", status: "failed", person_id: f.personId });
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: null });

    await t.admin`update emails set status = 'failed' where id = ${failed.id}`;
    await t.db.asService((tx) =>
      tx.updateTable("emails").set({ status: "sent", sent_at: new Date("2026-11-03T09:00:00Z") }).where("id", "=", queued.id).execute(),
    );
    expect(await contacted(f)).toEqual({
      person: "2026-11-03T09:00:00.000Z",
      company: "2026-11-03T09:00:00.000Z",
      lead: "2026-11-03T09:00:00.000Z",
    });
  });

  it("moves for a received email, and not for the system's own mail", async () => {
    const f = await fixture();
    await email({ direction: "outbound", status: "sent", tag: "invite", sent_at: "2026-11-05T00:00:00Z", person_id: f.personId });
    expect((await contacted(f)).person).toBeNull();

    await email({ direction: "inbound", status: "received", received_at: "2026-11-04T12:00:00Z", lead_id: f.leadId, from_address: "lee@x.test" });
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: "2026-11-04T12:00:00.000Z" });
  });

  it("never moves backwards: an old email imported today leaves a later contact in place", async () => {
    const f = await fixture();
    await email({ direction: "inbound", status: "received", received_at: "2026-11-10T12:00:00Z", person_id: f.personId });
    await email({ direction: "inbound", status: "received", received_at: "2024-01-01T12:00:00Z", person_id: f.personId });
    expect((await contacted(f)).person).toBe("2026-11-10T12:00:00.000Z");
    await email({ direction: "inbound", status: "received", received_at: "2026-11-11T12:00:00Z", person_id: f.personId });
    expect((await contacted(f)).person).toBe("2026-11-11T12:00:00.000Z");
  });

  it("takes the latest of a statement's many emails in one pass, as a sync page writes them", async () => {
    const f = await fixture();
    const base = { org_id: owner.orgId, provider: "gmail", direction: "inbound", status: "received", from_address: "pat@acme.test", person_id: f.personId };
    await t.db.asService((tx) =>
      tx
        .insertInto("emails")
        .values(["2026-10-01", "2026-10-20", "2026-10-05"].map((d) => ({ ...base, received_at: new Date(`${d}T00:00:00Z`) })) as never)
        .execute(),
    );
    expect((await contacted(f)).person).toBe("2026-10-20T00:00:00.000Z");
  });
});

describe("last contacted from calls", () => {
  it("moves for a logged call at the time the member gave", async () => {
    const f = await fixture();
    await t.db.asUser(owner.claims, (tx) =>
      logCall(tx, owner.id, owner.orgId, {
        record: { type: "lead", id: f.leadId },
        direction: "outbound",
        outcome: "no_answer",
        at: "2026-11-06T15:00:00Z",
      }),
    );
    expect(await contacted(f)).toEqual({ person: null, company: null, lead: "2026-11-06T15:00:00.000Z" });
  });

  it("moves when a Twilio call completes with a duration, not when it rang out or failed", async () => {
    const f = await fixture();
    const insert = (status: string) =>
      t.db.asService(async (tx) => {
        const { rows } = await sql<{ id: string }>`
          insert into calls (org_id, direction, source, org_number, contact_number, status, person_id, started_at)
          values (${owner.orgId}, 'inbound', 'twilio', ${ORG_NUMBER}, ${CONTACT}, ${status}, ${f.personId}, '2026-11-07T10:00:00Z')
          returning id`.execute(tx);
        return rows[0].id;
      });
    const missed = await insert("ringing");
    await t.admin`update calls set status = 'no-answer', duration_seconds = 0 where id = ${missed}`;
    const zero = await insert("in-progress");
    await t.admin`update calls set status = 'completed', duration_seconds = 0 where id = ${zero}`;
    expect((await contacted(f)).person).toBeNull();

    const answered = await insert("ringing");
    await t.admin`update calls set status = 'in-progress', answered_at = '2026-11-07T10:00:05Z' where id = ${answered}`;
    expect((await contacted(f)).person).toBeNull();
    await t.admin`update calls set status = 'completed', duration_seconds = 42 where id = ${answered}`;
    expect(await contacted(f)).toEqual({ person: "2026-11-07T10:00:05.000Z", company: "2026-11-07T10:00:05.000Z", lead: null });
  });
});

describe("the touch itself", () => {
  it("is not an edit on the timeline or a person.updated event, while setting it by hand still is", async () => {
    const f = await fixture();
    await t.db.asService((tx) =>
      sql`insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, lead_id)
          values (${owner.orgId}, 'inbound', ${ORG_NUMBER}, ${CONTACT}, 'Hi', 'received', ${f.personId}, ${f.leadId})`.execute(tx),
    );
    const c = await contacted(f);
    expect([c.person, c.company, c.lead].every(Boolean)).toBe(true);
    const items = await t.admin`
      select kind from timeline_events where (person_id = ${f.personId} or company_id = ${f.companyId} or lead_id = ${f.leadId}) and kind = 'updated'`;
    expect(items).toHaveLength(0);
    const events = await t.admin`
      select type from domain_events where object_id in (${f.personId}, ${f.companyId}, ${f.leadId}) and type like '%.updated'`;
    expect(events).toHaveLength(0);
    const audit = await t.admin`select table_name from audit_log where record_id = ${f.personId}::text and action = 'update'`;
    expect(audit.map((a) => a.table_name)).toEqual(["people"]);

    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("people").set({ last_contacted_at: new Date("2026-12-01T00:00:00Z") }).where("id", "=", f.personId).execute(),
    );
    const edits = await t.admin`select data from timeline_events where person_id = ${f.personId} and kind = 'updated'`;
    expect(edits.map((e) => Object.keys(e.data.changes))).toEqual([["last_contacted_at"]]);
  });

  it("reaches only the org's own records and leaves members' read access as it was", async () => {
    const mine = await fixture();
    const theirs = await fixture(other);
    await t.db.asService((tx) =>
      sql`insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id)
          values (${owner.orgId}, 'inbound', ${ORG_NUMBER}, ${CONTACT}, 'Hi', 'received', ${mine.personId})`.execute(tx),
    );
    expect((await contacted(theirs)).person).toBeNull();
    const seen = await t.db.asUser(other.claims, (tx) =>
      tx.selectFrom("people").select(["id", "last_contacted_at"]).where("id", "in", [mine.personId, theirs.personId]).execute(),
    );
    expect(seen).toEqual([{ id: theirs.personId, last_contacted_at: null }]);
  });
});
