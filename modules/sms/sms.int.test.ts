// Text messages against real Postgres, the job queue, the real `twilio` SDK
// and the Twilio stand-in. Webhooks are signed exactly as Twilio signs (the
// SDK's getExpectedTwilioSignature) for the public URL Twilio was given,
// and served to the handler through a real HTTP server where the stand-in
// calls back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { runJobs } from "@/modules/jobs/edge";
import { signTwilioRequest } from "@/modules/twilio/signature";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { receiveSms } from "./receive";
import { SEND_SMS_JOB, sendSms } from "./send";
import { queueSms } from "./service";
import { handleTwilioSmsWebhook, RECEIVE_SMS_JOB } from "./webhook";

const t = useTestDatabase();
let keys: string;
let service: postgres.Sql;
let standIn: TwilioStandIn;
let twilio: Awaited<ReturnType<typeof serveTwilio>>;
let hooks: Server;
let publicBase: string;
const orgs: { user: TestUser; account: StandInAccount; number: string; personId: string }[] = [];
const SHARED_CONTACT = "+14155550123";

const deps = () => ({ sql: service, keyring: () => parseKeyring(keys), webhookBaseUrl: publicBase });
const env = (name: string) => ({ COVEY_SECRET_KEYS: keys, TWILIO_API_URL: twilio.url, TWILIO_WEBHOOK_BASE_URL: publicBase })[name] ?? "";
const runQueue = () => runJobs(service, { [RECEIVE_SMS_JOB]: receiveSms, [SEND_SMS_JOB]: sendSms }, { env, fetch });
let sids = 0;
const newSid = () => `SM${(++sids).toString(16).padStart(32, "0")}`;

/** Twilio's inbound webhook parameters for a text. */
function inboundParams(o: { accountSid: string; to: string; from: string; body: string; sid?: string; media?: string[] }) {
  const params: Record<string, string> = {
    ToCountry: "US",
    SmsMessageSid: o.sid ?? newSid(),
    NumMedia: String(o.media?.length ?? 0),
    SmsStatus: "received",
    Body: o.body,
    To: o.to,
    NumSegments: "1",
    AccountSid: o.accountSid,
    From: o.from,
    ApiVersion: "2010-04-01",
  };
  params.MessageSid = params.SmsMessageSid;
  o.media?.forEach((u, i) => {
    params[`MediaUrl${i}`] = u;
    params[`MediaContentType${i}`] = "image/jpeg";
  });
  return params;
}

/** POSTs to the handler as a proxy would hand it on: `url` received, signed for `signedUrl`. */
function deliver(params: Record<string, string>, o: { token: string; signedUrl?: string; url?: string; headers?: Record<string, string>; signature?: string | null }) {
  const signedUrl = o.signedUrl ?? `${publicBase}/twilio-sms`;
  const signature = o.signature === undefined ? signTwilioRequest(o.token, signedUrl, params) : o.signature;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...o.headers };
  if (signature) headers["x-twilio-signature"] = signature;
  return handleTwilioSmsWebhook(
    new Request(o.url ?? signedUrl, { method: "POST", headers, body: new URLSearchParams(params).toString() }),
    deps(),
  );
}

const text = (org: (typeof orgs)[number], from: string, body: string, extra: { sid?: string; media?: string[] } = {}) =>
  deliver(inboundParams({ accountSid: org.account.sid, to: org.number, from, body, ...extra }), { token: org.account.authToken });

const stored = async () => {
  const [r] = await t.admin`select (select count(*)::int from private.inbound_events where provider = 'twilio_sms') as events,
                                   (select count(*)::int from jobs where kind = 'sms.receive') as jobs`;
  return r as { events: number; jobs: number };
};

