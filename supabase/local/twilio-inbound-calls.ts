// The Twilio stand-in's inbound calls: a customer (the /dev/phone page, or
// a test) calls one of an org's numbers, and the stand-in does what Twilio
// does. It asks the number's voice URL (the real twilio-voice function)
// what to do, signed with X-Twilio-Signature exactly as Twilio signs (the
// SDK's getExpectedTwilioSignature under the account's auth token), and
// plays the TwiML it gets: <Say> and <Play> are what the caller hears;
// <Dial> rings the agent's phone, which answers only when the caller chose
// "agent answers" (otherwise it rings out at once, as if the timeout had
// passed) and then asks the Dial's action what next; <Record> waits for the
// caller to leave a message or hang up; <Hangup> and <Reject> end the call.
// A message left becomes a recording: the Record's action is asked, the
// recordingStatusCallback is told (RecordingSource RecordVerb), and the
// audio, a short generated WAV as long as the message, is served at
// Twilio's path behind the account's Basic auth, Range requests included.
// When the call ends the number's status callback URL hears `completed`
// with CallDuration.
//
//   POST /_dev/voice/calls            { accountSid, from, to, agentAnswers? }  a call to `to`
//   GET  /_dev/voice/calls?number=    the calls from or to a number, newest first
//   POST /_dev/voice/calls/voicemail  { sid, words?, seconds? }  the caller speaks after the beep and hangs up
//   POST /_dev/voice/calls/hangup     { sid }                   the caller hangs up
//   GET  /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.wav  the recording's audio
import { randomBytes } from "node:crypto";
import { signTwilioRequest } from "../../modules/twilio/signature.ts";

export interface InboundCallAccount {
  sid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
}

/** One thing the caller heard or did, in order. */
export type Heard =
  | { kind: "say"; text: string }
  | { kind: "play"; url: string }
  | { kind: "dial"; number: string; timeout: number; answered: boolean }
  | { kind: "beep"; maxLength: number }
  | { kind: "message"; words: string; seconds: number }
  | { kind: "rejected" }
  | { kind: "hangup"; by: "caller" | "twilio" };

export interface InboundCall {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  agentAnswers: boolean;
  status: "ringing" | "in-progress" | "completed" | "busy";
  /** Waiting at a <Record> for the caller's message. */
  recording: { action: string | null; callback: string | null; maxLength: number; documentUrl: string } | null;
  heard: Heard[];
  seconds: number;
  recordingSid: string | null;
  /** What Covey's function answered each request with. */
  webhookStatuses: number[];
  createdAt: Date;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const twilioDate = (d: Date) => d.toUTCString().replace("GMT", "+0000");
const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
const attr = (attrs: string, name: string) => {
  const v = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  return v === undefined ? null : unescapeXml(v);
};
/** About how long it takes to say `text` (150 words a minute). */
const spoken = (text: string) => Math.max(1, Math.round(text.split(/\s+/).filter(Boolean).length / 2.5));

/** The verbs of a TwiML document, in order. */
function verbsOf(twiml: string): { verb: string; attrs: string; body: string }[] {
  const out: { verb: string; attrs: string; body: string }[] = [];
  const re = /<(Say|Play|Dial|Record|Hangup|Reject|Pause|Redirect)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/g;
  for (let m = re.exec(twiml); m; m = re.exec(twiml)) out.push({ verb: m[1], attrs: m[2], body: m[3] ?? "" });
  return out;
}

/**
 * A WAV of `seconds` (8 kHz, 8-bit mono): a soft tone rising and falling in
 * syllables, so a browser's player has something to play and seek in.
 */
export function voicemailWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = Math.max(1, Math.round(seconds * rate));
  const wav = Buffer.alloc(44 + samples);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples, 4);
  wav.write("WAVE", 8);
  wav.write("fmt ", 12);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const syllable = Math.max(0, Math.sin(Math.PI * 3 * t));
    const pitch = 180 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    wav[44 + i] = Math.round(128 + 40 * syllable * Math.sin(2 * Math.PI * pitch * t));
  }
  return wav;
}

