// Calls against real Postgres: logging a call made outside Covey, what it
// sets off (timeline item, call.logged), refusals, and the policies.
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { listTimeline } from "@/modules/crm/timeline";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { logCall } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let other: TestUser;
let personId: string;
let leadId: string;
let otherPersonId: string;

const log = (user: TestUser, input: unknown) => t.db.asUser(user.claims, (tx) => logCall(tx, user.id, user.orgId, input));
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const count = async () => (await t.admin`select count(*)::int as n from calls`)[0].n as number;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Calling Co" });
  other = await createUser(t, { orgName: "Other Co" });
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name, last_name, phone) values (${owner.orgId}, 'Ada', 'Caller', '+14155550123') returning id`;
  [{ id: leadId }] = await t.admin`insert into leads (org_id, source, first_name) values (${owner.orgId}, 'manual', 'Lee') returning id`;
  [{ id: otherPersonId }] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Elsewhere') returning id`;
});

describe("logging a call made outside Covey", () => {
  it("writes the call with its outcome, duration and notes, on the person's timeline, with call.logged", async () => {
    const call = await log(owner, {
      record: { type: "person", id: personId },
      direction: "outbound",
      outcome: "left_voicemail",
      minutes: "2.5",
      notes: "Asked her to call back about the quote.",
    });
    const [row] = await t.admin`select * from calls where id = ${call.id}`;
    expect(row).toMatchObject({
      org_id: owner.orgId,
      source: "manual",
      direction: "outbound",
      status: "completed",
      outcome: "left_voicemail",
      duration_seconds: 150,
      notes: "Asked her to call back about the quote.",
      contact_number: "+14155550123",
      user_id: owner.id,
      person_id: personId,
    });
    const page = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "person", id: personId }));
    const item = page.items.find((i) => i.kind === "call_logged");
    expect(item?.actor.id).toBe(owner.id);
    expect(item?.call).toMatchObject({ source: "manual", outcome: "left_voicemail", durationSeconds: 150, notes: "Asked her to call back about the quote." });
    const events = await t.admin`select type, data from domain_events where object_id = ${call.id}`;
    expect(events.map((e) => e.type)).toEqual(["call.logged"]);
    expect(events[0].data).toMatchObject({ outcome: "left_voicemail", duration_seconds: 150, person_id: personId });
  });

  it("logs on a lead, with no duration when none is given", async () => {
    const call = await log(owner, { record: { type: "lead", id: leadId }, direction: "inbound", outcome: "connected", minutes: "" });
    const [row] = await t.admin`select lead_id, duration_seconds, contact_number, direction from calls where id = ${call.id}`;
    expect(row).toEqual({ lead_id: leadId, duration_seconds: null, contact_number: null, direction: "inbound" });
    const page = await t.db.asUser(owner.claims, (tx) => listTimeline(tx, { type: "lead", id: leadId }));
    expect(page.items.some((i) => i.kind === "call_logged" && i.call?.direction === "inbound")).toBe(true);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const before = await count();
    const bad = await refusal(log(owner, { record: { type: "person", id: personId }, direction: "outbound", outcome: "shouted", minutes: "-3" }));
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).code).toBe("validation_failed");
    expect(Object.keys((bad as DomainError).details ?? {}).sort()).toEqual(["minutes", "outcome"]);
    const future = await refusal(
      log(owner, { record: { type: "person", id: personId }, direction: "outbound", outcome: "busy", at: new Date(Date.now() + 86_400_000).toISOString() }),
    );
    expect(Object.keys((future as DomainError).details ?? {})).toEqual(["at"]);
    expect(await count()).toBe(before);
  });

  it("cannot log on another workspace's person", async () => {
    const before = await count();
    const e = await refusal(log(owner, { record: { type: "person", id: otherPersonId }, direction: "outbound", outcome: "connected" }));
    expect((e as DomainError).code).toBe("not_found");
    expect(await count()).toBe(before);
  });
});

describe("the calls policies", () => {
  it("let a member log only as themselves, and never move a call's status or recording", async () => {
    const member = await createMember(t, owner.orgId, "member");
    const asOther = await refusal(
      t.admin.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(member.claims)}, true)`;
        await tx`set local role authenticated`;
        await tx`insert into calls (org_id, direction, source, status, outcome, user_id, person_id)
                 values (${owner.orgId}, 'outbound', 'manual', 'completed', 'connected', ${owner.id}, ${personId})`;
      }),
    );
    expect(asOther).toMatchObject({ code: "42501" });
    const [call] = await t.admin`insert into calls (org_id, direction, source, status, outcome, person_id)
                                 values (${owner.orgId}, 'inbound', 'manual', 'completed', 'connected', ${personId}) returning id`;
    const moved = await refusal(
      t.admin.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(member.claims)}, true)`;
        await tx`set local role authenticated`;
        await tx`update calls set recording_url = 'https://example.com/x.wav' where id = ${call.id}`;
      }),
    );
    expect(moved).toMatchObject({ code: "42501" });
  });
});