beforeAll(async () => {
  keys = generateKeySpec("k1");
  service = postgres(t.appUrl, { max: 6, onnotice: () => {}, connection: { role: "service_role" } });
  standIn = createTwilioStandIn();
  standIn.settings.stepMs = 0;
  twilio = await serveTwilio(standIn);
  // Where Twilio (the stand-in) calls back: the handler behind a real HTTP server, at its public path.
  hooks = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const r = await handleTwilioSmsWebhook(new Request(`${publicBase}${req.url!.slice("/functions/v1".length)}`, { method: "POST", headers, body }), deps());
    res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
  });
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
  publicBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/functions/v1`;

  const keyring = await parseKeyring(keys);
  for (const [i, name] of ["Texas Agency", "Ohio Agency"].entries()) {
    const user = await createUser(t, { orgName: name });
    const account = standIn.addAccount();
    const sealed = await sealSecret(keyring, account.authToken, { orgId: user.orgId, purpose: "twilio.auth_token" });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                   values (${user.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
    await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${user.orgId}, ${account.sid}, ${secret.id})`;
    const number = `+1512555010${i + 1}`;
    await t.admin`insert into phones (org_id, number, default_owner_id) values (${user.orgId}, ${number}, ${user.claims.sub})`;
    // The same customer is a person in both workspaces, each owned by that workspace's owner.
    const [person] = await t.admin`insert into people (org_id, first_name, last_name, phone, owner_id)
                                   values (${user.orgId}, 'Pat', 'Both', ${SHARED_CONTACT}, ${user.claims.sub}) returning id`;
    orgs.push({ user, account, number, personId: person.id });
  }
});
afterAll(async () => {
  await twilio?.close();
  hooks?.close();
  await service?.end();
});

describe("the twilio-sms webhook", () => {
  it("refuses a forged, missing or other account's signature with 403 and stores nothing", async () => {
    const [a, b] = orgs;
    const params = inboundParams({ accountSid: a.account.sid, to: a.number, from: SHARED_CONTACT, body: "forged" });
    const forged = await deliver(params, { token: "0".repeat(32) });
    expect(forged.status).toBe(403);
    expect((await deliver(params, { token: a.account.authToken, signature: null })).status).toBe(403);
    // Signed by org B's token, for org A's number.
    expect((await deliver(params, { token: b.account.authToken })).status).toBe(403);
    // A body changed after signing.
    const signature = signTwilioRequest(a.account.authToken, `${publicBase}/twilio-sms`, params);
    expect((await deliver({ ...params, Body: "changed" }, { token: a.account.authToken, signature })).status).toBe(403);
    // A number no workspace has.
    expect((await deliver({ ...params, To: "+15125559999" }, { token: a.account.authToken })).status).toBe(403);
    expect(await stored()).toEqual({ events: 0, jobs: 0 });
  });

  it("accepts a real text behind a proxy that changed the host, from the forwarded headers or the configured base", async () => {
    const [a] = orgs;
    const params = inboundParams({ accountSid: a.account.sid, to: a.number, from: "+14155550150", body: "via proxy" });
    const proxied = await handleTwilioSmsWebhook(
      new Request("http://10.0.3.7:9000/twilio-sms", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-host": "covey.example.com",
          "x-forwarded-proto": "https",
          "x-twilio-signature": signTwilioRequest(a.account.authToken, "https://covey.example.com/functions/v1/twilio-sms", params),
        },
        body: new URLSearchParams(params).toString(),
      }),
      { ...deps(), webhookBaseUrl: null },
    );
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get("content-type")).toBe("text/xml");
    expect(await proxied.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    // No forwarded headers at all: the configured public base is what Twilio signed.
    const second = inboundParams({ accountSid: a.account.sid, to: a.number, from: "+14155550150", body: "configured base" });
    const internal = await deliver(second, { token: a.account.authToken, url: "http://127.0.0.1:8000/twilio-sms" });
    expect(internal.status).toBe(200);
    expect(await stored()).toEqual({ events: 2, jobs: 2 });
  });

  it("stores the same MessageSid once, even delivered twice at once, and makes one message", async () => {
    const [a] = orgs;
    const sid = newSid();
    const before = await stored();
    const answers = await Promise.all([text(a, "+14155550151", "twice", { sid }), text(a, "+14155550151", "twice", { sid })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await stored()).toEqual({ events: before.events + 1, jobs: before.jobs + 1 });
    await runQueue();
    // Twilio retrying later, after the message exists, changes nothing either.
    expect((await text(a, "+14155550151", "twice", { sid })).status).toBe(200);
    await runQueue();
    expect(await t.admin`select count(*)::int as n from sms_messages where provider_sid = ${sid}`).toEqual([{ n: 1 }]);
  });
});

