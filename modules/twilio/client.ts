// The one way Covey talks to Twilio's REST API: the official `twilio` SDK,
// given an httpClient that sends its requests with fetch. fetch runs the same
// in the app (Node) and in the jobs Edge Function (Deno), and it is where the
// base URL is swapped: with TWILIO_API_URL set (npm start, tests) every
// request for https://api.twilio.com goes to that stand-in instead, with the
// same path, form body and Basic auth. Production leaves it unset.
//
// Web-standard apart from the SDK itself, which Deno loads from npm.
import twilio from "twilio";

export const TWILIO_API_HOST = "api.twilio.com";

export interface TwilioConfig {
  /** TWILIO_API_URL: where api.twilio.com's requests go instead (a stand-in); null in production. */
  apiUrl: string | null;
  /** TWILIO_WEBHOOK_BASE_URL: the public base Twilio calls the functions on (…/functions/v1). */
  webhookBaseUrl: string | null;
}

/** Reads the configuration through `get` (process.env in Node, Deno.env in Deno). */
export function twilioConfig(get: (name: string) => string | undefined): TwilioConfig {
  const trim = (v: string | undefined) => (v ? v.replace(/\/+$/, "") : null);
  return { apiUrl: trim(get("TWILIO_API_URL")), webhookBaseUrl: trim(get("TWILIO_WEBHOOK_BASE_URL")) };
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** When set, the REST API is called with this API key instead of the auth token. */
  apiKeySid?: string | null;
  apiKeySecret?: string | null;
}

/** Twilio's error answer (`{ code, message, more_info, status }`), or a network failure (status 0). */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = "TwilioError";
  }

  /** Worth retrying later: Twilio's side failed, throttled, or could not be reached. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }

  /** The credentials are wrong or revoked (20003 "Authenticate"), or the account is suspended (20005). */
  get authProblem(): boolean {
    return this.status === 401 || this.code === 20003 || this.code === 20005;
  }
}

interface SdkRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  authStrategy?: { getAuthString(): Promise<string> };
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

/** Form-encodes as the SDK's own client does (qs, arrayFormat "repeat": MediaUrl=a&MediaUrl=b). */
function formOf(data: Record<string, unknown> | undefined): URLSearchParams {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(data ?? {})) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
  }
  return form;
}

/** The SDK's RequestClient contract over fetch, sending api.twilio.com's requests to `apiUrl` when given. */
export class FetchRequestClient {
  constructor(
    private readonly apiUrl: string | null,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async request(opts: SdkRequest): Promise<{ statusCode: number; body: string; headers: Record<string, string> }> {
    const target = new URL(opts.uri);
    const params = formOf(opts.params);
    for (const [k, v] of params) target.searchParams.append(k, v);
    const url = this.apiUrl && target.hostname === TWILIO_API_HOST ? `${this.apiUrl}${target.pathname}${target.search}` : target.href;
    const headers = new Headers(opts.headers ?? {});
    if (opts.authStrategy) headers.set("authorization", await opts.authStrategy.getAuthString());
    else if (opts.username) headers.set("authorization", `Basic ${btoa(`${opts.username}:${opts.password ?? ""}`)}`);
    const method = opts.method.toUpperCase();
    const body = method === "POST" || method === "PUT" ? formOf(opts.data).toString() : undefined;
    let res: Response;
    try {
      res = await this.fetchFn(url, { method, headers, body, signal: AbortSignal.timeout(opts.timeout ?? 30_000), redirect: "manual" });
    } catch (e) {
      throw new TwilioError(0, `Twilio could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { statusCode: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  }
}

/** What the SDK throws for an error answer (RestException), as a TwilioError; anything else as it is. */
export function twilioErrorOf(e: unknown): unknown {
  if (e instanceof TwilioError) return e;
  const x = e as { status?: unknown; code?: unknown; message?: unknown } | null;
  if (x && typeof x === "object" && typeof x.status === "number") {
    return new TwilioError(x.status, typeof x.message === "string" && x.message ? x.message : `Twilio answered ${x.status}`, typeof x.code === "number" ? x.code : null);
  }
  return e;
}

export interface SentMessage {
  sid: string;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number | null;
}

export interface SendInput {
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  statusCallback?: string | null;
}

export interface PlacedCall {
  sid: string;
  status: string;
}

export interface CallInput {
  /** The phone that rings first. */
  to: string;
  /** The org's number it rings from. */
  from: string;
  /** What Twilio does once `to` answers (e.g. a <Dial> to the contact). */
  twiml: string;
  statusCallback?: string | null;
  /** Twilio's default is `completed` only. */
  statusCallbackEvents?: ("initiated" | "ringing" | "answered" | "completed")[];
  /** Seconds `to` may ring before the call ends as no-answer. */
  timeoutSeconds?: number;
}

export interface TwilioAccountInfo {
  sid: string;
  friendlyName: string;
  status: string;
}

/** The calls Covey makes, on one account's credentials. Errors are TwilioError. */
export interface TwilioClient {
  fetchAccount(): Promise<TwilioAccountInfo>;
  sendMessage(input: SendInput): Promise<SentMessage>;
  fetchMessage(sid: string): Promise<SentMessage>;
  createCall(input: CallInput): Promise<PlacedCall>;
}

const sentOf = (m: { sid: string; status: string; errorCode: number | null; errorMessage: string | null; numSegments: string | null }): SentMessage => ({
  sid: m.sid,
  status: m.status,
  errorCode: m.errorCode ?? null,
  errorMessage: m.errorMessage ?? null,
  numSegments: m.numSegments ? Number(m.numSegments) : null,
});

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw twilioErrorOf(e);
  }
}

export function twilioClient(creds: TwilioCredentials, config: TwilioConfig, fetchFn: typeof fetch = fetch): TwilioClient {
  // The SDK types its option as its own axios-based class; it only ever calls request().
  const httpClient = new FetchRequestClient(config.apiUrl, fetchFn) as unknown as NonNullable<Parameters<typeof twilio>[2]>["httpClient"];
  const options = { accountSid: creds.accountSid, httpClient, autoRetry: false };
  const sdk =
    creds.apiKeySid && creds.apiKeySecret
      ? twilio(creds.apiKeySid, creds.apiKeySecret, options)
      : twilio(creds.accountSid, creds.authToken, options);
  return {
    fetchAccount: () =>
      call(async () => {
        const a = await sdk.api.v2010.accounts(creds.accountSid).fetch();
        return { sid: a.sid, friendlyName: a.friendlyName, status: a.status };
      }),
    sendMessage: (input) =>
      call(async () =>
        sentOf(
          await sdk.messages.create({
            from: input.from,
            to: input.to,
            body: input.body,
            ...(input.mediaUrls?.length ? { mediaUrl: input.mediaUrls } : {}),
            ...(input.statusCallback ? { statusCallback: input.statusCallback } : {}),
          }),
        ),
      ),
    fetchMessage: (sid) => call(async () => sentOf(await sdk.messages(sid).fetch())),
    createCall: (input) =>
      call(async () => {
        const c = await sdk.calls.create({
          to: input.to,
          from: input.from,
          twiml: input.twiml,
          ...(input.timeoutSeconds ? { timeout: input.timeoutSeconds } : {}),
          ...(input.statusCallback
            ? { statusCallback: input.statusCallback, statusCallbackMethod: "POST", statusCallbackEvent: input.statusCallbackEvents ?? ["completed"] }
            : {}),
        });
        return { sid: c.sid, status: c.status };
      }),
  };
}
