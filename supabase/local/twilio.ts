// A stand-in for Twilio, served by the embedded runtime on the local API at
// /twilio (TWILIO_API_URL points there) and by tests on a port of their own.
// The real `twilio` SDK talks to it (modules/twilio/client.ts rewrites
// api.twilio.com to it). It speaks Twilio's REST wire format for what Covey
// calls, with Twilio's Basic auth (account SID + auth token, or an API key
// SID + secret of the account) and Twilio's error bodies:
//
//   GET  /2010-04-01/Accounts/{AccountSid}.json                 the account
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json        send (To, From, Body, MediaUrl…, StatusCallback)
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json  one message
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json        messages (To, From filters)
//   POST /2010-04-01/Accounts/{AccountSid}/Calls.json           place a call (To, From, Twiml or Url, StatusCallback, StatusCallbackEvent…, Timeout)
//   GET  /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json     one call
//
// A sent message then moves queued → sent → delivered (or undelivered with
// an error code, for a number switched to fail), and each step is POSTed to
// its StatusCallback signed with X-Twilio-Signature under the account's auth
// token, exactly as Twilio signs (the SDK's getExpectedTwilioSignature).
// A placed call rings its `To` phone (initiated → ringing) until that phone
// answers, declines or lets it ring out (Timeout, 60 s by default): answered,
// it is in-progress and follows its TwiML's <Dial> to the contact; hung up,
// it is completed with CallDuration. Busy and no-answer end it at once. Each
// step goes to its StatusCallback for the events StatusCallbackEvent asked
// for (Twilio's default: completed only), signed the same way.
// Playing the customer's phone and the test harness, it also takes (outside
// Twilio's paths):
//
//   POST /_dev/accounts   {}                               → a new account { sid, authToken, apiKeySid, apiKeySecret }
//   POST /_dev/inbound    { accountSid, from, to, body, mediaUrls?, url? }  a text to `to`: Twilio's webhook, signed, POSTed to `url` (default: the SMS URL)
//   POST /_dev/failures   { to, errorCode }                sends to `to` end undelivered with that code, and calls to it are
//                                                          refused as Twilio refuses a number its geo permissions block (errorCode null: both work again)
//   POST /_dev/settings   { callbacksFirst?, stepMs? }     callbacks before the send's answer (the race in tests); time between steps
//   GET  /_dev/messages?number=+1…                         every message to or from a number, oldest first
//   GET  /_dev/calls?number=+1…                            every placed call to or from a number (all without it), newest first
//   POST /_dev/calls/answer|decline|hangup  { sid }        the called phone answers, declines, or hangs up
//   POST /_dev/settings   { callAnswer?, callSeconds? }    "answer": placed calls are answered and last callSeconds (tests)
//
// Calls to the org's numbers, their TwiML played and their recordings
// served, are twilio-inbound-calls.ts (/_dev/voice/…).
import { randomBytes, randomInt } from "node:crypto";
import { countSegments } from "../../modules/twilio/segments.ts";
import { signTwilioRequest } from "../../modules/twilio/signature.ts";
import { createInboundCalls, type InboundCalls } from "./twilio-inbound-calls.ts";
import { type ServedStandIn, serveStandIn } from "./serve-stand-in.ts";

export interface StandInAccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  apiKeySid: string;
  apiKeySecret: string;
}

export interface StandInMessage {
  sid: string;
  accountSid: string;
  direction: "inbound" | "outbound-api";
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  status: string;
  errorCode: number | null;
  statusCallback: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** For inbound: what Covey's webhook answered. */
  webhookStatus?: number;
}

/** A call Covey placed (calls.create): the phone it rings, and where its TwiML bridges once answered. */
export interface StandInCall {
  sid: string;
  accountSid: string;
  direction: "outbound-api";
  from: string;
  to: string;
  twiml: string | null;
  url: string | null;
  status: "queued" | "initiated" | "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "failed" | "canceled";
  statusCallback: string | null;
  statusCallbackEvents: string[];
  timeoutSeconds: number;
  /** The <Dial> of its TwiML: the number it connects to, shown with callerId. */
  dial: { number: string; callerId: string | null } | null;
  duration: number | null;
  createdAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
}

