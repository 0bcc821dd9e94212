// The adapter is the real `twilio` SDK over fetch, pointed at the stand-in by
// configuration alone; the stand-in's status callbacks are signed as Twilio
// signs them, which the webhook's validator accepts and a forgery does not.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTwilioStandIn, serveTwilio, type StandInAccount, type TwilioStandIn } from "@/supabase/local/twilio";
import { twilioClient, TwilioError } from "./client";
import { paramsOf, publicUrlCandidates, validTwilioSignature } from "./signature";

let standIn: TwilioStandIn;
let server: Awaited<ReturnType<typeof serveTwilio>>;
let account: StandInAccount;
const callbacks: { url: string; signature: string; form: URLSearchParams }[] = [];
let receiver: ReturnType<typeof createServer>;
let receiverUrl: string;

beforeAll(async () => {
  standIn = createTwilioStandIn();
  standIn.settings.stepMs = 0;
  server = await serveTwilio(standIn);
  account = standIn.addAccount();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      callbacks.push({ url: `${receiverUrl}${req.url}`, signature: String(req.headers["x-twilio-signature"]), form: new URLSearchParams(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server?.close();
  receiver?.close();
});

describe("the Twilio adapter", () => {
  it("reaches the stand-in through the SDK by configuration, with the auth token or an API key", async () => {
    const config = { apiUrl: server.url, webhookBaseUrl: null };
    expect(await twilioClient({ accountSid: account.sid, authToken: account.authToken }, config).fetchAccount()).toMatchObject({ sid: account.sid, status: "active" });
    const keyed = twilioClient({ accountSid: account.sid, authToken: "", apiKeySid: account.apiKeySid, apiKeySecret: account.apiKeySecret }, config);
    expect((await keyed.fetchAccount()).sid).toBe(account.sid);
    const wrong = await twilioClient({ accountSid: account.sid, authToken: "nope" }, config).fetchAccount().catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TwilioError);
    expect(wrong).toMatchObject({ status: 401, code: 20003, authProblem: true, transient: false });
    const down = await twilioClient({ accountSid: account.sid, authToken: account.authToken }, { apiUrl: "http://127.0.0.1:9", webhookBaseUrl: null }).fetchAccount().catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, transient: true });
  });

  it("sends a message and its status callbacks arrive signed as Twilio signs them", async () => {
    const client = twilioClient({ accountSid: account.sid, authToken: account.authToken }, { apiUrl: server.url, webhookBaseUrl: null });
    const sent = await client.sendMessage({ from: "+15125550100", to: "+14155550123", body: "Hello from Covey", statusCallback: `${receiverUrl}/status?m=1` });
    expect(sent).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: "queued", errorCode: null, numSegments: 1 });
    await standIn.settled();
    expect(callbacks.map((c) => c.form.get("MessageStatus"))).toEqual(["sent", "delivered"]);
    for (const c of callbacks) {
      expect(c.form.get("MessageSid")).toBe(sent.sid);
      expect(validTwilioSignature(account.authToken, c.signature, [c.url], paramsOf(c.form))).toBe(true);
      expect(validTwilioSignature("0".repeat(32), c.signature, [c.url], paramsOf(c.form))).toBe(false);
      const tampered = new URLSearchParams(c.form);
      tampered.set("MessageStatus", "failed");
      expect(validTwilioSignature(account.authToken, c.signature, [c.url], paramsOf(tampered))).toBe(false);
    }
    expect((await client.fetchMessage(sent.sid)).status).toBe("delivered");
    const invalid = await client.sendMessage({ from: "+15125550100", to: "12", body: "x" }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 21211 });
  });
});

