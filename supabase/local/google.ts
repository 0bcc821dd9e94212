// A stand-in for Google's OAuth 2.0 and the Gmail API, served by the embedded
// runtime on the local API at /google (GOOGLE_OAUTH_URL and GOOGLE_AUTH_URL
// point there) and /gmail/v1 (GOOGLE_API_URL is the local API itself, as the
// Gmail client takes a host for its root), and by tests on a port of their own. It
// speaks Google's wire format for what Covey calls, so google-auth-library
// and @googleapis/gmail talk to it through their endpoint and rootUrl options:
//
//   GET  /o/oauth2/v2/auth            the consent screen: pick a dev Google account, Allow → redirect_uri?code&state&scope
//   POST /token                       authorization_code and refresh_token grants (invalid_grant once revoked); an RS256 id_token with the request's nonce when the scope has openid
//   POST /revoke?token=               revokes an access or refresh token and the grant behind it
//   GET  /oauth2/v3/userinfo          the account's sub, email and name
//   GET  /oauth2/v3/certs             the JWKS of the key that signs id_tokens
//   GET  /.well-known/openid-configuration  OpenID Connect discovery
//   GET  /gmail/v1/users/me/profile   emailAddress, messagesTotal, threadsTotal, historyId
//   POST /gmail/v1/users/me/messages/send      {raw (RFC 2822, base64url), threadId?}
//   GET  /gmail/v1/users/me/messages[/{id}]    list (q `newer_than:Nd`, labelIds, pageToken) and get (format raw|full|metadata|minimal)
//   GET  /gmail/v1/users/me/threads[/{id}]     list and get
//   GET  /gmail/v1/users/me/history   from startHistoryId; one older than the mailbox keeps → 404, as Gmail answers
//   POST /gmail/v1/users/me/watch | stop      push on: every new message is POSTed to the push URL as Pub/Sub would
//
// Playing the Google user and the test harness, outside Google's paths:
//
//   POST /_dev/incoming   { to, from, fromName?, subject, text?, html?, inReplyTo? }  mail arriving in a connected mailbox
//   POST /_dev/revoke     { email }   the user revokes Covey's access at myaccount.google.com
//   POST /_dev/expire-history { email }  history before now is gone (Gmail keeps about a week)
//   POST /_dev/seed       { email, count, from? }  count messages in the mailbox at once (benchmarks)
//   GET  /_dev/mailbox?email=   the mailbox's messages, newest first
//   GET  /_dev/accounts   the dev Google accounts the consent screen offers
//
// What Google keeps between runs and this stand-in, in memory, does not is
// given back at start-up through keep(): the demo owner's grant and thread
// (supabase/local/communications-demo.ts).
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { type JWK, SignJWT } from "jose";
import PostalMime from "postal-mime";
import { type ServedStandIn, serveStandIn } from "./serve-stand-in.ts";

export interface GoogleAccount {
  sub: string;
  email: string;
  name: string;
  /** Google's email_verified claim; true unless set (Gmail and Workspace addresses are verified). */
  emailVerified?: boolean;
}

/** The `iss` of Google's id_tokens. */
export const GOOGLE_ISSUER = "https://accounts.google.com";

/** The OAuth client `npm start` registers with the stand-in (Google's are made at console.cloud.google.com). */
export const LOCAL_GOOGLE_CLIENT = { clientId: "covey-local.apps.googleusercontent.com", clientSecret: "GOCSPX-covey-local" };

export const DEMO_GOOGLE_ACCOUNTS: GoogleAccount[] = [
  { sub: "100000000000000000001", email: "demo.covey@gmail.com", name: "Demo Owner" },
  { sub: "100000000000000000002", email: "alex.admin.covey@gmail.com", name: "Alex Admin" },
  { sub: "100000000000000000003", email: "sam.sales.covey@gmail.com", name: "Sam Sales" },
];

interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: string;
  snippet: string;
  historyId: number;
  internalDate: number;
  messageIdHeader: string;
  headers: { name: string; value: string }[];
}

interface Mailbox {
  account: GoogleAccount;
  messages: Map<string, StoredMessage>;
  /** Insertion order, oldest first. */
  order: string[];
  historyId: number;
  /** History records before this id are gone: asking from earlier is a 404. */
  minHistoryId: number;
  history: { id: number; messageId: string; threadId: string; labelIds: string[] }[];
  watching: boolean;
}