export interface TwilioStandIn {
  handle(req: Request): Promise<Response>;
  accounts: Map<string, StandInAccount>;
  messages: StandInMessage[];
  calls: StandInCall[];
  /** The called phone picks up: in-progress, bridged to its <Dial>. */
  answerCall(sid: string): Promise<StandInCall>;
  /** The called phone refuses: busy. */
  declineCall(sid: string): Promise<StandInCall>;
  /** Either side hangs up an answered call: completed with its duration (`seconds`, else the time since it was answered). */
  hangUpCall(sid: string, seconds?: number): Promise<StandInCall>;
  /** Makes an account the stand-in accepts (tests, the demo org). */
  addAccount(account?: Partial<StandInAccount>): StandInAccount;
  /** A customer's text to `to`: Twilio's signed webhook to the SMS URL (or `url`). */
  inbound(input: { accountSid: string; from: string; to: string; body: string; mediaUrls?: string[]; url?: string }): Promise<StandInMessage>;
  /** Resolves when every status callback fired so far has been answered. */
  settled(): Promise<void>;
  settings: StandInSettings;
  failures: Map<string, number>;
  /** Customers calling the org's numbers. */
  inboundCalls: InboundCalls;
}

export interface StandInSettings {
  callbacksFirst: boolean;
  stepMs: number;
  /** "wait": a placed call rings until its phone acts (/dev/phone); "answer": it is answered at once and lasts callSeconds. */
  callAnswer: "wait" | "answer";
  callSeconds: number;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** RFC 2822 dates, as Twilio's JSON has them. */
function twilioDate(d: Date): string {
  return d.toUTCString().replace("GMT", "+0000");
}

function twilioError(status: number, code: number, message: string): Response {
  return Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });
}

const segments = (body: string) => Math.max(1, countSegments(body).segments);