describe("a text to a number", () => {
  it("lands on the sender's person in the number's workspace only, with a timeline item, a notification and sms.received", async () => {
    const [a, b] = orgs;
    const sid = newSid();
    expect((await text(a, SHARED_CONTACT, "Is the appointment still on?", { sid, media: ["https://api.twilio.com/media/ME1.jpg"] })).status).toBe(200);
    await runQueue();
    const [m] = await t.admin`select org_id, person_id, lead_id, direction, status, body, media_urls, read_at from sms_messages where provider_sid = ${sid}`;
    expect(m).toMatchObject({ org_id: a.user.orgId, person_id: a.personId, lead_id: null, direction: "inbound", status: "received", read_at: null });
    expect(m.media_urls).toEqual(["https://api.twilio.com/media/ME1.jpg"]);
    expect(await t.admin`select count(*)::int as n from sms_messages where org_id = ${b.user.orgId} and body = 'Is the appointment still on?'`).toEqual([{ n: 0 }]);

    const [item] = await t.admin`select kind, subject_type, subject_id, person_id from timeline_events
                                 where org_id = ${a.user.orgId} and kind = 'sms_received' and data->>'sms_id' = (select id::text from sms_messages where provider_sid = ${sid})`;
    expect(item).toMatchObject({ subject_type: "person", subject_id: a.personId, person_id: a.personId });
    const notes = await t.admin`select org_id, user_id, type, title, body, link from notifications where dedupe_key = ${"sms:" + sid}`;
    expect(notes).toEqual([
      { org_id: a.user.orgId, user_id: a.user.claims.sub, type: "inbound_message", title: "Text from Pat Both", body: "Is the appointment still on?", link: `/people/${a.personId}` },
    ]);
    const events = await t.admin`select org_id, data->>'from' as "from", data->'media_urls' as media from domain_events where type = 'sms.received' and data->>'provider_sid' = ${sid}`;
    expect(events).toEqual([{ org_id: a.user.orgId, from: SHARED_CONTACT, media: ["https://api.twilio.com/media/ME1.jpg"] }]);
    // Org B's owner sees none of it, through RLS.
    const seen = await t.db.asUser(b.user.claims, async (tx) => (await tx.selectFrom("sms_messages").select("id").execute()).length);
    expect(seen).toBe(0);
  });

  it("makes one lead with the source sms for an unknown sender, owned by the number's default owner", async () => {
    const [a] = orgs;
    const stranger = "+14155550177";
    await text(a, stranger, "Hi, I saw your ad");
    await runQueue();
    await text(a, stranger, "Are you open Saturday?");
    await runQueue();
    const leads = await t.admin`select id, source, phone, message, owner_id from leads where org_id = ${a.user.orgId} and phone = ${stranger}`;
    expect(leads).toEqual([{ id: expect.any(String), source: "sms", phone: stranger, message: "Hi, I saw your ad", owner_id: a.user.claims.sub }]);
    const msgs = await t.admin`select lead_id from sms_messages where contact_number = ${stranger}`;
    expect(msgs.map((r) => r.lead_id)).toEqual([leads[0].id, leads[0].id]);
    const [notified] = await t.admin`select count(*)::int as n from notifications where user_id = ${a.user.claims.sub} and link = ${"/leads/" + leads[0].id} and type = 'inbound_message'`;
    expect(notified.n).toBe(2);
  });
});