interface Grant {
  account: GoogleAccount;
  clientId: string;
  scope: string;
  refreshToken: string;
  revoked: boolean;
  /** The authorization request's nonce, echoed in the id_token. */
  nonce?: string;
}

export interface GoogleStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Where the stand-in is mounted on its server (`/google` on the local API). */
  prefix?: string;
  /** Where Gmail push notifications go (the gmail-push function, with its `?token=`), or a getter for late binding. */
  pushUrl?: string | (() => string | undefined);
  accounts?: GoogleAccount[];
}

/** A message a mailbox held before this start, kept with its Gmail id (the demo thread). */
export interface KeptMessage {
  id: string;
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  at: Date;
  /** The Gmail id of the message it answers, in the same thread. */
  inReplyTo?: string;
}

export interface GoogleStandIn {
  handle(req: Request): Promise<Response>;
  mailbox(email: string): Mailbox;
  /**
   * What Google keeps between runs and this in-memory stand-in does not: a
   * grant Covey already holds the refresh token of, and the mailbox's
   * earlier messages under their own ids, so a mailbox connected in an
   * earlier run (the demo owner's) keeps working and syncs without
   * duplicates after a restart.
   */
  keep(email: string, grant: { refreshToken: string; scope: string }, messages: KeptMessage[]): void;
  /** Pushes not yet answered (tests wait for them). */
  pendingPushes(): Promise<void>;
  pushes: { url: string; status: number; body: unknown }[];
}

const enc = (s: string) => Buffer.from(s, "utf8").toString("base64url");

function googleError(status: number, message: string, reason: string, statusName: string): Response {
  return Response.json({ error: { code: status, message, errors: [{ message, domain: "global", reason }], status: statusName } }, { status });
}
const unauthenticated = () =>
  googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "authError", "UNAUTHENTICATED");
const notFound = () => googleError(404, "Requested entity was not found.", "notFound", "NOT_FOUND");
const oauthError = (error: string, description: string, status = 400) => Response.json({ error, error_description: description }, { status });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Gmail ids are 16 hex digits. */
const gmailId = () => randomBytes(8).toString("hex");