describe("placing a call", () => {
  it("rings the first phone, follows the TwiML's <Dial>, and tells each step to the status callback signed as Twilio signs", async () => {
    const client = twilioClient({ accountSid: account.sid, authToken: account.authToken }, { apiUrl: server.url, webhookBaseUrl: null });
    callbacks.length = 0;
    Object.assign(standIn.settings, { callAnswer: "answer", callSeconds: 42 });
    const twiml = '<Response><Dial callerId="+15125550100"><Number>+14155550123</Number></Dial></Response>';
    const placed = await client.createCall({
      to: "+15125550150",
      from: "+15125550100",
      twiml,
      statusCallback: `${receiverUrl}/twilio-voice/status`,
      statusCallbackEvents: ["initiated", "ringing", "answered", "completed"],
    });
    expect(placed).toEqual({ sid: expect.stringMatching(/^CA[0-9a-f]{32}$/), status: "queued" });
    await standIn.settled();
    expect(callbacks.map((c) => c.form.get("CallStatus"))).toEqual(["initiated", "ringing", "in-progress", "completed"]);
    for (const c of callbacks) {
      expect(c.form.get("CallSid")).toBe(placed.sid);
      expect(c.form.get("From")).toBe("+15125550100");
      expect(c.form.get("To")).toBe("+15125550150");
      expect(validTwilioSignature(account.authToken, c.signature, [c.url], paramsOf(c.form))).toBe(true);
    }
    expect(callbacks.at(-1)?.form.get("CallDuration")).toBe("42");
    const call = standIn.calls.find((c) => c.sid === placed.sid);
    expect(call).toMatchObject({ twiml, dial: { number: "+14155550123", callerId: "+15125550100" }, status: "completed", duration: 42 });
  });

  it("tells only `completed` when no events are asked for, and a declined call ends busy", async () => {
    const client = twilioClient({ accountSid: account.sid, authToken: account.authToken }, { apiUrl: server.url, webhookBaseUrl: null });
    callbacks.length = 0;
    Object.assign(standIn.settings, { callAnswer: "wait" });
    const placed = await client.createCall({ to: "+15125550151", from: "+15125550100", twiml: "<Response><Hangup/></Response>", statusCallback: `${receiverUrl}/s` });
    await standIn.settled();
    expect(standIn.calls.find((c) => c.sid === placed.sid)?.status).toBe("ringing");
    await standIn.declineCall(placed.sid);
    await standIn.settled();
    expect(callbacks.map((c) => [c.form.get("CallStatus"), c.form.get("CallDuration")])).toEqual([["busy", "0"]]);
  });

  it("answers Twilio's refusal as a TwilioError with its code and message", async () => {
    const client = twilioClient({ accountSid: account.sid, authToken: account.authToken }, { apiUrl: server.url, webhookBaseUrl: null });
    standIn.failures.set("+442079460018", 21215);
    const refused = await client.createCall({ to: "+442079460018", from: "+15125550100", twiml: "<Response/>" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TwilioError);
    expect(refused).toMatchObject({ status: 400, code: 21215, transient: false, message: expect.stringMatching(/^Account not authorized to call \+442079460018/) });
    const invalid = await client.createCall({ to: "12", from: "+15125550100", twiml: "<Response/>" }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 21211 });
  });
});

describe("the public URL a webhook was signed for", () => {
  it("is rebuilt from the configured base, the forwarded headers, and the address received", () => {
    const req = new Request("http://10.0.0.7:9000/twilio-sms/status?m=1", {
      headers: { "x-forwarded-host": "abc.supabase.co", "x-forwarded-proto": "https" },
    });
    expect(publicUrlCandidates(req, { webhookBaseUrl: "https://hooks.example.com/functions/v1", functionName: "twilio-sms" })).toEqual([
      "https://hooks.example.com/functions/v1/twilio-sms/status?m=1",
      "https://abc.supabase.co/functions/v1/twilio-sms/status?m=1",
      "https://abc.supabase.co/twilio-sms/status?m=1",
      "http://10.0.0.7:9000/twilio-sms/status?m=1",
    ]);
    // A host that strips the function's name (the local function host) still yields the public path.
    const local = new Request("http://127.0.0.1:5000/?x=2");
    expect(publicUrlCandidates(local, { webhookBaseUrl: "http://127.0.0.1:54321/functions/v1", functionName: "twilio-sms" })[0]).toBe(
      "http://127.0.0.1:54321/functions/v1/twilio-sms?x=2",
    );
  });
});
