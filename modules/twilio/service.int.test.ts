// Settings → Numbers against real Postgres and the Twilio stand-in, through
// the real `twilio` SDK: credentials are checked with Twilio, sealed and
// never readable back; a number belongs to one workspace.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { twilioClient, type TwilioConfig } from "./client";
import { getTwilioAccount, listPhones } from "./queries";
import { addPhone, connectTwilio, disconnectTwilio, openCredentials, removePhone, testTwilioConnection, type TwilioDeps, updatePhone, updatePhoneVoice } from "./service";

const t = useTestDatabase();
let standIn: TwilioStandIn;
let server: Awaited<ReturnType<typeof serveTwilio>>;
let deps: TwilioDeps;
let account: StandInAccount;
let owner: TestUser;
let member: TestUser;
let other: TestUser;
const actor = (u: TestUser, role: "owner" | "member" = "owner") => ({ claims: u.claims, orgId: u.orgId, role });

beforeAll(async () => {
  standIn = createTwilioStandIn();
  server = await serveTwilio(standIn);
  account = standIn.addAccount({ friendlyName: "Agency Twilio" });
  const keyring = await parseKeyring(generateKeySpec("k1"));
  const config: TwilioConfig = { apiUrl: server.url, webhookBaseUrl: null };
  deps = { db: t.db, keyring: async () => keyring, config, client: (c) => twilioClient(c, config) };
  owner = await createUser(t, { orgName: "Agency" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Rival agency" });
});
afterAll(async () => {
  await server?.close();
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe("connecting Twilio", () => {
  it("checks the credentials with Twilio through the SDK, seals them and shows only their last characters", async () => {
    await connectTwilio(deps, actor(owner), { accountSid: account.sid, authToken: account.authToken });
    const row = await t.db.asUser(member.claims, (tx) => getTwilioAccount(tx));
    expect(row).toMatchObject({ accountSid: account.sid, friendlyName: "Agency Twilio", authTokenHint: account.authToken.slice(-4), status: "ok", apiKeySid: null });
    const readable = await t.db.asUser(member.claims, async (tx) => ({
      accounts: (await sql`select to_jsonb(a) as a from twilio_accounts a`.execute(tx)).rows,
      secrets: (await sql`select id, purpose, key_id, hint from org_secrets`.execute(tx)).rows,
    }));
    expect(JSON.stringify(readable)).not.toContain(account.authToken);
    // The sealed column itself is out of a member's reach.
    await expect(t.db.asUser(member.claims, (tx) => sql`select secret from org_secrets`.execute(tx))).rejects.toThrow(/permission denied/);
    const audit = await t.admin`select changes::text from audit_log where org_id = ${owner.orgId}`;
    expect(audit.map((r) => r.changes).join()).not.toContain(account.authToken);
    expect(await openCredentials(deps, owner.orgId)).toMatchObject({ accountSid: account.sid, authToken: account.authToken, apiKeySid: null });
  });

  it("takes an API key for the REST API beside the auth token, and drops it when no longer given", async () => {
    await connectTwilio(deps, actor(owner), {
      accountSid: account.sid,
      authToken: account.authToken,
      apiKeySid: account.apiKeySid,
      apiKeySecret: account.apiKeySecret,
    });
    expect(await openCredentials(deps, owner.orgId)).toMatchObject({ apiKeySid: account.apiKeySid, apiKeySecret: account.apiKeySecret });
    const row = await t.db.asUser(owner.claims, (tx) => getTwilioAccount(tx));
    expect(row).toMatchObject({ apiKeySid: account.apiKeySid, apiKeySecretHint: account.apiKeySecret.slice(-4) });
    await connectTwilio(deps, actor(owner), { accountSid: account.sid, authToken: account.authToken, apiKeySid: "", apiKeySecret: "" });
    expect(await openCredentials(deps, owner.orgId)).toMatchObject({ apiKeySid: null, apiKeySecret: null });
    expect(await t.admin`select purpose from org_secrets where org_id = ${owner.orgId} order by purpose`).toEqual([{ purpose: "twilio.auth_token" }]);
  });

  it("refuses members, credentials Twilio rejects and malformed ones, naming the field", async () => {
    expect((await refusal(connectTwilio(deps, actor(member, "member"), { accountSid: account.sid, authToken: account.authToken }))).code).toBe("forbidden");
    const wrong = await refusal(connectTwilio(deps, actor(other), { accountSid: account.sid, authToken: "0".repeat(32) }));
    expect(wrong.code).toBe("validation_failed");
    expect(wrong.details?.authToken?.[0]).toMatch(/20003 Authenticate/);
    const badKey = await refusal(
      connectTwilio(deps, actor(other), { accountSid: account.sid, authToken: account.authToken, apiKeySid: account.apiKeySid, apiKeySecret: "1".repeat(32) }),
    );
    expect(Object.keys(badKey.details ?? {})).toEqual(["apiKeySecret"]);
    const shape = await refusal(connectTwilio(deps, actor(other), { accountSid: "AC123", authToken: "short", apiKeySid: "SK" + "a".repeat(32) }));
    expect(Object.keys(shape.details ?? {}).sort()).toEqual(["accountSid", "apiKeySecret", "authToken"]);
    expect(await t.admin`select count(*)::int as n from org_secrets where org_id = ${other.orgId}`).toEqual([{ n: 0 }]);
  });

  it("tests the connection, and records a refusal on the account and in integration health", async () => {
    expect(await testTwilioConnection(deps, actor(owner))).toEqual({ ok: true, friendlyName: "Agency Twilio", error: null });
    const token = account.authToken;
    account.authToken = "f".repeat(32);
    try {
      const broken = await testTwilioConnection(deps, actor(owner));
      expect(broken).toMatchObject({ ok: false, error: expect.stringMatching(/20003/) });
      const row = await t.db.asUser(owner.claims, (tx) => getTwilioAccount(tx));
      expect(row).toMatchObject({ status: "failed", checkError: expect.stringMatching(/refused/) });
      const [health] = await t.admin`select last_error from integration_health where org_id = ${owner.orgId} and integration = 'twilio'`;
      expect(health.last_error).toMatch(/refused/);
    } finally {
      account.authToken = token;
    }
  });
});

describe("numbers", () => {
  it("registers a number in E.164 with its uses and default owner, once across every workspace", async () => {
    const ownerId = owner.claims.sub;
    const added = await addPhone(deps, actor(owner), { number: "(512) 555-0142", label: "Intake", smsEnabled: true, voiceEnabled: false, defaultOwnerId: ownerId });
    expect(added.number).toBe("+15125550142");
    const [phone] = await t.db.asUser(member.claims, (tx) => listPhones(tx));
    expect(phone).toMatchObject({ number: "+15125550142", label: "Intake", smsEnabled: true, voiceEnabled: false, defaultOwnerId: ownerId });

    const taken = await refusal(addPhone(deps, actor(other), { number: "+1 512 555 0142" }));
    expect(taken.code).toBe("conflict");
    expect(taken.details?.number).toBeTruthy();
    expect(await t.db.asUser(other.claims, (tx) => listPhones(tx))).toEqual([]);

    const bad = await refusal(addPhone(deps, actor(owner), { number: "12" }));
    expect(bad.details?.number?.[0]).toMatch(/valid phone number/);
    const unused = await refusal(addPhone(deps, actor(owner), { number: "+15125550145", smsEnabled: false, voiceEnabled: false }));
    expect(Object.keys(unused.details ?? {})).toEqual(["smsEnabled"]);
    const stranger = await refusal(addPhone(deps, actor(owner), { number: "+15125550143", defaultOwnerId: other.claims.sub }));
    expect(Object.keys(stranger.details ?? {})).toEqual(["defaultOwnerId"]);
    expect((await refusal(addPhone(deps, actor(member, "member"), { number: "+15125550144" }))).code).toBe("forbidden");

    await updatePhone(deps, actor(owner), { id: added.id, label: "Front desk", smsEnabled: true, voiceEnabled: true, defaultOwnerId: "" });
    const [edited] = await t.db.asUser(owner.claims, (tx) => listPhones(tx));
    expect(edited).toMatchObject({ label: "Front desk", voiceEnabled: true, defaultOwnerId: null });
    expect((await refusal(removePhone(deps, actor(other), { id: added.id }))).code).toBe("not_found");
    await removePhone(deps, actor(owner), { id: added.id });
    expect(await t.db.asUser(owner.claims, (tx) => listPhones(tx))).toEqual([]);
  });

  it("sets how a number answers calls, refusing bad input on its field with nothing written", async () => {
    const added = await addPhone(deps, actor(owner), { number: "+15125550146", defaultOwnerId: owner.claims.sub });
    const [before] = await t.db.asUser(owner.claims, (tx) => listPhones(tx));
    expect(before.voice).toEqual({
      greeting: "Thank you for calling. Please hold while we connect you.",
      greetingUrl: null,
      forwardTimeoutSeconds: 20,
      voicemailGreeting: "Nobody can take your call right now. Please leave a message after the tone.",
      voicemailMaxSeconds: 120,
      afterHoursGreeting: "We are closed right now. Please leave a message after the tone.",
      businessHoursEnabled: false,
      timeZone: "America/Chicago",
      days: [1, 2, 3, 4, 5],
      opens: "09:00",
      closes: "17:00",
    });
    const good = {
      id: added.id,
      greeting: "Thanks for calling the agency.",
      greetingUrl: " ",
      forwardTimeoutSeconds: "25",
      voicemailGreeting: "Leave us a message.",
      voicemailMaxSeconds: 90,
      afterHoursGreeting: "We are closed.",
      businessHoursEnabled: true,
      timeZone: "America/New_York",
      days: [6, 1, 2, 1],
      opens: "08:30",
      closes: "18:00",
    };
    const bad = await refusal(
      updatePhoneVoice(deps, actor(owner), {
        ...good,
        greeting: " ",
        greetingUrl: "ftp://files/greeting.mp3",
        forwardTimeoutSeconds: 2,
        voicemailMaxSeconds: 9999,
        timeZone: "Mars/Olympus",
        days: [],
        opens: "25:00",
        closes: "08:30",
      }),
    );
    expect(bad.code).toBe("validation_failed");
    expect(Object.keys(bad.details ?? {}).sort()).toEqual(["days", "forwardTimeoutSeconds", "greeting", "greetingUrl", "opens", "timeZone", "voicemailMaxSeconds"]);
    expect((await refusal(updatePhoneVoice(deps, actor(owner), { ...good, closes: "08:30" }))).details?.closes?.[0]).toMatch(/differ from opening/);
    expect((await refusal(updatePhoneVoice(deps, actor(member, "member"), good))).code).toBe("forbidden");
    expect((await refusal(updatePhoneVoice(deps, actor(other), good))).code).toBe("not_found");
    const [unchanged] = await t.db.asUser(owner.claims, (tx) => listPhones(tx));
    expect(unchanged.voice).toEqual(before.voice);

    await updatePhoneVoice(deps, actor(owner), good);
    const [after] = await t.db.asUser(member.claims, (tx) => listPhones(tx));
    expect(after.voice).toEqual({
      greeting: "Thanks for calling the agency.",
      greetingUrl: null,
      forwardTimeoutSeconds: 25,
      voicemailGreeting: "Leave us a message.",
      voicemailMaxSeconds: 90,
      afterHoursGreeting: "We are closed.",
      businessHoursEnabled: true,
      timeZone: "America/New_York",
      days: [1, 2, 6],
      opens: "08:30",
      closes: "18:00",
    });
    await removePhone(deps, actor(owner), { id: added.id });
  });

  it("disconnecting Twilio deletes its sealed credentials", async () => {
    await disconnectTwilio(deps, actor(owner));
    expect(await t.admin`select count(*)::int as n from org_secrets where org_id = ${owner.orgId}`).toEqual([{ n: 0 }]);
    expect((await refusal(testTwilioConnection(deps, actor(owner)))).code).toBe("not_found");
  });
});