function buildRaw(m: { from: string; to: string; subject: string; text?: string; html?: string; messageId: string; inReplyTo?: string; date: Date }) {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Date: ${m.date.toUTCString()}`,
    `Message-ID: ${m.messageId}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    "MIME-Version: 1.0",
  ];
  if (m.html) {
    const boundary = `b_${randomBytes(6).toString("hex")}`;
    lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`, "");
    lines.push(`--${boundary}`, "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", Buffer.from(m.text ?? "").toString("base64"));
    lines.push(`--${boundary}`, "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64", "", Buffer.from(m.html).toString("base64"));
    lines.push(`--${boundary}--`, "");
  } else {
    lines.push("Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", Buffer.from(m.text ?? "").toString("base64"));
  }
  return lines.join("\r\n");
}

export function createGoogleStandIn(opts: GoogleStandInOptions): GoogleStandIn {
  const prefix = opts.prefix ?? "";
  const accounts = opts.accounts ?? DEMO_GOOGLE_ACCOUNTS;
  const mailboxes = new Map<string, Mailbox>();
  const codes = new Map<string, { grant: Grant; redirectUri: string; expires: number }>();
  const refreshTokens = new Map<string, Grant>();
  const accessTokens = new Map<string, { grant: Grant; expires: number }>();
  const inflight = new Set<Promise<void>>();
  const pushes: GoogleStandIn["pushes"] = [];
  // Google rotates its signing keys; one per stand-in is enough for verifiers that follow the JWKS.
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  const publicJwk: JWK = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

  function idToken(grant: Grant): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      azp: grant.clientId,
      email: grant.account.email,
      email_verified: grant.account.emailVerified ?? true,
      name: grant.account.name,
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
    })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(GOOGLE_ISSUER)
      .setAudience(grant.clientId)
      .setSubject(grant.account.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  }

  function mailbox(email: string): Mailbox {
    const key = email.toLowerCase();
    let box = mailboxes.get(key);
    if (!box) {
      const account = accounts.find((a) => a.email.toLowerCase() === key) ?? { sub: String(10n ** 20n + BigInt(mailboxes.size + 10)), email: key, name: key };
      box = { account, messages: new Map(), order: [], historyId: 1000, minHistoryId: 1, history: [], watching: false };
      mailboxes.set(key, box);
    }
    return box;
  }

  function threadFor(box: Mailbox, headers: { name: string; value: string }[]): string | null {
    const refs = headers
      .filter((h) => /^(in-reply-to|references)$/i.test(h.name))
      .flatMap((h) => h.value.split(/\s+/))
      .filter(Boolean);
    for (const id of box.order) {
      const m = box.messages.get(id)!;
      if (refs.includes(m.messageIdHeader)) return m.threadId;
    }
    return null;
  }

  async function store(box: Mailbox, raw: string, labelIds: string[], threadId: string | null, at = Date.now(), keptId?: string): Promise<StoredMessage> {
    const parsed = await PostalMime.parse(raw);
    const headers = parsed.headers.map((h) => ({ name: h.originalKey ?? h.key, value: h.value }));
    const text = parsed.text ?? (parsed.html ?? "").replace(/<[^>]+>/g, " ");
    box.historyId += 1;
    const id = keptId ?? gmailId();
    const thread = threadId && [...box.messages.values()].some((m) => m.threadId === threadId) ? threadId : (threadFor(box, headers) ?? id);
    const message: StoredMessage = {
      id,
      threadId: thread,
      labelIds,
      raw,
      snippet: text.replace(/\s+/g, " ").trim().slice(0, 140),
      historyId: box.historyId,
      internalDate: at,
      messageIdHeader: parsed.messageId ?? `<${id}@mail.gmail.com>`,
      headers,
    };
    box.messages.set(id, message);
    box.order.push(id);
    box.history.push({ id: box.historyId, messageId: id, threadId: thread, labelIds });
    return message;
  }

  function push(box: Mailbox) {
    const url = typeof opts.pushUrl === "function" ? opts.pushUrl() : opts.pushUrl;
    if (!box.watching || !url) return;
    const body = {
      message: {
        data: Buffer.from(JSON.stringify({ emailAddress: box.account.email, historyId: box.historyId })).toString("base64"),
        messageId: String(Date.now()) + String(Math.floor(Math.random() * 1000)),
        message_id: "",
        publishTime: new Date().toISOString(),
        publish_time: "",
      },
      subscription: "projects/covey-local/subscriptions/gmail-push",
    };
    body.message.message_id = body.message.messageId;
    body.message.publish_time = body.message.publishTime;
    const p = fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(async (res) => {
        pushes.push({ url, status: res.status, body });
        await res.body?.cancel();
      })
      .catch((e) => {
        pushes.push({ url, status: 0, body: String(e) });
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }

  function bearer(req: Request): Grant | null {
    const m = /^Bearer (.+)$/i.exec(req.headers.get("authorization") ?? "");
    const t = m && accessTokens.get(m[1]);
    if (!t || t.expires < Date.now() || t.grant.revoked) return null;
    return t.grant;
  }

  function issueAccess(grant: Grant) {
    const token = `ya29.${randomBytes(24).toString("base64url")}`;
    accessTokens.set(token, { grant, expires: Date.now() + 3599_000 });
    return token;
  }

  function consentPage(url: URL, error?: string): Response {
    const params = ["client_id", "redirect_uri", "scope", "state", "access_type", "prompt", "response_type", "login_hint", "nonce"]
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(url.searchParams.get(k) ?? "")}">`)
      .join("");
    const scopes = (url.searchParams.get("scope") ?? "").split(/\s+/).filter(Boolean);
    const hint = url.searchParams.get("login_hint");
    const options = accounts
      .map(
        (a, i) =>
          `<label class="acct"><input type="radio" name="account" value="${escapeHtml(a.email)}"${(hint ? a.email === hint : i === 0) ? " checked" : ""}> <span><strong>${escapeHtml(a.name)}</strong><br>${escapeHtml(a.email)}</span></label>`,
      )
      .join("");
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (local stand-in)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f0f4f9;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:28px;padding:36px;max-width:440px;width:100%;box-sizing:border-box}
h1{font-size:24px;font-weight:400;margin:8px 0 4px}.acct{display:flex;gap:12px;align-items:center;padding:10px;border:1px solid #dadce0;border-radius:8px;margin:8px 0}
ul{padding-left:20px;color:#444}button{border:0;border-radius:20px;padding:10px 24px;font-size:14px;cursor:pointer}
.allow{background:#0b57d0;color:#fff}.cancel{background:none;color:#0b57d0}.err{color:#b3261e}</style></head>
<body><main><p>Google (local stand-in)</p><h1>Choose an account</h1><p>to continue to <strong>Covey</strong></p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post">${params}<fieldset style="border:0;padding:0"><legend>Account</legend>${options}
<label class="acct"><input type="radio" name="account" value="other"> <span>Use another account: <input name="other_email" type="email" aria-label="Other account email" placeholder="you@gmail.com"></span></label></fieldset>
<p>Covey wants to:</p><ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>
<button class="cancel" name="decision" value="deny">Cancel</button> <button class="allow" name="decision" value="allow">Allow</button></form></main></body></html>`;
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  }

  async function authorize(req: Request, url: URL): Promise<Response> {
    if (req.method === "GET") {
      if (url.searchParams.get("client_id") !== opts.clientId) return new Response("Error 401: invalid_client. The OAuth client was not found.", { status: 401 });
      if (!url.searchParams.get("redirect_uri")) return new Response("Error 400: invalid_request. Missing required parameter: redirect_uri", { status: 400 });
      return consentPage(url);
    }
    const form = new URLSearchParams(await req.text());
    const redirect = new URL(form.get("redirect_uri") ?? "");
    const state = form.get("state");
    if (state) redirect.searchParams.set("state", state);
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      return Response.redirect(redirect.toString(), 302);
    }
    const chosen = form.get("account") === "other" ? (form.get("other_email") ?? "").trim().toLowerCase() : (form.get("account") ?? "");
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(chosen)) {
      const back = new URL(url);
      for (const [k, v] of form) if (k !== "account" && k !== "other_email" && k !== "decision") back.searchParams.set(k, v);
      return consentPage(back, "Enter an email address.");
    }
    const box = mailbox(chosen);
    const grant: Grant = {
      account: box.account,
      clientId: form.get("client_id") ?? "",
      scope: form.get("scope") ?? "",
      refreshToken: `1//${randomBytes(32).toString("base64url")}`,
      revoked: false,
      nonce: form.get("nonce") || undefined,
    };
    const code = `4/${randomBytes(24).toString("base64url")}`;
    codes.set(code, { grant, redirectUri: form.get("redirect_uri") ?? "", expires: Date.now() + 600_000 });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("scope", grant.scope);
    return Response.redirect(redirect.toString(), 302);
  }

  async function token(req: Request): Promise<Response> {
    const type = req.headers.get("content-type") ?? "";
    const text = await req.text();
    const form = type.includes("json") ? new URLSearchParams(JSON.parse(text) as Record<string, string>) : new URLSearchParams(text);
    if (form.get("client_id") !== opts.clientId || form.get("client_secret") !== opts.clientSecret) {
      return oauthError("invalid_client", "The OAuth client was not found.", 401);
    }
    if (form.get("grant_type") === "authorization_code") {
      const entry = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!entry || entry.expires < Date.now()) return oauthError("invalid_grant", "Malformed auth code.");
      if (entry.redirectUri !== form.get("redirect_uri")) return oauthError("redirect_uri_mismatch", "Bad Request");
      refreshTokens.set(entry.grant.refreshToken, entry.grant);
      const openid = entry.grant.scope.split(/\s+/).includes("openid");
      return Response.json({
        access_token: issueAccess(entry.grant),
        expires_in: 3599,
        refresh_token: entry.grant.refreshToken,
        scope: entry.grant.scope,
        token_type: "Bearer",
        ...(openid ? { id_token: await idToken(entry.grant) } : {}),
      });
    }
    if (form.get("grant_type") === "refresh_token") {
      const grant = refreshTokens.get(form.get("refresh_token") ?? "");
      if (!grant || grant.revoked) return oauthError("invalid_grant", "Token has been expired or revoked.");
      return Response.json({ access_token: issueAccess(grant), expires_in: 3599, scope: grant.scope, token_type: "Bearer" });
    }
    return oauthError("unsupported_grant_type", "Invalid grant_type");
  }

  async function revoke(req: Request, url: URL): Promise<Response> {
    const body = req.method === "POST" ? new URLSearchParams(await req.text()) : new URLSearchParams();
    const value = url.searchParams.get("token") ?? body.get("token") ?? "";
    const grant = refreshTokens.get(value) ?? accessTokens.get(value)?.grant;
    if (!grant || grant.revoked) return oauthError("invalid_token", "Token expired or revoked");
    grant.revoked = true;
    return new Response(null, { status: 200 });
  }

  function messageResource(m: StoredMessage, format: string) {
    const base = { id: m.id, threadId: m.threadId, labelIds: m.labelIds, snippet: m.snippet, historyId: String(m.historyId), internalDate: String(m.internalDate), sizeEstimate: m.raw.length };
    if (format === "minimal") return base;
    if (format === "raw") return { ...base, raw: enc(m.raw) };
    return { ...base, payload: { partId: "", mimeType: "message/rfc822", filename: "", headers: m.headers, body: { size: 0 } } };
  }

  function newerThan(q: string | null): number {
    const m = /newer_than:(\d+)([dmy])/.exec(q ?? "");
    if (!m) return 0;
    const days = Number(m[1]) * ({ d: 1, m: 30, y: 365 } as Record<string, number>)[m[2]];
    return Date.now() - days * 86400_000;
  }

  async function gmail(req: Request, url: URL, rest: string[]): Promise<Response> {
    const grant = bearer(req);
    if (!grant) return unauthenticated();
    if (!/gmail\.(readonly|send|modify)|mail\.google\.com/.test(grant.scope)) {
      return googleError(403, "Request had insufficient authentication scopes.", "insufficientPermissions", "PERMISSION_DENIED");
    }
    if (rest[0] !== "me" && rest[0].toLowerCase() !== grant.account.email.toLowerCase()) {
      return googleError(403, "Delegation denied for " + grant.account.email, "forbidden", "PERMISSION_DENIED");
    }
    const box = mailbox(grant.account.email);
    const [, resource, id, action] = rest;
    const read = /gmail\.readonly|gmail\.modify|mail\.google\.com/.test(grant.scope);
    if (resource === "profile" && req.method === "GET") {
      return Response.json({ emailAddress: box.account.email, messagesTotal: box.messages.size, threadsTotal: new Set([...box.messages.values()].map((m) => m.threadId)).size, historyId: String(box.historyId) });
    }
    if (resource === "messages" && id === "send" && req.method === "POST") {
      if (!/gmail\.send|gmail\.modify|mail\.google\.com/.test(grant.scope)) {
        return googleError(403, "Request had insufficient authentication scopes.", "insufficientPermissions", "PERMISSION_DENIED");
      }
      const body = (await req.json().catch(() => null)) as { raw?: string; threadId?: string } | null;
      if (!body?.raw) return googleError(400, "Invalid value for ByteString", "invalidArgument", "INVALID_ARGUMENT");
      const raw = Buffer.from(body.raw, "base64url").toString("utf8");
      if (!/^to:/im.test(raw)) return googleError(400, "Invalid To header", "invalidArgument", "INVALID_ARGUMENT");
      const m = await store(box, raw, ["SENT"], body.threadId ?? null);
      return Response.json({ id: m.id, threadId: m.threadId, labelIds: m.labelIds });
    }
    if (!read) return googleError(403, "Request had insufficient authentication scopes.", "insufficientPermissions", "PERMISSION_DENIED");
    if (resource === "messages" && req.method === "GET") {
      if (id) {
        const m = box.messages.get(id);
        return m ? Response.json(messageResource(m, url.searchParams.get("format") ?? "full")) : notFound();
      }
      const since = newerThan(url.searchParams.get("q"));
      const labels = url.searchParams.getAll("labelIds");
      const all = [...box.order].reverse().map((mid) => box.messages.get(mid)!).filter((m) => m.internalDate >= since && labels.every((l) => m.labelIds.includes(l)));
      const max = Math.min(Number(url.searchParams.get("maxResults") ?? 100) || 100, 500);
      const start = Number(url.searchParams.get("pageToken") ?? 0) || 0;
      const page = all.slice(start, start + max);
      return Response.json({
        ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}),
        resultSizeEstimate: all.length,
      });
    }
    if (resource === "threads" && req.method === "GET") {
      const threads = new Map<string, StoredMessage[]>();
      for (const mid of box.order) {
        const m = box.messages.get(mid)!;
        threads.set(m.threadId, [...(threads.get(m.threadId) ?? []), m]);
      }
      if (id) {
        const t = threads.get(id);
        const format = url.searchParams.get("format") ?? "full";
        return t ? Response.json({ id, historyId: String(t[t.length - 1].historyId), messages: t.map((m) => messageResource(m, format)) }) : notFound();
      }
      const list = [...threads.entries()].reverse();
      const max = Math.min(Number(url.searchParams.get("maxResults") ?? 100) || 100, 500);
      const start = Number(url.searchParams.get("pageToken") ?? 0) || 0;
      return Response.json({
        threads: list.slice(start, start + max).map(([tid, ms]) => ({ id: tid, snippet: ms[ms.length - 1].snippet, historyId: String(ms[ms.length - 1].historyId) })),
        ...(start + max < list.length ? { nextPageToken: String(start + max) } : {}),
        resultSizeEstimate: list.length,
      });
    }
    if (resource === "history" && req.method === "GET") {
      const startId = Number(url.searchParams.get("startHistoryId"));
      if (!Number.isFinite(startId) || startId <= 0) return googleError(400, "Invalid startHistoryId", "invalidArgument", "INVALID_ARGUMENT");
      if (startId < box.minHistoryId) return notFound();
      const records = box.history.filter((h) => h.id > startId);
      const max = Math.min(Number(url.searchParams.get("maxResults") ?? 100) || 100, 500);
      const start = Number(url.searchParams.get("pageToken") ?? 0) || 0;
      const page = records.slice(start, start + max);
      return Response.json({
        ...(page.length
          ? {
              history: page.map((h) => ({
                id: String(h.id),
                messages: [{ id: h.messageId, threadId: h.threadId }],
                messagesAdded: [{ message: { id: h.messageId, threadId: h.threadId, labelIds: h.labelIds } }],
              })),
            }
          : {}),
        ...(start + max < records.length ? { nextPageToken: String(start + max) } : {}),
        historyId: String(box.historyId),
      });
    }
    if (resource === "watch" && req.method === "POST") {
      const body = (await req.json().catch(() => ({}))) as { topicName?: string };
      if (!body.topicName) return googleError(400, "Invalid topicName", "invalidArgument", "INVALID_ARGUMENT");
      box.watching = true;
      return Response.json({ historyId: String(box.historyId), expiration: String(Date.now() + 7 * 86400_000) });
    }
    if (resource === "stop" && req.method === "POST") {
      box.watching = false;
      return new Response(null, { status: 204 });
    }
    void action;
    return notFound();
  }

  async function dev(req: Request, url: URL, path: string): Promise<Response> {
    if (path === "/_dev/accounts") return Response.json({ accounts });
    if (path === "/_dev/mailbox" && req.method === "GET") {
      const box = mailbox(url.searchParams.get("email") ?? "");
      const list = [...box.order].reverse().slice(0, 100).map((id) => {
        const m = box.messages.get(id)!;
        const h = (n: string) => m.headers.find((x) => x.name.toLowerCase() === n)?.value ?? "";
        return { id: m.id, threadId: m.threadId, labelIds: m.labelIds, from: h("from"), to: h("to"), subject: h("subject"), snippet: m.snippet, messageId: m.messageIdHeader, date: new Date(m.internalDate).toISOString() };
      });
      return Response.json({ email: box.account.email, watching: box.watching, historyId: box.historyId, messages: list });
    }
    if (req.method !== "POST") return Response.json({ error: "not found" }, { status: 404 });
    const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
    if (path === "/_dev/incoming") {
      if (!str("to") || !str("from")) return Response.json({ error: "to and from are required" }, { status: 400 });
      const box = mailbox(str("to"));
      const from = str("fromName") ? `"${str("fromName").replace(/"/g, "")}" <${str("from")}>` : str("from");
      const raw = buildRaw({
        from,
        to: box.account.email,
        subject: str("subject") || "(no subject)",
        text: str("text") || undefined,
        html: str("html") || undefined,
        messageId: `<${randomUUID()}@${str("from").split("@")[1] ?? "mail.local"}>`,
        inReplyTo: str("inReplyTo") || undefined,
        date: new Date(),
      });
      const m = await store(box, raw, ["INBOX", "UNREAD"], null);
      push(box);
      return Response.json({ id: m.id, threadId: m.threadId, historyId: m.historyId });
    }
    if (path === "/_dev/revoke") {
      const email = str("email").toLowerCase();
      let n = 0;
      for (const g of refreshTokens.values()) {
        if (g.account.email.toLowerCase() === email && !g.revoked) {
          g.revoked = true;
          n++;
        }
      }
      return Response.json({ revoked: n });
    }
    if (path === "/_dev/expire-history") {
      const box = mailbox(str("email"));
      box.minHistoryId = box.historyId;
      return Response.json({ minHistoryId: box.minHistoryId });
    }
    if (path === "/_dev/seed") {
      const box = mailbox(str("email"));
      const count = Math.min(Number(body.count) || 0, 100_000);
      const from = str("from") || "someone@example.com";
      for (let i = 0; i < count; i++) {
        const raw = buildRaw({ from, to: box.account.email, subject: `Message ${i + 1}`, text: `Body of message ${i + 1}`, messageId: `<seed-${randomUUID()}@example.com>`, date: new Date() });
        await store(box, raw, ["INBOX"], null, Date.now() - (count - i) * 1000);
      }
      return Response.json({ count, historyId: box.historyId });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    // The Gmail client builds its paths from the host alone (as gmail.googleapis.com serves them), so the API is also served outside the prefix.
    const path = prefix && url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname;
    if (path.startsWith("/_dev/")) return dev(req, url, path);
    if (path === "/o/oauth2/v2/auth") return authorize(req, url);
    if (path === "/oauth2/v3/certs") return Response.json({ keys: [publicJwk] }, { headers: { "cache-control": "public, max-age=3600" } });
    if (path === "/.well-known/openid-configuration") {
      const base = `${url.origin}${prefix}`;
      return Response.json({
        issuer: GOOGLE_ISSUER,
        authorization_endpoint: `${base}/o/oauth2/v2/auth`,
        token_endpoint: `${base}/token`,
        userinfo_endpoint: `${base}/oauth2/v3/userinfo`,
        revocation_endpoint: `${base}/revoke`,
        jwks_uri: `${base}/oauth2/v3/certs`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid", "email", "profile"],
      });
    }
    if (path === "/token" && req.method === "POST") return token(req);
    if (path === "/revoke") return revoke(req, url);
    if (path === "/oauth2/v3/userinfo" || path === "/oauth2/v2/userinfo") {
      const grant = bearer(req);
      if (!grant) return unauthenticated();
      return Response.json({ sub: grant.account.sub, email: grant.account.email, email_verified: grant.account.emailVerified ?? true, name: grant.account.name });
    }
    const m = /^\/gmail\/v1\/users\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (m) return gmail(req, url, [decodeURIComponent(m[1]), ...(m[2] ?? "").split("/").map(decodeURIComponent)]);
    return notFound();
  }

  const keeping = new Set<Promise<unknown>>();
  function keep(email: string, kept: { refreshToken: string; scope: string }, messages: KeptMessage[]) {
    const box = mailbox(email);
    refreshTokens.set(kept.refreshToken, { account: box.account, clientId: opts.clientId, scope: kept.scope, refreshToken: kept.refreshToken, revoked: false });
    // Gmail keeps pushing to a watched mailbox across Covey's restarts.
    box.watching = true;
    const header = (id: string) => `<${id}.kept@mail.gmail.com>`;
    const p = (async () => {
      for (const m of [...messages].sort((a, b) => a.at.getTime() - b.at.getTime())) {
        if (box.messages.has(m.id)) continue;
        const raw = buildRaw({
          from: m.fromName ? `"${m.fromName}" <${m.from}>` : m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: header(m.id),
          inReplyTo: m.inReplyTo ? header(m.inReplyTo) : undefined,
          date: m.at,
        });
        const sent = m.from.toLowerCase() === box.account.email.toLowerCase();
        await store(box, raw, sent ? ["SENT"] : ["INBOX", "UNREAD"], null, m.at.getTime(), m.id);
      }
    })();
    keeping.add(p);
    void p.finally(() => keeping.delete(p));
  }

  return {
    handle: async (req: Request) => {
      // Requests wait for the kept messages, which are parsed asynchronously, to be in place.
      if (keeping.size) await Promise.all(keeping);
      return handle(req);
    },
    mailbox,
    keep,
    pushes,
    async pendingPushes() {
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
}

/** Serves the stand-in on its own loopback port (tests). */
export function serveGoogle(standIn: Pick<GoogleStandIn, "handle">, port = 0): Promise<ServedStandIn> {
  return serveStandIn(standIn, port);
}
