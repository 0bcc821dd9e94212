// Click-to-call against real Postgres, the real `twilio` SDK and the Twilio
// stand-in: the queued row, the call Twilio is asked to place (the member's
// phone first, the org's number as caller id, TwiML bridging to the
// contact), the SID recorded, the refusals, and the one write a member may
// make to a call's SID or status.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { sql } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { listTimeline } from "@/modules/crm/timeline";
import { twilioClient, type TwilioDeps } from "@/modules/twilio";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { bridgeTwiml, type MemberRun, placeCall } from "./place";
import { handleTwilioVoiceWebhook } from "./voice";

const t = useTestDatabase();
let keys: string;
let standIn: TwilioStandIn;
let twilio: Awaited<ReturnType<typeof serveTwilio>>;
let hooks: Server;
let publicBase: string;
let service: postgres.Sql;
const callbacks: { path: string; status: number }[] = [];

interface Org {
  user: TestUser;
  account: StandInAccount;
  numbers: string[];
  personId: string;
}
const orgs: Org[] = [];
const ME = "+15125550150";
const CONTACT = "+14155550123";

function deps(): TwilioDeps {
  const config = { apiUrl: twilio.url, webhookBaseUrl: publicBase };
  return { db: t.db, keyring: () => parseKeyring(keys), config, client: (creds) => twilioClient(creds, config) };
}
const runAs = (u: TestUser): MemberRun => (fn) => t.db.asUser(u.claims, fn);
const place = (u: TestUser, input: unknown) => placeCall(deps(), runAs(u), { userId: u.id, orgId: u.orgId }, input);
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => {
      expect(e).toBeInstanceOf(DomainError);
      return e as DomainError;
    },
  );
const callCount = async (orgId: string) => (await t.admin`select count(*)::int as n from calls where org_id = ${orgId}`)[0].n as number;

beforeAll(async () => {
  keys = generateKeySpec("k1");
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  standIn = createTwilioStandIn();
  standIn.settings.stepMs = 0;
  twilio = await serveTwilio(standIn);
  // Where Twilio (the stand-in) calls back: the real twilio-voice handler behind an HTTP server, at its public path.
  hooks = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const r = await handleTwilioVoiceWebhook(new Request(`${publicBase}${req.url!.slice("/functions/v1".length)}`, { method: "POST", headers, body }), {
      sql: service,
      keyring: () => parseKeyring(keys),
      webhookBaseUrl: publicBase,
    });
    callbacks.push({ path: req.url ?? "", status: r.status });
    res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
  });
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
  publicBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/functions/v1`;

  const keyring = await parseKeyring(keys);
  for (const [i, name] of ["Dialing Co", "Other Co"].entries()) {
    const user = await createUser(t, { orgName: name });
    const account = standIn.addAccount();
    const sealed = await sealSecret(keyring, account.authToken, { orgId: user.orgId, purpose: "twilio.auth_token" });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                   values (${user.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
    await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${user.orgId}, ${account.sid}, ${secret.id})`;
    const numbers = [`+1512555020${i}`, `+1512555030${i}`];
    for (const number of numbers) await t.admin`insert into phones (org_id, number) values (${user.orgId}, ${number})`;
    await t.admin`update profiles set phone = ${ME} where user_id = ${user.id}`;
    const [person] = await t.admin`insert into people (org_id, first_name, last_name, phone, additional_phones)
                                   values (${user.orgId}, 'Maria', 'Gonzalez', ${CONTACT}, '{+14155550124}') returning id`;
    orgs.push({ user, account, numbers, personId: person.id });
  }
});
afterAll(async () => {
  await twilio?.close();
  hooks?.close();
  await service?.end();
});
beforeEach(() => {
  Object.assign(standIn.settings, { callbacksFirst: false, callAnswer: "wait" });
  standIn.failures.clear();
});

