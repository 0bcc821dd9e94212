// The one way Covey talks to Google: OAuth 2.0 (consent URL, code exchange,
// refresh, revoke) through google-auth-library, and the Gmail API through
// @googleapis/gmail. Both run in the app (Node) and in the jobs Edge
// Function (Deno). Production talks to accounts.google.com,
// oauth2.googleapis.com and gmail.googleapis.com; `npm start` and the tests
// to the stand-in in supabase/local/google.ts. Only configuration differs:
// google-auth-library's `endpoints` and the Gmail client's `rootUrl`.
import { gmail as gmailApi, type gmail_v1 } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { base64url, fromBase64url } from "../../lib/crypto/encoding.ts";

/** Send and read: compose sends, sync reads. Nothing modifies or deletes mail. */
export const GMAIL_SCOPES = ["https://www.googleapis.com/auth/gmail.send", "https://www.googleapis.com/auth/gmail.readonly"];

export interface GoogleConfig {
  clientId: string;
  clientSecret: string;
  /** The consent screen, e.g. https://accounts.google.com/o/oauth2/v2/auth. */
  authUrl: string;
  /** e.g. https://oauth2.googleapis.com: `/token` and `/revoke` below it. */
  oauthUrl: string;
  /** The Gmail API's root, e.g. https://gmail.googleapis.com/. */
  apiUrl: string;
  /** The Pub/Sub topic Gmail publishes mailbox changes to (users.watch); empty: no push, the poll alone. */
  pushTopic: string;
}

export class GoogleNotConfiguredError extends Error {
  constructor(missing: string[]) {
    super(`Gmail is not configured: set ${missing.join(", ")} (an OAuth client of type "Web application" from console.cloud.google.com).`);
    this.name = "GoogleNotConfiguredError";
  }
}

/** Reads the configuration through `get` (process.env in Node, Deno.env in Deno); refuses with the missing names. */
export function googleConfig(get: (name: string) => string | undefined): GoogleConfig {
  const missing = ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"].filter((n) => !get(n));
  if (missing.length) throw new GoogleNotConfiguredError(missing);
  const trim = (s: string) => s.replace(/\/+$/, "");
  return {
    clientId: get("GOOGLE_CLIENT_ID")!,
    clientSecret: get("GOOGLE_CLIENT_SECRET")!,
    authUrl: get("GOOGLE_AUTH_URL") || "https://accounts.google.com/o/oauth2/v2/auth",
    oauthUrl: trim(get("GOOGLE_OAUTH_URL") || "https://oauth2.googleapis.com"),
    apiUrl: `${trim(get("GOOGLE_API_URL") || "https://gmail.googleapis.com")}/`,
    pushTopic: get("GMAIL_PUSH_TOPIC") || "",
  };
}

/** What Google answered, reduced to what Covey decides on. */
export class GoogleError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** OAuth's `error` (invalid_grant...) or the API's first reason (notFound...). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = "GoogleError";
  }

  /** The member revoked Covey's access, or Google expired the grant: only connecting again helps. */
  get revoked(): boolean {
    return this.reason === "invalid_grant" || this.status === 401;
  }

  /** Worth retrying later: Google's side failed, throttled, or could not be reached. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500 || this.reason === "rateLimitExceeded" || this.reason === "userRateLimitExceeded";
  }
}

/** Turns whatever gaxios threw into a GoogleError; the SDKs' errors carry the response. */
export function googleError(e: unknown): GoogleError {
  if (e instanceof GoogleError) return e;
  const err = e as {
    status?: number;
    message?: string;
    response?: { status?: number; data?: { error?: string | { message?: string; errors?: { reason?: string }[]; status?: string }; error_description?: string } };
  };
  const status = err.response?.status ?? err.status ?? 0;
  const data = err.response?.data;
  if (data && typeof data.error === "string") return new GoogleError(status, data.error_description || data.error, data.error);
  if (data && data.error && typeof data.error === "object") {
    return new GoogleError(status, data.error.message ?? `Google answered ${status}`, data.error.errors?.[0]?.reason ?? data.error.status);
  }
  return new GoogleError(status, status ? `Google answered ${status}` : `Google could not be reached: ${err.message ?? String(e)}`);
}

function oauthClient(config: GoogleConfig, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: config.authUrl,
      oauth2TokenUrl: `${config.oauthUrl}/token`,
      oauth2RevokeUrl: `${config.oauthUrl}/revoke`,
    },
  });
}

/** Where the member's browser goes to grant Covey offline access to send and read their mail. */
export function consentUrl(config: GoogleConfig, opts: { redirectUri: string; state: string; loginHint?: string }): string {
  return oauthClient(config, opts.redirectUri).generateAuthUrl({
    access_type: "offline",
    // Google returns a refresh token only on consent; asking again gets one on every (re)connect.
    prompt: "consent",
    scope: GMAIL_SCOPES,
    state: opts.state,
    include_granted_scopes: true,
    login_hint: opts.loginHint,
  });
}

export interface GrantedTokens {
  refreshToken: string;
  accessToken: string;
  scope: string;
}