export function createTwilioStandIn(
  opts: { prefix?: string; smsUrl?: string; voiceUrl?: string; voiceStatusUrl?: string; accounts?: Partial<StandInAccount>[] } = {},
): TwilioStandIn {
  const prefix = opts.prefix ?? "";
  const accounts = new Map<string, StandInAccount>();
  const messages: StandInMessage[] = [];
  const pending = new Set<Promise<unknown>>();
  const failures = new Map<string, number>();
  const calls: StandInCall[] = [];
  const settings: StandInSettings = { callbacksFirst: false, stepMs: 150, callAnswer: "wait", callSeconds: 42 };
  const inboundCalls = createInboundCalls({ accounts, voiceUrl: opts.voiceUrl, statusUrl: opts.voiceStatusUrl, track });

  function addAccount(a: Partial<StandInAccount> = {}): StandInAccount {
    const account: StandInAccount = {
      sid: a.sid ?? `AC${hex(16)}`,
      authToken: a.authToken ?? hex(16),
      friendlyName: a.friendlyName ?? "Covey test account",
      apiKeySid: a.apiKeySid ?? `SK${hex(16)}`,
      apiKeySecret: a.apiKeySecret ?? hex(16),
    };
    accounts.set(account.sid, account);
    return account;
  }
  for (const a of opts.accounts ?? []) addAccount(a);

  function authorized(req: Request, account: StandInAccount): boolean {
    const m = /^Basic\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
    if (!m) return false;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const at = decoded.indexOf(":");
    const [user, pass] = [decoded.slice(0, at), decoded.slice(at + 1)];
    return (user === account.sid && pass === account.authToken) || (user === account.apiKeySid && pass === account.apiKeySecret);
  }

  function messageJson(m: StandInMessage) {
    const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
    return {
      account_sid: m.accountSid,
      api_version: "2010-04-01",
      body: m.body,
      date_created: twilioDate(m.createdAt),
      date_sent: m.status === "queued" ? null : twilioDate(m.updatedAt),
      date_updated: twilioDate(m.updatedAt),
      direction: m.direction,
      error_code: m.errorCode,
      error_message: null,
      from: m.from,
      messaging_service_sid: null,
      num_media: String(m.mediaUrls.length),
      num_segments: String(segments(m.body)),
      price: null,
      price_unit: "USD",
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: uri.replace(/\.json$/, "/Media.json") },
      to: m.to,
      uri,
    };
  }

  async function post(url: string, authToken: string, params: Record<string, string>): Promise<number> {
    const signature = signTwilioRequest(authToken, url, params);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, "user-agent": "TwilioProxy/1.1" },
      body: new URLSearchParams(params).toString(),
    });
    await res.body?.cancel();
    return res.status;
  }

  async function callback(m: StandInMessage, status: string) {
    m.status = status;
    m.updatedAt = new Date();
    if (!m.statusCallback) return;
    const account = accounts.get(m.accountSid)!;
    const params: Record<string, string> = {
      ApiVersion: "2010-04-01",
      AccountSid: m.accountSid,
      MessageSid: m.sid,
      SmsSid: m.sid,
      MessageStatus: status,
      SmsStatus: status,
      From: m.from,
      To: m.to,
    };
    if (m.errorCode !== null && (status === "undelivered" || status === "failed")) params.ErrorCode = String(m.errorCode);
    try {
      await post(m.statusCallback, account.authToken, params);
    } catch {
      // Twilio does not retry a status callback it could not deliver either.
    }
  }

  /** queued → sent → delivered | undelivered, each told to the StatusCallback in turn. */
  async function progress(m: StandInMessage, wait: boolean) {
    const step = () => (wait && settings.stepMs ? new Promise((r) => setTimeout(r, settings.stepMs)) : Promise.resolve());
    const code = failures.get(m.to);
    await step();
    await callback(m, "sent");
    await step();
    if (code !== undefined) {
      m.errorCode = code;
      await callback(m, "undelivered");
    } else {
      await callback(m, "delivered");
    }
  }

  function track<T>(p: Promise<T>): Promise<T> {
    pending.add(p);
    p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  }

  async function createMessage(req: Request, account: StandInAccount): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const body = form.get("Body") ?? "";
    const mediaUrls = form.getAll("MediaUrl");
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!E164.test(from)) return twilioError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (!body && mediaUrls.length === 0) return twilioError(400, 21602, "Message body is required.");
    if (body.length > 1600) return twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    const now = new Date();
    const m: StandInMessage = {
      sid: `SM${hex(16)}`,
      accountSid: account.sid,
      direction: "outbound-api",
      from,
      to,
      body,
      mediaUrls,
      status: "queued",
      errorCode: null,
      statusCallback: form.get("StatusCallback"),
      createdAt: now,
      updatedAt: now,
    };
    messages.push(m);
    const answer = Response.json(messageJson({ ...m, status: "queued" }), { status: 201 });
    if (settings.callbacksFirst) await track(progress(m, false));
    else void track(progress(m, true));
    return answer;
  }

  function callJson(c: StandInCall) {
    const uri = `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}.json`;
    return {
      account_sid: c.accountSid,
      annotation: null,
      answered_by: null,
      api_version: "2010-04-01",
      caller_name: null,
      date_created: twilioDate(c.createdAt),
      date_updated: twilioDate(c.endedAt ?? c.answeredAt ?? c.createdAt),
      direction: c.direction,
      duration: c.duration === null ? null : String(c.duration),
      end_time: c.endedAt ? twilioDate(c.endedAt) : null,
      forwarded_from: null,
      from: c.from,
      from_formatted: c.from,
      group_sid: null,
      parent_call_sid: null,
      phone_number_sid: null,
      price: null,
      price_unit: "USD",
      queue_time: "0",
      sid: c.sid,
      start_time: c.answeredAt ? twilioDate(c.answeredAt) : null,
      status: c.status,
      subresource_uris: { recordings: uri.replace(/\.json$/, "/Recordings.json"), notifications: uri.replace(/\.json$/, "/Notifications.json") },
      to: c.to,
      to_formatted: c.to,
      trunk_sid: null,
      uri,
    };
  }

  /** The first <Dial> of a TwiML document: the number it connects to, with its callerId. */
  function dialOf(twiml: string | null): StandInCall["dial"] {
    const dial = /<Dial\b([^>]*)>([\s\S]*?)<\/Dial>/.exec(twiml ?? "");
    if (!dial) return null;
    const number = /<Number\b[^>]*>\s*([^<\s]+)\s*<\/Number>/.exec(dial[2])?.[1] ?? dial[2].trim();
    const callerId = /\bcallerId\s*=\s*"([^"]*)"/.exec(dial[1])?.[1] ?? null;
    return E164.test(number) ? { number, callerId } : null;
  }

  const FINAL = new Set(["completed", "busy", "no-answer", "failed", "canceled"]);
  const sequence = new Map<string, number>();

  /** Moves the call to `status` and tells its StatusCallback when the event was asked for (every end is the `completed` event). */
  async function callCallback(c: StandInCall, status: StandInCall["status"]) {
    c.status = status;
    const event = FINAL.has(status) ? "completed" : status === "in-progress" ? "answered" : status;
    if (!c.statusCallback || !c.statusCallbackEvents.includes(event)) return;
    const n = sequence.get(c.sid) ?? 0;
    sequence.set(c.sid, n + 1);
    const params: Record<string, string> = {
      AccountSid: c.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: c.sid,
      CallStatus: status,
      Called: c.to,
      Caller: c.from,
      Direction: c.direction,
      From: c.from,
      To: c.to,
      CallbackSource: "call-progress-events",
      SequenceNumber: String(n),
      Timestamp: twilioDate(new Date()),
    };
    if (FINAL.has(status)) {
      params.CallDuration = String(c.duration ?? 0);
      params.Duration = String(Math.ceil((c.duration ?? 0) / 60));
    }
    if (status === "busy") params.SipResponseCode = "486";
    if (status === "no-answer") params.SipResponseCode = "487";
    try {
      await post(c.statusCallback, accounts.get(c.accountSid)!.authToken, params);
    } catch {
      // Twilio does not retry a status callback it could not deliver either.
    }
  }

  const findCall = (sid: string) => {
    const c = calls.find((x) => x.sid === sid);
    if (!c) throw new Error(`No call ${sid}`);
    return c;
  };

  async function answerCall(sid: string): Promise<StandInCall> {
    const c = findCall(sid);
    if (c.status !== "ringing") throw new Error(`Call ${sid} is ${c.status}, not ringing`);
    c.answeredAt = new Date();
    await track(callCallback(c, "in-progress"));
    // TwiML without a <Dial> has nothing more to do once it is answered.
    if (!c.dial) await hangUpCall(sid, 1);
    return c;
  }

  async function declineCall(sid: string): Promise<StandInCall> {
    const c = findCall(sid);
    if (c.status !== "ringing") throw new Error(`Call ${sid} is ${c.status}, not ringing`);
    c.duration = 0;
    c.endedAt = new Date();
    await track(callCallback(c, "busy"));
    return c;
  }

  async function hangUpCall(sid: string, seconds?: number): Promise<StandInCall> {
    const c = findCall(sid);
    if (c.status !== "in-progress") throw new Error(`Call ${sid} is ${c.status}, not in progress`);
    c.endedAt = new Date();
    c.duration = seconds ?? Math.max(1, Math.round((c.endedAt.getTime() - c.answeredAt!.getTime()) / 1000));
    await track(callCallback(c, "completed"));
    return c;
  }

  /** initiated → ringing, then what settings.callAnswer says: wait for the phone, or answer and hang up after callSeconds. */
  async function ring(c: StandInCall, wait: boolean) {
    const step = () => (wait && settings.stepMs ? new Promise((r) => setTimeout(r, settings.stepMs)) : Promise.resolve());
    await step();
    await callCallback(c, "initiated");
    await step();
    await callCallback(c, "ringing");
    if (settings.callAnswer === "answer") {
      await step();
      c.answeredAt = new Date();
      await callCallback(c, "in-progress");
      await step();
      c.endedAt = new Date();
      c.duration = settings.callSeconds;
      await callCallback(c, "completed");
      return;
    }
    setTimeout(() => {
      if (c.status !== "ringing") return;
      c.duration = 0;
      c.endedAt = new Date();
      void track(callCallback(c, "no-answer"));
    }, c.timeoutSeconds * 1000).unref?.();
  }

  async function createCall(req: Request, account: StandInAccount): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const twiml = form.get("Twiml");
    const url = form.get("Url");
    if (!to) return twilioError(400, 21201, "No 'To' number is specified");
    if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from) return twilioError(400, 21213, "No 'From' number is specified");
    if (!E164.test(from)) return twilioError(400, 21212, `Invalid 'From' Phone Number: ${from}`);
    if (!twiml && !url) return twilioError(400, 21205, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required");
    if (failures.has(to)) {
      return twilioError(400, 21215, `Account not authorized to call ${to}. Perhaps you need to enable some international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk`);
    }
    const timeout = Number(form.get("Timeout") ?? 60);
    const c: StandInCall = {
      sid: `CA${hex(16)}`,
      accountSid: account.sid,
      direction: "outbound-api",
      from,
      to,
      twiml,
      url,
      status: "queued",
      statusCallback: form.get("StatusCallback"),
      // Twilio reads the events space-separated or repeated; without any it tells only `completed`.
      statusCallbackEvents: form.getAll("StatusCallbackEvent").flatMap((e) => e.split(/\s+/)).filter(Boolean),
      timeoutSeconds: Number.isFinite(timeout) && timeout >= 5 && timeout <= 600 ? timeout : 60,
      dial: dialOf(twiml),
      duration: null,
      createdAt: new Date(),
      answeredAt: null,
      endedAt: null,
    };
    if (!c.statusCallbackEvents.length) c.statusCallbackEvents.push("completed");
    calls.push(c);
    const answer = Response.json(callJson({ ...c, status: "queued" }), { status: 201 });
    if (settings.callbacksFirst) await track(ring(c, false));
    else void track(ring(c, true));
    return answer;
  }

  async function inbound(input: { accountSid: string; from: string; to: string; body: string; mediaUrls?: string[]; url?: string }): Promise<StandInMessage> {
    const account = accounts.get(input.accountSid);
    if (!account) throw new Error(`No account ${input.accountSid}`);
    const url = input.url ?? opts.smsUrl;
    if (!url) throw new Error("No SMS URL to send the text to");
    const now = new Date();
    const mediaUrls = input.mediaUrls ?? [];
    const m: StandInMessage = {
      sid: `SM${hex(16)}`,
      accountSid: account.sid,
      direction: "inbound",
      from: input.from,
      to: input.to,
      body: input.body,
      mediaUrls,
      status: "received",
      errorCode: null,
      statusCallback: null,
      createdAt: now,
      updatedAt: now,
    };
    messages.push(m);
    const params: Record<string, string> = {
      ToCountry: "US",
      ToState: "",
      SmsMessageSid: m.sid,
      NumMedia: String(mediaUrls.length),
      ToCity: "",
      FromZip: "",
      SmsSid: m.sid,
      FromState: "",
      SmsStatus: "received",
      FromCity: "",
      Body: input.body,
      FromCountry: "US",
      To: input.to,
      ToZip: "",
      NumSegments: String(segments(input.body)),
      MessageSid: m.sid,
      AccountSid: account.sid,
      From: input.from,
      ApiVersion: "2010-04-01",
    };
    mediaUrls.forEach((u, i) => {
      params[`MediaUrl${i}`] = u;
      params[`MediaContentType${i}`] = /\.png$/i.test(u) ? "image/png" : "image/jpeg";
    });
    m.webhookStatus = await post(url, account.authToken, params);
    return m;
  }

  async function dev(req: Request, path: string, url: URL): Promise<Response> {
    const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Record<string, unknown>) : {};
    if (path === "/_dev/accounts" && req.method === "POST") return Response.json(addAccount(), { status: 201 });
    if (path === "/_dev/inbound" && req.method === "POST") {
      try {
        const m = await inbound(body as Parameters<typeof inbound>[0]);
        return Response.json({ sid: m.sid, webhookStatus: m.webhookStatus }, { status: 201 });
      } catch (e) {
        return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 400 });
      }
    }
    if (path === "/_dev/failures" && req.method === "POST") {
      if (typeof body.to !== "string") return Response.json({ error: "to is required" }, { status: 400 });
      if (typeof body.errorCode === "number") failures.set(body.to, body.errorCode);
      else failures.delete(body.to);
      return Response.json({ ok: true });
    }
    if (path === "/_dev/settings" && req.method === "POST") {
      if (typeof body.callbacksFirst === "boolean") settings.callbacksFirst = body.callbacksFirst;
      if (typeof body.stepMs === "number") settings.stepMs = body.stepMs;
      if (body.callAnswer === "wait" || body.callAnswer === "answer") settings.callAnswer = body.callAnswer;
      if (typeof body.callSeconds === "number") settings.callSeconds = body.callSeconds;
      return Response.json(settings);
    }
    if (path === "/_dev/calls" && req.method === "GET") {
      const number = url.searchParams.get("number");
      const list = calls.filter((c) => !number || c.to === number || c.from === number);
      return Response.json({ calls: list.map((c) => ({ ...callJson(c), dial: c.dial })).reverse() });
    }
    const act = /^\/_dev\/calls\/(answer|decline|hangup)$/.exec(path);
    if (act && req.method === "POST") {
      try {
        const sid = String(body.sid ?? "");
        const c = act[1] === "answer" ? await answerCall(sid) : act[1] === "decline" ? await declineCall(sid) : await hangUpCall(sid);
        return Response.json({ ...callJson(c), dial: c.dial });
      } catch (e) {
        return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 409 });
      }
    }
    if (path === "/_dev/messages" && req.method === "GET") {
      const number = url.searchParams.get("number");
      const list = messages.filter((m) => !number || m.to === number || m.from === number);
      return Response.json({ messages: list.map(messageJson) });
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const voice = await inboundCalls.handle(req, path, url);
    if (voice) return voice;
    if (path.startsWith("/_dev/")) return dev(req, path, url);
    const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})(\.json|\/Messages\.json|\/Messages\/(SM[0-9a-f]{32})\.json|\/Calls\.json|\/Calls\/(CA[0-9a-f]{32})\.json)$/.exec(path);
    if (!m) return twilioError(404, 20404, `The requested resource ${path} was not found`);
    const account = accounts.get(m[1]);
    if (!account || !authorized(req, account)) return twilioError(401, 20003, "Authenticate");
    if (m[2] === ".json" && req.method === "GET") {
      return Response.json({
        sid: account.sid,
        friendly_name: account.friendlyName,
        status: "active",
        type: "Full",
        owner_account_sid: account.sid,
        date_created: twilioDate(new Date(0)),
        date_updated: twilioDate(new Date(0)),
        uri: `/2010-04-01/Accounts/${account.sid}.json`,
      });
    }
    if (m[2] === "/Messages.json" && req.method === "POST") return createMessage(req, account);
    if (m[2] === "/Messages.json" && req.method === "GET") {
      const to = url.searchParams.get("To");
      const from = url.searchParams.get("From");
      const list = messages.filter((x) => x.accountSid === account.sid && (!to || x.to === to) && (!from || x.from === from));
      return Response.json({ messages: list.map(messageJson).reverse(), page: 0, page_size: 50, first_page_uri: path, next_page_uri: null });
    }
    if (m[2] === "/Calls.json" && req.method === "POST") return createCall(req, account);
    if (m[4] && req.method === "GET") {
      const found = calls.find((x) => x.sid === m[4] && x.accountSid === account.sid);
      return found ? Response.json(callJson(found)) : twilioError(404, 20404, `The requested resource ${path} was not found`);
    }
    if (m[3] && req.method === "GET") {
      const found = messages.find((x) => x.sid === m[3] && x.accountSid === account.sid);
      return found ? Response.json(messageJson(found)) : twilioError(404, 20404, `The requested resource ${path} was not found`);
    }
    return twilioError(405, 20004, "Method not allowed");
  }

  return {
    handle,
    accounts,
    messages,
    calls,
    inboundCalls,
    answerCall,
    declineCall,
    hangUpCall,
    addAccount,
    inbound,
    settled: async () => {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    settings,
    failures,
  };
}

/** Serves the stand-in on its own loopback port (tests). */
export function serveTwilio(standIn: TwilioStandIn, port = 0): Promise<ServedStandIn> {
  return serveStandIn(standIn, port);
}

/** A fictional US number (555-01xx style exchanges, which libphonenumber still reads as valid), for tests. */
export function fakeUsNumber(): string {
  return `+1415555${String(randomInt(0, 1e4)).padStart(4, "0")}`;
}
