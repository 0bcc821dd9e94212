// Inbound calls against real Postgres and the job queue: Twilio's voice
// webhooks signed exactly as Twilio signs (the SDK's
// getExpectedTwilioSignature) for the public URL Twilio was given, handed
// to the twilio-voice handler as Request objects, and the TwiML it answers
// read as Twilio reads it.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { signTwilioRequest } from "@/modules/twilio/signature";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { receiveCall } from "./receive";
import { handleTwilioVoiceWebhook, RECEIVE_CALL_JOB } from "./voice";

const t = useTestDatabase();
const PUBLIC_BASE = "https://covey.example.com/functions/v1";
let keys: string;
let service: postgres.Sql;
const orgs: { user: TestUser; accountSid: string; token: string; number: string; personId: string; phoneId: string }[] = [];
const SHARED_CALLER = "+14155550123";
let now = new Date("2026-12-08T16:00:00Z");

const deps = (o: { webhookBaseUrl?: string | null } = {}) => ({
  sql: service,
  keyring: () => parseKeyring(keys),
  webhookBaseUrl: o.webhookBaseUrl === undefined ? PUBLIC_BASE : o.webhookBaseUrl,
  now: () => now,
});
const runQueue = () => runJobs(service, { [RECEIVE_CALL_JOB]: receiveCall }, { env: () => "", fetch });
let sids = 0;
const newSid = (prefix = "CA") => `${prefix}${(++sids).toString(16).padStart(32, "0")}`;

type Org = (typeof orgs)[number];

/** POSTs Twilio's parameters to `path` under the function, signed for the public URL (or `signedUrl`). */
function deliver(
  org: Org,
  path: string,
  params: Record<string, string>,
  o: { token?: string; signedUrl?: string; url?: string; headers?: Record<string, string>; signature?: string | null; webhookBaseUrl?: string | null } = {},
) {
  const all = { AccountSid: org.accountSid, ApiVersion: "2010-04-01", ...params };
  const signedUrl = o.signedUrl ?? `${PUBLIC_BASE}/twilio-voice${path}`;
  const signature = o.signature === undefined ? signTwilioRequest(o.token ?? org.token, signedUrl, all) : o.signature;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...o.headers };
  if (signature) headers["x-twilio-signature"] = signature;
  return handleTwilioVoiceWebhook(
    new Request(o.url ?? signedUrl, { method: "POST", headers, body: new URLSearchParams(all).toString() }),
    deps({ webhookBaseUrl: o.webhookBaseUrl }),
  );
}

/** A call from `from` to the org's number, as Twilio first asks what to do with it. */
const ring = (org: Org, from: string, sid: string, extra: Parameters<typeof deliver>[3] = {}) =>
  deliver(org, "", { CallSid: sid, From: from, To: org.number, CallStatus: "ringing", Direction: "inbound", Caller: from, Called: org.number }, extra);

const status = (org: Org, sid: string, callStatus: string, extra: Record<string, string> = {}) =>
  deliver(org, "/status", { CallSid: sid, From: SHARED_CALLER, To: org.number, CallStatus: callStatus, Direction: "inbound", ...extra });

const stored = async () => {
  const [r] = await t.admin`select (select count(*)::int from private.inbound_events where provider = 'twilio_voice') as events,
                                   (select count(*)::int from jobs where kind = 'call.receive') as jobs`;
  return r as { events: number; jobs: number };
};