/** The authorization code from the consent screen → tokens. Refuses a grant without a refresh token or without both scopes. */
export async function exchangeCode(config: GoogleConfig, code: string, redirectUri: string): Promise<GrantedTokens> {
  let tokens;
  try {
    ({ tokens } = await oauthClient(config, redirectUri).getToken(code));
  } catch (e) {
    throw googleError(e);
  }
  if (!tokens.refresh_token || !tokens.access_token) throw new GoogleError(400, "Google granted no offline access", "no_refresh_token");
  const scope = tokens.scope ?? "";
  const missing = GMAIL_SCOPES.filter((s) => !scope.split(/\s+/).includes(s));
  if (missing.length) throw new GoogleError(403, `Google granted access without ${missing.join(" and ")}`, "insufficient_scope");
  return { refreshToken: tokens.refresh_token, accessToken: tokens.access_token, scope };
}

/** Revokes the grant at Google; one already revoked counts as done. */
export async function revokeToken(config: GoogleConfig, token: string): Promise<void> {
  try {
    await oauthClient(config).revokeToken(token);
  } catch (e) {
    const err = googleError(e);
    if (err.reason === "invalid_token") return;
    throw err;
  }
}

export interface MessageRef {
  id: string;
  threadId: string;
}

export interface RawMessage extends MessageRef {
  /** The RFC 2822 message, decoded. */
  raw: string;
  labelIds: string[];
  internalDate: number;
  historyId: string;
}

export interface GmailClient {
  profile(): Promise<{ emailAddress: string; historyId: string; messagesTotal: number }>;
  /** `raw` is the RFC 2822 message; `threadId` keeps a reply in its thread. */
  send(raw: string, threadId?: string | null): Promise<MessageRef>;
  listMessages(opts: { q?: string; pageToken?: string | null; maxResults?: number }): Promise<{ messages: MessageRef[]; nextPageToken: string | null }>;
  getRaw(id: string): Promise<RawMessage | null>;
  /** Messages added since `startHistoryId`; a GoogleError with status 404 once Gmail no longer has that history. */
  history(startHistoryId: string, pageToken?: string | null): Promise<{ added: MessageRef[]; historyId: string; nextPageToken: string | null }>;
  watch(topicName: string): Promise<{ historyId: string; expiration: string }>;
  stop(): Promise<void>;
}

/** The Gmail API as the member who granted `refreshToken`: access tokens are fetched and renewed by google-auth-library. */
export function gmailClient(config: GoogleConfig, refreshToken: string): GmailClient {
  const auth = oauthClient(config);
  auth.setCredentials({ refresh_token: refreshToken });
  const api: gmail_v1.Gmail = gmailApi({ version: "v1", auth, rootUrl: config.apiUrl });
  const users = api.users;
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw googleError(e);
    }
  };
  return {
    profile: () =>
      call(async () => {
        const { data } = await users.getProfile({ userId: "me" });
        return { emailAddress: data.emailAddress ?? "", historyId: String(data.historyId ?? ""), messagesTotal: data.messagesTotal ?? 0 };
      }),
    send: (raw, threadId) =>
      call(async () => {
        const encoded = base64url(new TextEncoder().encode(raw));
        const { data } = await users.messages.send({ userId: "me", requestBody: { raw: encoded, ...(threadId ? { threadId } : {}) } });
        return { id: data.id!, threadId: data.threadId! };
      }),
    listMessages: (opts) =>
      call(async () => {
        const { data } = await users.messages.list({ userId: "me", q: opts.q, pageToken: opts.pageToken ?? undefined, maxResults: opts.maxResults ?? 100 });
        return { messages: (data.messages ?? []).map((m) => ({ id: m.id!, threadId: m.threadId! })), nextPageToken: data.nextPageToken ?? null };
      }),
    getRaw: async (id) => {
      try {
        const { data } = await users.messages.get({ userId: "me", id, format: "raw" });
        const bytes = fromBase64url(data.raw ?? "");
        return {
          id: data.id!,
          threadId: data.threadId!,
          raw: new TextDecoder().decode(bytes),
          labelIds: data.labelIds ?? [],
          internalDate: Number(data.internalDate ?? Date.now()),
          historyId: String(data.historyId ?? ""),
        };
      } catch (e) {
        const err = googleError(e);
        // Deleted between the listing and the fetch: nothing to import.
        if (err.status === 404) return null;
        throw err;
      }
    },
    history: (startHistoryId, pageToken) =>
      call(async () => {
        const { data } = await users.history.list({
          userId: "me",
          startHistoryId,
          historyTypes: ["messageAdded"],
          pageToken: pageToken ?? undefined,
          maxResults: 500,
        });
        const added = (data.history ?? []).flatMap((h) => (h.messagesAdded ?? []).map((a) => ({ id: a.message!.id!, threadId: a.message!.threadId! })));
        return { added, historyId: String(data.historyId ?? startHistoryId), nextPageToken: data.nextPageToken ?? null };
      }),
    watch: (topicName) =>
      call(async () => {
        const { data } = await users.watch({ userId: "me", requestBody: { topicName, labelIds: ["INBOX"], labelFilterBehavior: "include" } });
        return { historyId: String(data.historyId ?? ""), expiration: String(data.expiration ?? "") };
      }),
    stop: () =>
      call(async () => {
        await users.stop({ userId: "me" });
      }),
  };
}