describe("click-to-call", () => {
  it("writes the queued call at once and rings the member's phone from the org's number, with TwiML that bridges to the contact", async () => {
    const [a] = orgs;
    const placed = await place(a.user, { record: { type: "person", id: a.personId } });
    expect(placed).toMatchObject({ memberNumber: ME, orgNumber: a.numbers[0], contactNumber: CONTACT, personId: a.personId, leadId: null });

    const [row] = await t.admin`select * from calls where id = ${placed.id}`;
    expect(row).toMatchObject({
      org_id: a.user.orgId,
      direction: "outbound",
      source: "twilio",
      status: "queued",
      org_number: a.numbers[0],
      contact_number: CONTACT,
      user_id: a.user.id,
      person_id: a.personId,
      provider_sid: placed.sid,
      error_message: null,
    });

    const sent = standIn.calls.find((c) => c.sid === placed.sid);
    expect(sent).toMatchObject({
      accountSid: a.account.sid,
      to: ME,
      from: a.numbers[0],
      twiml: bridgeTwiml(a.numbers[0], CONTACT),
      dial: { number: CONTACT, callerId: a.numbers[0] },
      statusCallback: `${publicBase}/twilio-voice/status`,
      statusCallbackEvents: ["initiated", "ringing", "answered", "completed"],
      timeoutSeconds: 30,
    });
    expect(bridgeTwiml(a.numbers[0], CONTACT)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${a.numbers[0]}"><Number>${CONTACT}</Number></Dial></Response>`,
    );

    const page = await t.db.asUser(a.user.claims, (tx) => listTimeline(tx, { type: "person", id: a.personId }));
    const item = page.items.find((i) => i.kind === "call_placed");
    expect(item?.actor.id).toBe(a.user.id);
    expect(item?.call).toMatchObject({ direction: "outbound", source: "twilio", contactNumber: CONTACT });
    // The stand-in's status callbacks may already have moved it on, never backwards.
    expect(["queued", "initiated", "ringing"]).toContain(item?.call?.status);
    const events = await t.admin`select type from domain_events where object_id = ${placed.id}`;
    expect(events.map((e) => e.type)).toEqual(["call.started"]);
  });

  it("calls from the number the contact last talked with, and another of the record's numbers when asked", async () => {
    const [a] = orgs;
    await t.admin`insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, provider_sid)
                  values (${a.user.orgId}, 'inbound', ${a.numbers[1]}, ${CONTACT}, 'Call me', 'received', ${a.personId}, ${`SM${"e".repeat(32)}`})`;
    const placed = await place(a.user, { record: { type: "person", id: a.personId } });
    expect(placed.orgNumber).toBe(a.numbers[1]);
    const other = await place(a.user, { record: { type: "person", id: a.personId }, number: "+14155550124" });
    expect(other).toMatchObject({ contactNumber: "+14155550124", orgNumber: a.numbers[0] });
    expect(standIn.calls.find((c) => c.sid === other.sid)?.dial?.number).toBe("+14155550124");

    const wrong = await refusal(place(a.user, { record: { type: "person", id: a.personId }, number: "+14155550999" }));
    expect(wrong).toMatchObject({ code: "validation_failed", details: { number: ["+14155550999 is not one of Maria Gonzalez's numbers"] } });
  });

  it("calls a lead, and a deal's person", async () => {
    const [a] = orgs;
    const [lead] = await t.admin`insert into leads (org_id, source, first_name, phone) values (${a.user.orgId}, 'manual', 'Lee', '+14155550177') returning id`;
    const onLead = await place(a.user, { record: { type: "lead", id: lead.id } });
    expect(onLead).toMatchObject({ leadId: lead.id, personId: null, contactNumber: "+14155550177" });
    const [pipeline] = await t.admin`select p.id, s.id as stage_id from pipelines p join pipeline_stages s on s.pipeline_id = p.id
                                     where p.org_id = ${a.user.orgId} order by s.position limit 1`;
    const [deal] = await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, person_id)
                                 values (${a.user.orgId}, 'Quote', ${pipeline.id}, ${pipeline.stage_id}, ${a.personId}) returning id`;
    const onDeal = await place(a.user, { record: { type: "deal", id: deal.id } });
    expect(onDeal).toMatchObject({ personId: a.personId, contactNumber: CONTACT });
  });
});

describe("a placed call's progress", () => {
  const row = async (id: string) =>
    (await t.admin`select status, duration_seconds, answered_at, ended_at, provider_sid from calls where id = ${id}`)[0] as {
      status: string;
      duration_seconds: number | null;
      answered_at: Date | null;
      ended_at: Date | null;
      provider_sid: string;
    };

  it("rings, is answered and bridged, and completes with its duration, as Twilio's signed status callbacks say", async () => {
    const [a] = orgs;
    await standIn.settled();
    callbacks.length = 0;
    const placed = await place(a.user, { record: { type: "person", id: a.personId } });
    await standIn.settled();
    expect(await row(placed.id)).toMatchObject({ status: "ringing", answered_at: null, duration_seconds: null });
    await standIn.answerCall(placed.sid);
    expect(await row(placed.id)).toMatchObject({ status: "in-progress", answered_at: expect.any(Date) });
    await standIn.hangUpCall(placed.sid, 95);
    expect(await row(placed.id)).toMatchObject({ status: "completed", duration_seconds: 95, ended_at: expect.any(Date) });
    // Every callback reached the function at its public path and was accepted.
    expect(callbacks).toEqual(["initiated", "ringing", "in-progress", "completed"].map(() => ({ path: "/functions/v1/twilio-voice/status", status: 204 })));
    const events = await t.admin`select type, data from domain_events where object_id = ${placed.id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["call.started", "call.ended"]);
    expect(events[1].data).toMatchObject({ status: "completed", duration_seconds: 95, provider_sid: placed.sid });
    const page = await t.db.asUser(a.user.claims, (tx) => listTimeline(tx, { type: "person", id: a.personId }));
    expect(page.items.find((i) => i.kind === "call_placed")?.call).toMatchObject({ status: "completed", durationSeconds: 95 });
  });

  it("ends busy when the member declines on their phone", async () => {
    const [a] = orgs;
    const placed = await place(a.user, { record: { type: "person", id: a.personId } });
    await standIn.settled();
    await standIn.declineCall(placed.sid);
    expect(await row(placed.id)).toMatchObject({ status: "busy", duration_seconds: 0 });
  });

  it("ends completed with its duration when every callback arrives before Twilio's answer to calls.create, and the SID after them", async () => {
    const [a] = orgs;
    Object.assign(standIn.settings, { callbacksFirst: true, callAnswer: "answer", callSeconds: 42 });
    const placed = await place(a.user, { record: { type: "person", id: a.personId } });
    // The callbacks were kept by CallSid before the row had it; recording the SID applied them.
    expect(await t.admin`select count(*)::int as n from private.call_callbacks where call_sid = ${placed.sid}`).toEqual([{ n: 4 }]);
    expect(await row(placed.id)).toMatchObject({ status: "completed", duration_seconds: 42, provider_sid: placed.sid, answered_at: expect.any(Date) });
  });
});