beforeAll(async () => {
  keys = generateKeySpec("k1");
  service = postgres(t.appUrl, { max: 6, onnotice: () => {}, connection: { role: "service_role" } });
  const keyring = await parseKeyring(keys);
  for (const [i, name] of ["Texas Agency", "Ohio Agency"].entries()) {
    const user = await createUser(t, { orgName: name });
    const accountSid = `AC${String(i + 1).padStart(32, "0")}`;
    const token = `${i + 1}`.repeat(32);
    const sealed = await sealSecret(keyring, token, { orgId: user.orgId, purpose: "twilio.auth_token" });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                   values (${user.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
    await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${user.orgId}, ${accountSid}, ${secret.id})`;
    const number = `+1512555020${i + 1}`;
    const [phone] = await t.admin`insert into phones (org_id, number, default_owner_id) values (${user.orgId}, ${number}, ${user.claims.sub}) returning id`;
    // The same caller is a person in both workspaces, each owned by that workspace's owner.
    const [person] = await t.admin`insert into people (org_id, first_name, last_name, phone, owner_id)
                                   values (${user.orgId}, 'Pat', 'Both', ${SHARED_CALLER}, ${user.claims.sub}) returning id`;
    orgs.push({ user, accountSid, token, number, personId: person.id, phoneId: phone.id });
  }
});
afterAll(async () => {
  await service?.end();
});

describe("the twilio-voice webhook", () => {
  it("refuses a forged, missing or other account's signature with 403 and stores nothing", async () => {
    const [a, b] = orgs;
    const sid = newSid();
    expect((await ring(a, SHARED_CALLER, sid, { token: "0".repeat(32) })).status).toBe(403);
    expect((await ring(a, SHARED_CALLER, sid, { signature: null })).status).toBe(403);
    // Org B's token, for org A's number; and org B's callback claiming org A's account.
    expect((await ring(a, SHARED_CALLER, sid, { token: b.token })).status).toBe(403);
    expect((await status(a, sid, "completed", { AccountSid: b.accountSid })).status).toBe(403);
    // A parameter changed after signing.
    const params = { AccountSid: a.accountSid, ApiVersion: "2010-04-01", CallSid: sid, From: SHARED_CALLER, To: a.number, CallStatus: "ringing" };
    const signature = signTwilioRequest(a.token, `${PUBLIC_BASE}/twilio-voice`, params);
    expect((await deliver(a, "", { ...params, From: "+14155550999" }, { signature })).status).toBe(403);
    // Signed for another route than the one it reached.
    expect((await deliver(a, "/status", { CallSid: sid, To: a.number, From: SHARED_CALLER, CallStatus: "completed" }, { signedUrl: `${PUBLIC_BASE}/twilio-voice/recording`, url: `${PUBLIC_BASE}/twilio-voice/status` })).status).toBe(403);
    expect(await stored()).toEqual({ events: 0, jobs: 0 });
    expect(await t.admin`select count(*)::int as n from private.call_callbacks`).toEqual([{ n: 0 }]);
  });

  it("accepts a real call behind a proxy that changed the host, from the forwarded headers or the configured base", async () => {
    const [a] = orgs;
    const before = await stored();
    const proxied = await ring(a, "+14155550150", newSid(), {
      url: "http://10.0.3.7:9000/twilio-voice",
      signedUrl: "https://calls.example.org/functions/v1/twilio-voice",
      headers: { "x-forwarded-host": "calls.example.org", "x-forwarded-proto": "https" },
      webhookBaseUrl: null,
    });
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get("content-type")).toBe("text/xml");
    // The TwiML sends Twilio back to the public address it came by.
    expect(await proxied.text()).toContain("https://calls.example.org/functions/v1/twilio-voice/");
    // The function host stripped the path; the configured base is what Twilio signed.
    const internal = await ring(a, "+14155550150", newSid(), { url: "http://127.0.0.1:8000/" });
    expect(internal.status).toBe(200);
    expect(await stored()).toEqual({ events: before.events + 2, jobs: before.jobs + 2 });
  });

  it("stores the same CallSid once, even delivered twice at once, and makes one call row", async () => {
    const [a] = orgs;
    const sid = newSid();
    const before = await stored();
    const answers = await Promise.all([ring(a, "+14155550151", sid), ring(a, "+14155550151", sid)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await stored()).toEqual({ events: before.events + 1, jobs: before.jobs + 1 });
    await runQueue();
    expect((await ring(a, "+14155550151", sid)).status).toBe(200);
    expect((await status(a, sid, "completed", { CallDuration: "12" })).status).toBe(204);
    expect((await status(a, sid, "completed", { CallDuration: "12" })).status).toBe(204);
    await runQueue();
    expect(await t.admin`select count(*)::int as n from calls where provider_sid = ${sid}`).toEqual([{ n: 1 }]);
    const ended = await t.admin`select count(*)::int as n from domain_events where type = 'call.ended' and data->>'provider_sid' = ${sid}`;
    expect(ended).toEqual([{ n: 1 }]);
  });
});

describe("answering an inbound call", () => {
  it("goes straight to voicemail with the after-hours greeting outside business hours", async () => {
    const [a] = orgs;
    await t.admin`update phones set business_hours_enabled = true, business_time_zone = 'America/Chicago', business_days = '{1,2,3,4,5}',
                  business_opens = '09:00', business_closes = '17:00', after_hours_greeting = 'We open at nine & close at five.',
                  voicemail_max_seconds = 90 where id = ${a.phoneId}`;
    try {
      // Tuesday 8 December 2026, 20:00 in Chicago.
      now = new Date("2026-12-09T02:00:00Z");
      const xml = await (await ring(a, SHARED_CALLER, newSid())).text();
      expect(xml).toContain("<Say>We open at nine &amp; close at five.</Say>");
      expect(xml).toMatch(/<Record [^>]*maxLength="90"/);
      expect(xml).toContain(`recordingStatusCallback="${PUBLIC_BASE}/twilio-voice/recording?number=${encodeURIComponent(a.number)}"`);
      expect(xml).toContain(`action="${PUBLIC_BASE}/twilio-voice/hangup"`);
      expect(xml).not.toContain("<Dial");
      // Saturday noon is closed too; Tuesday 10:00 in Chicago is open.
      now = new Date("2026-12-12T18:00:00Z");
      expect(await (await ring(a, SHARED_CALLER, newSid())).text()).toContain("We open at nine");
      now = new Date("2026-12-08T16:00:00Z");
      expect(await (await ring(a, SHARED_CALLER, newSid())).text()).not.toContain("We open at nine");
    } finally {
      await t.admin`update phones set business_hours_enabled = false, voicemail_max_seconds = 120 where id = ${a.phoneId}`;
    }
  });

  it("greets, then forwards to the number's default owner's own phone with the number's timeout, during business hours", async () => {
    const [a] = orgs;
    await t.admin`update profiles set phone = '+14155550110' where user_id = ${a.user.claims.sub}`;
    await t.admin`update phones set business_hours_enabled = true, business_days = '{2}', voice_forward_timeout_seconds = 25,
                  voice_greeting = 'Thanks for calling Texas Agency.' where id = ${a.phoneId}`;
    try {
      // Tuesday 10:00 in Chicago.
      now = new Date("2026-12-08T16:00:00Z");
      const xml = await (await ring(a, SHARED_CALLER, newSid())).text();
      expect(xml).toContain("<Say>Thanks for calling Texas Agency.</Say>");
      expect(xml).toContain(
        `<Dial timeout="25" action="${PUBLIC_BASE}/twilio-voice/dial?member=${a.user.claims.sub}" method="POST" callerId="${a.number}"><Number>+14155550110</Number></Dial>`,
      );
      expect(xml).not.toContain("<Record");
    } finally {
      await t.admin`update profiles set phone = null where user_id = ${a.user.claims.sub}`;
      await t.admin`update phones set business_hours_enabled = false, business_days = '{1,2,3,4,5}', voice_forward_timeout_seconds = 20 where id = ${a.phoneId}`;
    }
  });

  it("rings every member of the number's team who has a phone at once, and records no one member as the forward's taker", async () => {
    const [a] = orgs;
    const [ana, ben, cal] = await Promise.all(["ana", "ben", "cal"].map(() => createMember(t, a.user.orgId, "member")));
    const [team] = await t.admin`insert into teams (org_id, name) values (${a.user.orgId}, 'Intake') returning id`;
    await t.admin`insert into team_members (org_id, team_id, user_id)
                  select ${a.user.orgId}, ${team.id}, u from unnest(${[ana.id, ben.id, cal.id]}::uuid[]) u`;
    await t.admin`update profiles set phone = '+14155550131' where user_id = ${ana.id}`;
    await t.admin`update profiles set phone = '+14155550132' where user_id = ${ben.id}`;
    await t.admin`update phones set default_owner_id = null, default_team_id = ${team.id} where id = ${a.phoneId}`;
    try {
      const xml = await (await ring(a, SHARED_CALLER, newSid())).text();
      expect(xml).toContain(`<Dial timeout="20" action="${PUBLIC_BASE}/twilio-voice/dial" method="POST" callerId="${a.number}"><Number>`);
      // Rung at once, in no particular order; Cal has no phone.
      expect(xml.match(/<Number>[^<]*<\/Number>/g)?.sort()).toEqual(["<Number>+14155550131</Number>", "<Number>+14155550132</Number>"]);
      // Nobody in the team with a phone: voicemail.
      await t.admin`update profiles set phone = null where user_id in (${ana.id}, ${ben.id})`;
      expect(await (await ring(a, SHARED_CALLER, newSid())).text()).toMatch(/<Record [^>]*maxLength="120"/);
    } finally {
      await t.admin`update phones set default_team_id = null, default_owner_id = ${a.user.claims.sub} where id = ${a.phoneId}`;
    }
  });

  it("greets and goes to voicemail when the number's owner has no phone, and rejects a number that takes no calls", async () => {
    const [a] = orgs;
    await t.admin`update phones set voice_greeting_url = 'https://cdn.example.com/hello.mp3' where id = ${a.phoneId}`;
    const xml = await (await ring(a, SHARED_CALLER, newSid())).text();
    await t.admin`update phones set voice_greeting_url = null where id = ${a.phoneId}`;
    expect(xml).toContain("<Play>https://cdn.example.com/hello.mp3</Play>");
    expect(xml).toContain("<Say>Nobody can take your call right now. Please leave a message after the tone.</Say>");
    expect(xml).toMatch(/<Record [^>]*maxLength="120"/);
    await t.admin`update phones set voice_enabled = false where id = ${a.phoneId}`;
    const rejected = await (await ring(a, SHARED_CALLER, newSid())).text();
    await t.admin`update phones set voice_enabled = true where id = ${a.phoneId}`;
    expect(rejected).toContain('<Reject reason="busy"/>');
  });
});

describe("an inbound call's row", () => {
  it("lands on the caller's person in the number's workspace only, with a timeline item and call.started", async () => {
    const [a, b] = orgs;
    const sid = newSid();
    await ring(a, SHARED_CALLER, sid);
    await runQueue();
    const [c] = await t.admin`select org_id, person_id, lead_id, direction, source, status, org_number, contact_number, phone_id from calls where provider_sid = ${sid}`;
    expect(c).toEqual({
      org_id: a.user.orgId, person_id: a.personId, lead_id: null, direction: "inbound", source: "twilio", status: "ringing",
      org_number: a.number, contact_number: SHARED_CALLER, phone_id: a.phoneId,
    });
    expect(await t.admin`select count(*)::int as n from calls where org_id = ${b.user.orgId}`).toEqual([{ n: 0 }]);
    const [item] = await t.admin`select kind, subject_type, subject_id from timeline_events where data->>'call_id' = (select id::text from calls where provider_sid = ${sid})`;
    expect(item).toEqual({ kind: "call_received", subject_type: "person", subject_id: a.personId });
    const events = await t.admin`select org_id from domain_events where type = 'call.started' and data->>'provider_sid' = ${sid}`;
    expect(events).toEqual([{ org_id: a.user.orgId }]);
    const seen = await t.db.asUser(b.user.claims, async (tx) => (await tx.selectFrom("calls").select("id").execute()).length);
    expect(seen).toBe(0);
  });

  it("makes one lead with the source twilio_call for an unknown caller, owned by the number's default owner", async () => {
    const [a] = orgs;
    const stranger = "+14155550177";
    await ring(a, stranger, newSid());
    await ring(a, stranger, newSid());
    await runQueue();
    const leads = await t.admin`select id, source, phone, owner_id from leads where org_id = ${a.user.orgId} and phone = ${stranger}`;
    expect(leads).toEqual([{ id: expect.any(String), source: "twilio_call", phone: stranger, owner_id: a.user.claims.sub }]);
    const calls = await t.admin`select lead_id from calls where contact_number = ${stranger}`;
    expect(calls.map((r) => r.lead_id)).toEqual([leads[0].id, leads[0].id]);
  });

  it("keeps a call from a withheld number, and its voicemail, on one lead named by what Twilio says instead of a number", async () => {
    const [a] = orgs;
    const first = newSid();
    const second = newSid();
    await ring(a, "Anonymous", first);
    await ring(a, "Anonymous", second);
    await runQueue();
    const calls = await t.admin`select lead_id, contact_number, direction from calls where provider_sid in ${t.admin([first, second])}`;
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.contact_number === null && c.direction === "inbound")).toBe(true);
    expect(calls[0].lead_id).toBe(calls[1].lead_id);
    const [lead] = await t.admin`select first_name, source, phone, owner_id from leads where id = ${calls[0].lead_id}`;
    expect(lead).toEqual({ first_name: "Anonymous", source: "twilio_call", phone: null, owner_id: a.user.claims.sub });
    const rec = newSid("RE");
    const url = `https://api.twilio.com/2010-04-01/Accounts/${a.accountSid}/Recordings/${rec}`;
    const answer = await deliver(a, "/recording", {
      CallSid: first, RecordingSid: rec, RecordingUrl: url, RecordingStatus: "completed", RecordingDuration: "9", RecordingChannels: "1", RecordingSource: "RecordVerb",
    });
    expect(answer.status).toBe(204);
    const notes = await t.admin`select user_id, type from notifications where dedupe_key = ${"voicemail:" + rec}`;
    expect(notes).toEqual([{ user_id: a.user.claims.sub, type: "voicemail" }]);
    const jobs = await t.admin`select status from jobs where kind = 'call.receive' and status <> 'succeeded'`;
    expect(jobs).toEqual([]);
  });

  it("takes the furthest status whatever order the callbacks come in, even before the row exists", async () => {
    const [a] = orgs;
    const sid = newSid();
    await ring(a, SHARED_CALLER, sid);
    // The call ends before the job wrote its row, and a late `ringing` follows.
    expect((await status(a, sid, "in-progress", { Timestamp: "Tue, 08 Dec 2026 16:00:05 +0000" })).status).toBe(204);
    expect((await status(a, sid, "completed", { CallDuration: "47", Timestamp: "Tue, 08 Dec 2026 16:00:52 +0000" })).status).toBe(204);
    expect((await status(a, sid, "ringing")).status).toBe(204);
    await runQueue();
    expect((await status(a, sid, "in-progress")).status).toBe(204);
    const [c] = await t.admin`select status, duration_seconds, answered_at, ended_at from calls where provider_sid = ${sid}`;
    expect(c).toEqual({
      status: "completed",
      duration_seconds: 47,
      answered_at: new Date("2026-12-08T16:00:05Z"),
      ended_at: new Date("2026-12-08T16:00:52Z"),
    });
    const events = await t.admin`select type, data->>'status' as status from domain_events where data->>'provider_sid' = ${sid} order by id`;
    expect(events).toEqual([
      { type: "call.started", status: "ringing" },
      { type: "call.ended", status: "completed" },
    ]);
  });

  it("applies a click-to-call's callbacks, from the org's number, once the call records its SID", async () => {
    const [a] = orgs;
    const [call] = await t.db.asUser(a.user.claims, (tx) =>
      tx.insertInto("calls")
        .values({ org_id: a.user.orgId, direction: "outbound", source: "twilio", status: "queued", org_number: a.number, contact_number: SHARED_CALLER, person_id: a.personId, user_id: a.user.claims.sub })
        .returning("id")
        .execute(),
    );
    const sid = newSid();
    const outbound = (s: string, extra: Record<string, string> = {}) =>
      deliver(a, "/status", { CallSid: sid, From: a.number, To: "+14155550100", CallStatus: s, Direction: "outbound-api", ...extra });
    expect((await outbound("ringing")).status).toBe(204);
    expect((await outbound("completed", { CallDuration: "63" })).status).toBe(204);
    await service`update calls set provider_sid = ${sid} where id = ${call.id}`;
    const [c] = await t.admin`select status, duration_seconds from calls where id = ${call.id}`;
    expect(c).toEqual({ status: "completed", duration_seconds: 63 });
  });

  it("records who took a forwarded call from the <Dial> action, and otherwise answers with voicemail", async () => {
    const [a, b] = orgs;
    const sid = newSid();
    await ring(a, SHARED_CALLER, sid);
    await runQueue();
    // The action request carries the call's own parameters besides the forward's outcome.
    const dialed = (member: string, callSid: string, outcome: string) =>
      deliver(a, `/dial?member=${member}`, { CallSid: callSid, From: SHARED_CALLER, To: a.number, CallStatus: "in-progress", DialCallStatus: outcome, DialCallDuration: "30" });
    // Org B's owner is no member of org A: a signed URL naming them records nobody.
    expect((await dialed(b.user.claims.sub, sid, "completed")).status).toBe(200);
    expect(await t.admin`select answered_by from calls where provider_sid = ${sid}`).toEqual([{ answered_by: null }]);
    const took = await dialed(a.user.claims.sub, sid, "completed");
    expect(await took.text()).toContain("<Hangup/>");
    const [c] = await t.admin`select answered_by from calls where provider_sid = ${sid}`;
    expect(c.answered_by).toBe(a.user.claims.sub);

    const missed = await dialed(a.user.claims.sub, newSid(), "no-answer");
    const xml = await missed.text();
    expect(xml).toContain("<Say>Nobody can take your call right now. Please leave a message after the tone.</Say>");
    expect(xml).toMatch(/<Record [^>]*recordingStatusCallback=/);
  });

  it("takes a voicemail's recording callback onto the row, the timeline and the owner's notifications", async () => {
    const [a] = orgs;
    const sid = newSid();
    const rec = newSid("RE");
    await ring(a, SHARED_CALLER, sid);
    await runQueue();
    await status(a, sid, "in-progress");
    const url = `https://api.twilio.com/2010-04-01/Accounts/${a.accountSid}/Recordings/${rec}`;
    const recording = (o: Parameters<typeof deliver>[3] = {}) =>
      deliver(
        a,
        "/recording",
        { CallSid: sid, RecordingSid: rec, RecordingUrl: url, RecordingStatus: "completed", RecordingDuration: "14", RecordingChannels: "1", RecordingSource: "RecordVerb" },
        o,
      );
    // Recording callbacks name no number: the call's row says whose it is.
    expect((await recording()).status).toBe(204);
    expect((await recording()).status).toBe(204);
    await status(a, sid, "completed", { CallDuration: "31" });
    const [c] = await t.admin`select id, recording_sid, recording_url, recording_duration_seconds, voicemail, status from calls where provider_sid = ${sid}`;
    expect(c).toMatchObject({ recording_sid: rec, recording_url: url, recording_duration_seconds: 14, voicemail: true, status: "completed" });
    const notes = await t.admin`select user_id, type, title, body, link from notifications where dedupe_key = ${"voicemail:" + rec}`;
    expect(notes).toEqual([
      { user_id: a.user.claims.sub, type: "voicemail", title: "Voicemail from Pat Both", body: `A 0:14 voicemail to ${a.number}`, link: `/people/${a.personId}` },
    ]);
    const events = await t.admin`select type from domain_events where object_id = ${c.id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["call.started", "call.recorded", "call.ended"]);
    const [item] = await t.admin`select kind from timeline_events where data->>'call_id' = ${c.id}`;
    expect(item.kind).toBe("call_received");
  });

  it("tells every member of the number's team of a voicemail on a record no one owns", async () => {
    const [a] = orgs;
    const [dee, eve] = await Promise.all(["dee", "eve"].map(() => createMember(t, a.user.orgId, "member")));
    const [team] = await t.admin`insert into teams (org_id, name) values (${a.user.orgId}, 'Front desk') returning id`;
    await t.admin`insert into team_members (org_id, team_id, user_id) values (${a.user.orgId}, ${team.id}, ${dee.id}), (${a.user.orgId}, ${team.id}, ${eve.id})`;
    await t.admin`update phones set default_owner_id = null, default_team_id = ${team.id} where id = ${a.phoneId}`;
    try {
      const sid = newSid();
      const rec = newSid("RE");
      await ring(a, "+14155550188", sid);
      await runQueue();
      const [call] = await t.admin`select c.lead_id, l.owner_id from calls c join leads l on l.id = c.lead_id where c.provider_sid = ${sid}`;
      expect(call.owner_id).toBeNull();
      const url = `https://api.twilio.com/2010-04-01/Accounts/${a.accountSid}/Recordings/${rec}`;
      const answer = await deliver(a, "/recording", {
        CallSid: sid, RecordingSid: rec, RecordingUrl: url, RecordingStatus: "completed", RecordingDuration: "7", RecordingChannels: "1", RecordingSource: "RecordVerb",
      });
      expect(answer.status).toBe(204);
      const notes = await t.admin`select user_id, title, link from notifications where dedupe_key = ${"voicemail:" + rec} order by user_id`;
      expect(notes).toEqual(
        [dee.id, eve.id].sort().map((id) => ({ user_id: id, title: "Voicemail from +14155550188 to Front desk", link: `/leads/${call.lead_id}` })),
      );
    } finally {
      await t.admin`update phones set default_team_id = null, default_owner_id = ${a.user.claims.sub} where id = ${a.phoneId}`;
    }
  });

  it("keeps a recording that comes before the call's row when its URL names the number", async () => {
    const [a] = orgs;
    const sid = newSid();
    const rec = newSid("RE");
    await ring(a, SHARED_CALLER, sid);
    const path = `/recording?number=${encodeURIComponent(a.number)}`;
    const params = { CallSid: sid, RecordingSid: rec, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${a.accountSid}/Recordings/${rec}`, RecordingStatus: "completed", RecordingDuration: "9", RecordingSource: "RecordVerb" };
    expect((await deliver(a, path, params)).status).toBe(204);
    // Without the number and without a row, nobody can say whose it is.
    expect((await deliver(a, "/recording", { ...params, CallSid: newSid() })).status).toBe(403);
    await runQueue();
    const [c] = await t.admin`select recording_sid, voicemail from calls where provider_sid = ${sid}`;
    expect(c).toEqual({ recording_sid: rec, voicemail: true });
  });
});