export interface InboundCallsOptions {
  accounts: Map<string, InboundCallAccount>;
  /** The numbers' "A call comes in" URL (…/twilio-voice). */
  voiceUrl?: string;
  /** The numbers' "Call status changes" URL (…/twilio-voice/status). */
  statusUrl?: string;
  /** Runs a callback so the stand-in's settled() waits for it too. */
  track?: <T>(p: Promise<T>) => Promise<T>;
}

export function createInboundCalls(opts: InboundCallsOptions) {
  const calls: InboundCall[] = [];
  const recordings = new Map<string, { accountSid: string; wav: Buffer }>();
  const track = opts.track ?? (<T>(p: Promise<T>) => p);

  async function post(call: InboundCall, url: string, params: Record<string, string>): Promise<string> {
    const token = opts.accounts.get(call.accountSid)!.authToken;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilioRequest(token, url, params), "user-agent": "TwilioProxy/1.1" },
      body: new URLSearchParams(params).toString(),
    });
    call.webhookStatuses.push(res.status);
    return res.ok ? await res.text() : (await res.body?.cancel(), "");
  }

  /** The parameters Twilio sends with every request about the call. */
  const base = (call: InboundCall, status = call.status): Record<string, string> => ({
    AccountSid: call.accountSid,
    ApiVersion: "2010-04-01",
    CallSid: call.sid,
    CallStatus: status,
    Called: call.to,
    Caller: call.from,
    Direction: "inbound",
    From: call.from,
    FromCountry: "US",
    To: call.to,
    ToCountry: "US",
  });

  async function end(call: InboundCall, status: "completed" | "busy", by: "caller" | "twilio") {
    if (call.status === "completed" || call.status === "busy") return;
    call.status = status;
    call.recording = null;
    if (status === "completed") call.heard.push({ kind: "hangup", by });
    if (!opts.statusUrl) return;
    await post(call, opts.statusUrl, {
      ...base(call),
      CallDuration: String(call.seconds),
      Duration: String(Math.ceil(call.seconds / 60)),
      CallbackSource: "call-progress-events",
      SequenceNumber: "0",
      Timestamp: twilioDate(new Date()),
    });
  }

  /** Plays a TwiML document fetched from `documentUrl` until the call ends or waits for the caller. */
  async function play(call: InboundCall, twiml: string, documentUrl: string): Promise<void> {
    for (const { verb, attrs, body } of verbsOf(twiml)) {
      if (verb === "Say") {
        const text = unescapeXml(body.trim());
        call.heard.push({ kind: "say", text });
        call.seconds += spoken(text);
      } else if (verb === "Play") {
        call.heard.push({ kind: "play", url: unescapeXml(body.trim()) });
        call.seconds += 5;
      } else if (verb === "Pause") {
        call.seconds += Number(attr(attrs, "length") ?? 1) || 1;
      } else if (verb === "Reject") {
        call.heard.push({ kind: "rejected" });
        await end(call, "busy", "twilio");
        return;
      } else if (verb === "Hangup") {
        await end(call, "completed", "twilio");
        return;
      } else if (verb === "Redirect") {
        const next = new URL(unescapeXml(body.trim()), documentUrl).href;
        return play(call, await post(call, next, base(call)), next);
      } else if (verb === "Dial") {
        const number = unescapeXml((/<Number\b[^>]*>([\s\S]*?)<\/Number>/.exec(body)?.[1] ?? body).trim());
        const timeout = Number(attr(attrs, "timeout") ?? 30) || 30;
        const answered = call.agentAnswers && E164.test(number);
        call.heard.push({ kind: "dial", number, timeout, answered });
        const talked = answered ? 30 : 0;
        call.seconds += answered ? talked + 3 : timeout;
        const action = attr(attrs, "action");
        if (!action) continue;
        const next = new URL(action, documentUrl).href;
        const answer = await post(call, next, {
          ...base(call, "in-progress"),
          DialCallSid: `CA${hex(16)}`,
          DialCallStatus: answered ? "completed" : "no-answer",
          DialCallDuration: String(talked),
        });
        return play(call, answer, next);
      } else if (verb === "Record") {
        const action = attr(attrs, "action");
        const callback = attr(attrs, "recordingStatusCallback");
        const maxLength = Number(attr(attrs, "maxLength") ?? 3600) || 3600;
        call.heard.push({ kind: "beep", maxLength });
        call.recording = {
          action: action ? new URL(action, documentUrl).href : null,
          callback: callback ? new URL(callback, documentUrl).href : null,
          maxLength,
          documentUrl,
        };
        return;
      }
    }
    // Twilio hangs up when a document runs out of verbs.
    await end(call, "completed", "twilio");
  }

  function find(sid: string): InboundCall {
    const call = calls.find((c) => c.sid === sid);
    if (!call) throw new Error(`No call ${sid}`);
    return call;
  }

  async function call(input: { accountSid: string; from: string; to: string; agentAnswers?: boolean }): Promise<InboundCall> {
    if (!opts.accounts.has(input.accountSid)) throw new Error(`No account ${input.accountSid}`);
    if (!opts.voiceUrl) throw new Error("No voice URL to ask what to do with the call");
    if (!E164.test(input.from) || !E164.test(input.to)) throw new Error("from and to must be E.164 numbers");
    const c: InboundCall = {
      sid: `CA${hex(16)}`,
      accountSid: input.accountSid,
      from: input.from,
      to: input.to,
      agentAnswers: input.agentAnswers ?? false,
      status: "ringing",
      recording: null,
      heard: [],
      seconds: 0,
      recordingSid: null,
      webhookStatuses: [],
      createdAt: new Date(),
    };
    calls.push(c);
    const twiml = await post(c, opts.voiceUrl, base(c));
    c.status = "in-progress";
    if (!twiml) {
      // Twilio plays its "an application error has occurred" and hangs up.
      c.heard.push({ kind: "say", text: "We are sorry, an application error has occurred. Goodbye." });
      await track(end(c, "completed", "twilio"));
      return c;
    }
    await track(play(c, twiml, opts.voiceUrl));
    return c;
  }

  async function leaveVoicemail(sid: string, input: { words?: string; seconds?: number }): Promise<InboundCall> {
    const c = find(sid);
    const at = c.recording;
    if (!at) throw new Error(`Call ${sid} is not waiting for a message`);
    const words = (input.words ?? "").trim();
    const seconds = Math.min(at.maxLength, Math.max(1, Math.round(input.seconds ?? (words ? spoken(words) : 5))));
    const recordingSid = `RE${hex(16)}`;
    recordings.set(recordingSid, { accountSid: c.accountSid, wav: voicemailWav(seconds) });
    c.recordingSid = recordingSid;
    c.recording = null;
    c.seconds += seconds;
    c.heard.push({ kind: "message", words, seconds });
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${c.accountSid}/Recordings/${recordingSid}`;
    await track(
      (async () => {
        if (at.action) {
          const next = await post(c, at.action, { ...base(c), RecordingUrl: recordingUrl, RecordingDuration: String(seconds), RecordingSid: recordingSid, Digits: "hangup" });
          await play(c, next, at.action);
        } else {
          await end(c, "completed", "caller");
        }
        if (at.callback) {
          await post(c, at.callback, {
            AccountSid: c.accountSid,
            CallSid: c.sid,
            RecordingSid: recordingSid,
            RecordingUrl: recordingUrl,
            RecordingStatus: "completed",
            RecordingDuration: String(seconds),
            RecordingChannels: "1",
            RecordingStartTime: twilioDate(new Date()),
            RecordingSource: "RecordVerb",
            RecordingTrack: "inbound",
            ErrorCode: "0",
          });
        }
      })(),
    );
    return c;
  }

  async function hangUp(sid: string): Promise<InboundCall> {
    const c = find(sid);
    await track(end(c, "completed", "caller"));
    return c;
  }

  function authorized(req: Request, accountSid: string): boolean {
    const account = opts.accounts.get(accountSid);
    const m = /^Basic\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
    if (!account || !m) return false;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const at = decoded.indexOf(":");
    const [user, pass] = [decoded.slice(0, at), decoded.slice(at + 1)];
    return (user === account.sid && pass === account.authToken) || (user === account.apiKeySid && pass === account.apiKeySecret);
  }

  /** The recording's audio as Twilio serves it: the whole file, or the byte range asked for. */
  function media(req: Request, accountSid: string, recordingSid: string): Response {
    const error = (status: number, code: number, message: string) =>
      Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });
    if (!authorized(req, accountSid)) return error(401, 20003, "Authenticate");
    const rec = recordings.get(recordingSid);
    if (!rec || rec.accountSid !== accountSid) return error(404, 20404, "The requested resource was not found");
    const size = rec.wav.length;
    const headers = { "content-type": "audio/wav", "accept-ranges": "bytes" };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get("range") ?? "");
    if (!range || (range[1] === "" && range[2] === "")) {
      return new Response(new Uint8Array(rec.wav), { status: 200, headers: { ...headers, "content-length": String(size) } });
    }
    let start = range[1] === "" ? size - Number(range[2]) : Number(range[1]);
    let end = range[1] === "" || range[2] === "" ? size - 1 : Math.min(Number(range[2]), size - 1);
    start = Math.max(0, start);
    if (start > end || start >= size) return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
    end = Math.min(end, size - 1);
    return new Response(new Uint8Array(rec.wav.subarray(start, end + 1)), {
      status: 206,
      headers: { ...headers, "content-length": String(end - start + 1), "content-range": `bytes ${start}-${end}/${size}` },
    });
  }

  const view = (c: InboundCall) => ({
    sid: c.sid,
    from: c.from,
    to: c.to,
    status: c.status,
    waitingForMessage: c.recording !== null,
    maxLength: c.recording?.maxLength ?? null,
    heard: c.heard,
    seconds: c.seconds,
    recordingSid: c.recordingSid,
    webhookStatuses: c.webhookStatuses,
    createdAt: c.createdAt.toISOString(),
  });

  /** Its routes on the stand-in, or null for a path that is not one of them. */
  async function handle(req: Request, path: string, url: URL): Promise<Response | null> {
    const media_ = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})\.wav$/.exec(path);
    if (media_ && req.method === "GET") return media(req, media_[1], media_[2]);
    if (!path.startsWith("/_dev/voice/")) return null;
    if (path === "/_dev/voice/calls" && req.method === "GET") {
      const number = url.searchParams.get("number");
      return Response.json({ calls: calls.filter((c) => !number || c.from === number || c.to === number).map(view).reverse() });
    }
    const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      if (path === "/_dev/voice/calls" && req.method === "POST") {
        return Response.json(view(await call(body as Parameters<typeof call>[0])), { status: 201 });
      }
      if (path === "/_dev/voice/calls/voicemail" && req.method === "POST") {
        const input = { words: typeof body.words === "string" ? body.words : undefined, seconds: typeof body.seconds === "number" ? body.seconds : undefined };
        return Response.json(view(await leaveVoicemail(String(body.sid ?? ""), input)));
      }
      if (path === "/_dev/voice/calls/hangup" && req.method === "POST") return Response.json(view(await hangUp(String(body.sid ?? ""))));
    } catch (e) {
      return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 409 });
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  }

  return { calls, recordings, call, leaveVoicemail, hangUp, handle };
}

export type InboundCalls = ReturnType<typeof createInboundCalls>;