describe("sending a text", () => {
  it("writes the message and its timeline item at once as queued, then the job sends it and callbacks deliver it", async () => {
    const [a] = orgs;
    const queued = await t.db.asUser(a.user.claims, (tx) =>
      queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: a.personId }, body: "See you at 3pm" }),
    );
    expect(queued).toMatchObject({ from: a.number, to: SHARED_CONTACT, status: "queued" });
    const [item] = await t.admin`select kind, actor_id from timeline_events where data->>'sms_id' = ${queued.id}`;
    expect(item).toEqual({ kind: "sms_sent", actor_id: a.user.claims.sub });
    await runQueue();
    await standIn.settled();
    const [m] = await t.admin`select status, provider_sid, sent_at, delivered_at, error_code from sms_messages where id = ${queued.id}`;
    expect(m).toMatchObject({ status: "delivered", provider_sid: expect.stringMatching(/^SM/), error_code: null });
    expect(m.sent_at).not.toBeNull();
    expect(m.delivered_at).not.toBeNull();
    const sent = standIn.messages.find((x) => x.sid === m.provider_sid)!;
    expect(sent).toMatchObject({ from: a.number, to: SHARED_CONTACT, body: "See you at 3pm", statusCallback: `${publicBase}/twilio-sms/status` });
    const events = await t.admin`select type from domain_events where object_id = ${queued.id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["sms.sent", "sms.delivered"]);
  });

  it("keeps a status callback that arrives before the send recorded its SID, and ends on the final status", async () => {
    const [a] = orgs;
    standIn.settings.callbacksFirst = true;
    try {
      const queued = await t.db.asUser(a.user.claims, (tx) =>
        queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: a.personId }, body: "Racing the callbacks" }),
      );
      await runQueue();
      const [m] = await t.admin`select status, provider_sid, delivered_at from sms_messages where id = ${queued.id}`;
      // Both callbacks were answered before Twilio answered the send.
      const callbacks = await t.admin`select status from private.sms_status_events where message_sid = ${m.provider_sid} order by received_at`;
      expect(callbacks.map((c) => c.status)).toEqual(["sent", "delivered"]);
      expect(m.status).toBe("delivered");
      expect(m.delivered_at).not.toBeNull();
    } finally {
      standIn.settings.callbacksFirst = false;
    }
  });

  it("shows Twilio's error code when a text is undelivered, and a late callback never takes a message back", async () => {
    const [a] = orgs;
    const [lead] = await t.admin`insert into leads (org_id, source, first_name, phone) values (${a.user.orgId}, 'manual', 'Unreachable', '+14155550199') returning id`;
    standIn.failures.set("+14155550199", 30003);
    const queued = await t.db.asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "lead", id: lead.id }, body: "Hello?" }));
    await runQueue();
    await standIn.settled();
    const [m] = await t.admin`select status, error_code, provider_sid from sms_messages where id = ${queued.id}`;
    expect(m).toMatchObject({ status: "undelivered", error_code: 30003 });
    await t.admin`select private.sms_status_callback(${m.provider_sid}, 'sent', null)`;
    expect(await t.admin`select status from sms_messages where id = ${queued.id}`).toEqual([{ status: "undelivered" }]);
    expect(await t.admin`select count(*)::int as n from domain_events where type = 'sms.failed' and object_id = ${queued.id}`).toEqual([{ n: 1 }]);
  });

  it("refuses to text a contact who replied STOP, with a clear message, until they text START", async () => {
    const [a] = orgs;
    const contact = "+14155550188";
    const [person] = await t.admin`insert into people (org_id, first_name, phone) values (${a.user.orgId}, 'Sam', ${contact}) returning id`;
    await text(a, contact, " stop ");
    await runQueue();
    expect(await t.admin`select opted_out, keyword from sms_opt_outs where org_id = ${a.user.orgId} and contact_number = ${contact}`).toEqual([
      { opted_out: true, keyword: "STOP" },
    ]);
    const send = () => t.db.asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: person.id }, body: "Still there?" }));
    const refused = await send().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "validation_failed" });
    expect((refused as DomainError).details?.to?.[0]).toBe(`Sam replied STOP to ${a.number} and has opted out of texts from it. They can text START to opt back in.`);
    // The database refuses any other path too.
    const direct = await t.db
      .asUser(a.user.claims, (tx) =>
        tx
          .insertInto("sms_messages")
          .values({ org_id: a.user.orgId, direction: "outbound", org_number: a.number, contact_number: contact, body: "x", status: "queued", person_id: person.id, author_id: a.user.claims.sub })
          .execute(),
      )
      .catch((e: { message: string }) => e.message);
    expect(direct).toMatch(/opted out of texts from this number/);
    expect(await t.admin`select count(*)::int as n from sms_messages where contact_number = ${contact} and direction = 'outbound'`).toEqual([{ n: 0 }]);

    await text(a, contact, "START");
    await runQueue();
    expect((await send()).status).toBe("queued");
  });

  it("fills {{variables}} from the record, and refuses one the record has no value for, with nothing sent", async () => {
    const [a] = orgs;
    const contact = "+14155550166";
    const [person] = await t.admin`insert into people (org_id, first_name, phone) values (${a.user.orgId}, 'Rita', ${contact}) returning id`;
    const send = (body: string) =>
      t.db.asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: person.id }, body }));
    const refused = await send("Hi {{first_name}}, how is {{company}}?").catch((e: DomainError) => e);
    expect(refused).toMatchObject({
      code: "validation_failed",
      details: { body: ["The message uses {{company}}, which this person has no value for. Write the text in, or give a fallback like {{company|…}}."] },
    });
    const unknown = await send("Hi {{frist_name}}").catch((e: DomainError) => e);
    expect(unknown).toMatchObject({ details: { body: ["The message uses an unknown variable: {{frist_name}}. Use one of the listed variables."] } });
    expect(await t.admin`select count(*)::int as n from sms_messages where person_id = ${person.id}`).toEqual([{ n: 0 }]);
    const sent = await send("Hi {{first_name}}, how is {{company|the project}}?");
    expect(await t.admin`select body, segments from sms_messages where id = ${sent.id}`).toEqual([{ body: "Hi Rita, how is the project?", segments: 1 }]);
  });

  it("names the field when a record has no phone or the number is not the workspace's", async () => {
    const [a, b] = orgs;
    const [nophone] = await t.admin`insert into people (org_id, first_name) values (${a.user.orgId}, 'Nophone') returning id`;
    const noPhone = await t.db
      .asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: nophone.id }, body: "Hi" }))
      .catch((e: DomainError) => e);
    expect(noPhone).toMatchObject({ code: "validation_failed", details: { to: ["Nophone has no phone number to text"] } });
    const otherNumber = await t.db
      .asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: a.personId }, body: "Hi", from: b.number }))
      .catch((e: DomainError) => e);
    expect(otherNumber).toMatchObject({ details: { from: [`${b.number} is not one of this workspace's texting numbers`] } });
    const empty = await t.db
      .asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: a.personId }, body: "  " }))
      .catch((e: DomainError) => e);
    expect(empty).toMatchObject({ details: { body: ["Write the message"] } });
    const elsewhere = await t.db
      .asUser(a.user.claims, (tx) => queueSms(tx, a.user.claims.sub, a.user.orgId, { record: { type: "person", id: b.personId }, body: "Hi" }))
      .catch((e: DomainError) => e);
    expect(elsewhere).toMatchObject({ code: "not_found" });
  });
});
