// POST /api/v1/calls/dial through the real route handler, on real Postgres,
// the real `twilio` SDK and the Twilio stand-in, whose signed status
// callbacks reach the real twilio-voice handler: the call is answered
// queued with its CallSid, moves to completed as Twilio reports it, rings
// once per Idempotency-Key, and every refusal writes nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { handleTwilioVoiceWebhook } from "@/modules/calls/edge";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getCallOperation, placeCallOperation } from "./calls";

const t = useTestDatabase();
const saved = { ...process.env };
let standIn: TwilioStandIn;
let twilio: Awaited<ReturnType<typeof serveTwilio>>;
let hooks: Server;
let service: postgres.Sql;
let owner: TestUser;
let account: StandInAccount;
let token: string;
let readOnly: string;
let otherToken: string;
let personId: string;
let leadId: string;
let dealId: string;
let bareLeadId: string;
const ME = "+15125550160";
const ORG_NUMBER = "+15125550260";
const CONTACT = "+14155550160";
const OTHER_CONTACT = "+14155550161";

const count = async () => (await t.admin`select count(*)::int as n from calls where org_id = ${owner.orgId}`)[0].n as number;
const dial = (body: Record<string, unknown>, key = token, headers: Record<string, string> = {}) => callApi(placeCallOperation, { token: key, body, headers });

beforeAll(async () => {
  const keys = generateKeySpec("k1");
  standIn = createTwilioStandIn();
  standIn.settings.stepMs = 0;
  twilio = await serveTwilio(standIn);
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  // Where Twilio (the stand-in) calls back: the real twilio-voice handler at its public path.
  let publicBase = "";
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
  Object.assign(process.env, { COVEY_SECRET_KEYS: keys, TWILIO_API_URL: twilio.url, TWILIO_WEBHOOK_BASE_URL: publicBase });

  owner = await createUser(t, { orgName: "Dialing API Co" });
  const other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["calls:read", "calls:write"])).token;
  readOnly = (await createTestKey(t, owner, ["calls:read"])).token;
  otherToken = (await createTestKey(t, other, ["calls:read", "calls:write"])).token;
  account = standIn.addAccount();
  const sealed = await sealSecret(await parseKeyring(keys), account.authToken, { orgId: owner.orgId, purpose: "twilio.auth_token" });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                 values (${owner.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
  await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${owner.orgId}, ${account.sid}, ${secret.id})`;
  await t.admin`insert into phones (org_id, number) values (${owner.orgId}, ${ORG_NUMBER})`;
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name, phone, additional_phones)
                                     values (${owner.orgId}, 'Maria', ${CONTACT}, ${[OTHER_CONTACT]}) returning id`;
  [{ id: leadId }] = await t.admin`insert into leads (org_id, source, first_name, phone) values (${owner.orgId}, 'manual', 'Lee', ${CONTACT}) returning id`;
  [{ id: bareLeadId }] = await t.admin`insert into leads (org_id, source, first_name) values (${owner.orgId}, 'manual', 'Nophone') returning id`;
  [{ id: dealId }] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, person_id)
    select ${owner.orgId}, 'Remodel', s.pipeline_id, s.id, ${personId} from pipeline_stages s join pipelines p on p.id = s.pipeline_id
    where p.org_id = ${owner.orgId} order by s.position limit 1 returning id`;
});
afterAll(async () => {
  process.env = saved;
  await twilio?.close();
  hooks?.close();
  await service?.end();
});

describe("POST /api/v1/calls/dial", () => {
  it("refuses with 409 until the key's member has a phone on their profile, writing nothing", async () => {
    const r = await dial({ person_id: personId });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/Add your own phone in Settings → Profile/);
    expect(await count()).toBe(0);
    expect(standIn.calls).toEqual([]);
    await t.admin`update profiles set phone = ${ME} where user_id = ${owner.id}`;
  });

  it("rings the member's phone once per Idempotency-Key and answers the queued call, which Twilio's callbacks complete", async () => {
    const headers = { "idempotency-key": "dial-maria-1" };
    const first = await dial({ person_id: personId }, token, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ object: "call", source: "twilio", direction: "outbound", status: "queued", from: ORG_NUMBER, to: CONTACT, user_id: owner.id, person_id: personId });
    expect(first.body.provider_sid).toMatch(/^CA[0-9a-f]{32}$/);
    const again = await dial({ person_id: personId }, token, headers);
    expect(again.body).toEqual(first.body);
    const sent = standIn.calls.filter((c) => c.accountSid === account.sid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ sid: first.body.provider_sid, to: ME, from: ORG_NUMBER, dial: { number: CONTACT, callerId: ORG_NUMBER } });

    await standIn.settled();
    await standIn.answerCall(first.body.provider_sid);
    await standIn.hangUpCall(first.body.provider_sid, 61);
    const got = await callApi(getCallOperation, { token: readOnly, params: { id: first.body.id } });
    expect(got.body).toMatchObject({ status: "completed", duration_seconds: 61, answered_at: expect.any(String), ended_at: expect.any(String) });
    expect((await t.admin`select type from domain_events where object_id = ${first.body.id} order by id`).map((e) => e.type)).toEqual(["call.started", "call.ended"]);
  });

  it("calls a lead, a deal's person, and another of the person's own numbers", async () => {
    const lead = await dial({ lead_id: leadId });
    expect([lead.status, lead.body.lead_id, lead.body.to]).toEqual([201, leadId, CONTACT]);
    const deal = await dial({ deal_id: dealId });
    expect([deal.status, deal.body.person_id, deal.body.to]).toEqual([201, personId, CONTACT]);
    const second = await dial({ person_id: personId, number: OTHER_CONTACT });
    expect([second.status, second.body.to]).toEqual([201, OTHER_CONTACT]);
  });

  it("refuses bad input naming the field, Twilio's refusal with its reason, other orgs' records and a read-only key, writing nothing", async () => {
    const before = await count();
    const refuse = async (body: Record<string, unknown>, status: number, fields: string[], key = token) => {
      const r = await dial(body, key);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), status]);
      expect(Object.keys(r.body.error.details ?? {}).sort()).toEqual(fields);
      return r.body.error as { message: string; details?: Record<string, string[]> };
    };
    expect((await refuse({ lead_id: bareLeadId }, 422, ["lead_id"])).details!.lead_id[0]).toBe("Nophone has no phone number to call");
    expect((await refuse({ person_id: personId, number: "+14155550199" }, 422, ["number"])).details!.number[0]).toBe("+14155550199 is not one of Maria's numbers");
    await refuse({ person_id: personId, number: "555" }, 422, ["number"]);
    await refuse({}, 422, ["person_id"]);
    await refuse({ person_id: personId, lead_id: leadId }, 422, ["lead_id", "person_id"]);
    await refuse({ person_id: personId, shoe_size: 9 }, 422, ["shoe_size"]);
    await refuse({ person_id: personId }, 404, [], otherToken);
    expect((await refuse({ person_id: personId }, 403, [], readOnly)).message).toContain("calls:write");

    standIn.failures.set(ME, 21215);
    try {
      expect((await refuse({ person_id: personId }, 422, [])).message).toMatch(/^Twilio refused the call: Account not authorized to call \+15125550160\. .* \(21215\)$/);
    } finally {
      standIn.failures.clear();
    }
    expect(await count()).toBe(before);
  });
});