describe("click-to-call refusals", () => {
  it("refuses a member with no phone on their profile, naming it and where to add it, with nothing written or dialled", async () => {
    const [a] = orgs;
    const colleague = await createMember(t, a.user.orgId, "member");
    const before = { calls: await callCount(a.user.orgId), placed: standIn.calls.length };
    const e = await refusal(place(colleague, { record: { type: "person", id: a.personId } }));
    expect(e.code).toBe("conflict");
    expect(e.message).toBe("Add your own phone in Settings → Profile first: Covey rings it, then connects you to the contact.");
    expect(e.data).toEqual({ fix: { href: "/settings/profile", label: "Add your phone in Settings → Profile" } });
    expect({ calls: await callCount(a.user.orgId), placed: standIn.calls.length }).toEqual(before);
  });

  it("refuses a contact without a phone on the field, and another workspace's person as not found", async () => {
    const [a, b] = orgs;
    const [nophone] = await t.admin`insert into people (org_id, first_name) values (${a.user.orgId}, 'Nophone') returning id`;
    const before = await callCount(a.user.orgId);
    const none = await refusal(place(a.user, { record: { type: "person", id: nophone.id } }));
    expect(none).toMatchObject({ code: "validation_failed", details: { to: ["Nophone has no phone number to call"] } });
    const elsewhere = await refusal(place(a.user, { record: { type: "person", id: b.personId } }));
    expect(elsewhere.code).toBe("not_found");
    expect(await callCount(a.user.orgId)).toBe(before);
    expect(await callCount(b.user.orgId)).toBe(0);
  });

  it("refuses when the workspace has no number that makes calls", async () => {
    const lonely = await createUser(t, { orgName: "No Numbers" });
    await t.admin`update profiles set phone = ${ME} where user_id = ${lonely.id}`;
    const sealed = await sealSecret(await parseKeyring(keys), "token", { orgId: lonely.orgId, purpose: "twilio.auth_token" });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                   values (${lonely.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
    await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${lonely.orgId}, ${`AC${"1".repeat(32)}`}, ${secret.id})`;
    await t.admin`insert into phones (org_id, number, voice_enabled) values (${lonely.orgId}, '+15125550999', false)`;
    const [person] = await t.admin`insert into people (org_id, first_name, phone) values (${lonely.orgId}, 'Sam', ${CONTACT}) returning id`;
    const e = await refusal(place(lonely, { record: { type: "person", id: person.id } }));
    expect(e).toMatchObject({ code: "conflict", message: "This workspace has no number that makes calls yet: an owner or admin adds one in Settings → Numbers." });
    expect(await callCount(lonely.orgId)).toBe(0);
  });

  it("keeps a call Twilio refused as failed with Twilio's message, and says it", async () => {
    const [a] = orgs;
    standIn.failures.set(ME, 21215);
    const e = await refusal(place(a.user, { record: { type: "person", id: a.personId } }));
    expect(e.code).toBe("validation_failed");
    expect(e.message).toMatch(/^Twilio refused the call: Account not authorized to call \+15125550150\. .* \(21215\)$/);
    const [row] = await t.admin`select status, error_code, error_message, provider_sid, ended_at from calls
                                where org_id = ${a.user.orgId} order by created_at desc limit 1`;
    expect(row).toMatchObject({ status: "failed", error_code: 21215, provider_sid: null, ended_at: expect.any(Date) });
    expect(row.error_message).toMatch(/^Account not authorized to call \+15125550150/);
    const events = await t.admin`select type from domain_events where object_id = (select id from calls where org_id = ${a.user.orgId} order by created_at desc limit 1) order by id`;
    expect(events.map((x) => x.type)).toEqual(["call.started", "call.ended"]);
  });
});

describe("recording a placement", () => {
  it("is the placing member's only write to a call's SID or status, and only while it waits for Twilio", async () => {
    const [a] = orgs;
    const colleague = await createMember(t, a.user.orgId, "admin");
    const [queued] = await t.admin`insert into calls (org_id, direction, source, org_number, contact_number, status, user_id, person_id)
                                   values (${a.user.orgId}, 'outbound', 'twilio', ${a.numbers[0]}, ${CONTACT}, 'queued', ${a.user.id}, ${a.personId}) returning id`;
    const record = (u: TestUser, id: string, sid: string | null, message: string | null = null) =>
      t.db.asUser(u.claims, (tx) => sql`select public.record_call_placement(${id}, ${sid}, null, ${message})`.execute(tx));
    const sid = `CA${"a".repeat(32)}`;
    await expect(record(colleague, queued.id, sid)).rejects.toMatchObject({ code: "42501" });
    await expect(record(a.user, queued.id, null)).rejects.toMatchObject({ code: "22023" });
    await record(a.user, queued.id, sid);
    expect((await t.admin`select provider_sid, status from calls where id = ${queued.id}`)[0]).toEqual({ provider_sid: sid, status: "queued" });
    // Once Twilio's answer is recorded, it is Twilio's callbacks' to move on.
    await expect(record(a.user, queued.id, null, "made up")).rejects.toMatchObject({ code: "42501" });
    const [logged] = await t.admin`insert into calls (org_id, direction, source, status, outcome, user_id, person_id)
                                   values (${a.user.orgId}, 'outbound', 'manual', 'completed', 'connected', ${a.user.id}, ${a.personId}) returning id`;
    await expect(record(a.user, logged.id, `CA${"b".repeat(32)}`)).rejects.toMatchObject({ code: "42501" });
    const [b] = orgs.slice(1);
    await expect(record(b.user, queued.id, null, "other org")).rejects.toMatchObject({ code: "42501" });
  });
});
