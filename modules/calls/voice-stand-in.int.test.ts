// An inbound call played end to end: the Twilio stand-in calls the number
// as Twilio does (the voice URL's TwiML fetched and followed, every request
// signed with the SDK's helper), the twilio-voice handler answers behind a
// real HTTP server at its public path, the job queue writes the row, and
// the recording is fetched back through the app's route with the org's
// credentials, as the timeline's player fetches it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/lib/auth/session";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { twilioClient } from "@/modules/twilio/client";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { receiveCall } from "./receive";
import { createRecordingHandler } from "./recording";
import { handleTwilioVoiceWebhook, RECEIVE_CALL_JOB } from "./voice";

const t = useTestDatabase();
let keys: string;
let service: postgres.Sql;
let standIn: TwilioStandIn;
let twilio: Awaited<ReturnType<typeof serveTwilio>>;
let hooks: Server;
let publicBase: string;
const orgs: { user: TestUser; account: StandInAccount; number: string; personId: string }[] = [];
const CALLER = "+14155550123";
const AGENT_PHONE = "+14155550110";

const runQueue = () => runJobs(service, { [RECEIVE_CALL_JOB]: receiveCall }, { env: () => "", fetch });
const session = (u: TestUser): Session => ({
  claims: u.claims,
  user: { id: u.claims.sub, email: u.email, name: "Owner", timeZone: null },
  org: { id: u.orgId, name: "Org" },
  role: "owner",
});
const config = () => ({ apiUrl: twilio.url, webhookBaseUrl: publicBase });
const recordingOf = (u: TestUser, id: string, headers: Record<string, string> = {}) =>
  createRecordingHandler({
    session: async () => session(u),
    database: () => t.db,
    twilio: () => ({ db: t.db, keyring: () => parseKeyring(keys), config: config(), client: (creds) => twilioClient(creds, config()) }),
  })(new Request(`http://app.test/api/calls/${id}/recording`, { headers }), id);

beforeAll(async () => {
  keys = generateKeySpec("k1");
  service = postgres(t.appUrl, { max: 6, onnotice: () => {}, connection: { role: "service_role" } });
  hooks = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const r = await handleTwilioVoiceWebhook(new Request(`${publicBase}${req.url!.slice("/functions/v1".length)}`, { method: "POST", headers, body }), {
      sql: service,
      keyring: () => parseKeyring(keys),
      webhookBaseUrl: publicBase,
    });
    res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
  });
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
  publicBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/functions/v1`;
  standIn = createTwilioStandIn({ voiceUrl: `${publicBase}/twilio-voice`, voiceStatusUrl: `${publicBase}/twilio-voice/status` });
  twilio = await serveTwilio(standIn);

  const keyring = await parseKeyring(keys);
  for (const [i, name] of ["Texas Agency", "Ohio Agency"].entries()) {
    const user = await createUser(t, { orgName: name });
    const account = standIn.addAccount();
    const sealed = await sealSecret(keyring, account.authToken, { orgId: user.orgId, purpose: "twilio.auth_token" });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                   values (${user.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
    await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${user.orgId}, ${account.sid}, ${secret.id})`;
    const number = `+1512555030${i + 1}`;
    await t.admin`insert into phones (org_id, number, default_owner_id, voice_greeting) values (${user.orgId}, ${number}, ${user.claims.sub}, ${`Thanks for calling ${name}.`})`;
    await t.admin`update profiles set phone = ${AGENT_PHONE} where user_id = ${user.claims.sub}`;
    const [person] = await t.admin`insert into people (org_id, first_name, last_name, phone, owner_id)
                                   values (${user.orgId}, 'Pat', 'Caller', ${CALLER}, ${user.claims.sub}) returning id`;
    orgs.push({ user, account, number, personId: person.id });
  }
});
afterAll(async () => {
  await twilio?.close();
  hooks?.close();
  await service?.end();
});

describe("a call to an org's number through the Twilio stand-in", () => {
  it("greets, rings the owner's phone out, takes a voicemail, and the owner hears it through the app", async () => {
    const [a, b] = orgs;
    const call = await standIn.inboundCalls.call({ accountSid: a.account.sid, from: CALLER, to: a.number });
    expect(call.heard).toEqual([
      { kind: "say", text: "Thanks for calling Texas Agency." },
      { kind: "dial", number: AGENT_PHONE, timeout: 20, answered: false },
      { kind: "say", text: "Nobody can take your call right now. Please leave a message after the tone." },
      { kind: "beep", maxLength: 120 },
    ]);
    expect(call.recording).not.toBeNull();
    await standIn.inboundCalls.leaveVoicemail(call.sid, { words: "Hi, this is Pat calling about the appointment on Friday, please call me back." });
    await standIn.settled();
    expect(call.webhookStatuses.every((s) => s === 200 || s === 204)).toBe(true);
    expect(call.status).toBe("completed");
    await runQueue();

    const [row] = await t.admin`select id, org_id, person_id, status, voicemail, recording_url, recording_duration_seconds, duration_seconds
                                from calls where provider_sid = ${call.sid}`;
    expect(row).toMatchObject({
      org_id: a.user.orgId,
      person_id: a.personId,
      status: "completed",
      voicemail: true,
      recording_url: `https://api.twilio.com/2010-04-01/Accounts/${a.account.sid}/Recordings/${call.recordingSid}`,
      recording_duration_seconds: 6,
    });
    expect(row.duration_seconds).toBe(call.seconds);
    const [note] = await t.admin`select user_id, type, title from notifications where dedupe_key = ${"voicemail:" + call.recordingSid}`;
    expect(note).toEqual({ user_id: a.user.claims.sub, type: "voicemail", title: "Voicemail from Pat Caller" });

    const whole = await recordingOf(a.user, row.id);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("audio/wav");
    const wav = new Uint8Array(await whole.arrayBuffer());
    expect(new TextDecoder().decode(wav.slice(0, 4))).toBe("RIFF");
    expect(wav.length).toBe(44 + 6 * 8000);
    const part = await recordingOf(a.user, row.id, { range: "bytes=40-47" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 40-47/${wav.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(wav.slice(40, 48));
    // Org B's owner cannot reach org A's call, nor its recording.
    expect((await recordingOf(b.user, row.id)).status).toBe(404);
  });

  it("records who answered when the agent's phone picks up, and leaves no voicemail", async () => {
    const [a] = orgs;
    const call = await standIn.inboundCalls.call({ accountSid: a.account.sid, from: CALLER, to: a.number, agentAnswers: true });
    await standIn.settled();
    expect(call.heard.map((h) => h.kind)).toEqual(["say", "dial", "hangup"]);
    await runQueue();
    const [row] = await t.admin`select status, answered_by, voicemail, recording_url from calls where provider_sid = ${call.sid}`;
    expect(row).toEqual({ status: "completed", answered_by: a.user.claims.sub, voicemail: false, recording_url: null });
  });

  it("serves a recording only to its own account's credentials", async () => {
    const [a, b] = orgs;
    const call = await standIn.inboundCalls.call({ accountSid: a.account.sid, from: "+14155550160", to: a.number });
    await standIn.inboundCalls.leaveVoicemail(call.sid, { seconds: 3 });
    await standIn.settled();
    const url = `${twilio.url}/2010-04-01/Accounts/${a.account.sid}/Recordings/${call.recordingSid}.wav`;
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
    expect((await fetch(url, { headers: basic(a.account.sid, a.account.authToken) })).status).toBe(200);
    expect((await fetch(url, { headers: basic(b.account.sid, b.account.authToken) })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
  });
});
