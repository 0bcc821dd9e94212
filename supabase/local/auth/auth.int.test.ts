// The local auth server driven by the real supabase-js client, against a
// fresh database with Covey's migrations (sign-up trigger included). Emails
// go to a local Send Email Hook receiver that checks the Standard Webhooks
// signature the way the app's receiver does.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  AuthApiError,
  type AuthError,
  createClient,
  type Session,
  type SupabaseClient,
} from "@supabase/supabase-js";
import { Webhook } from "standardwebhooks";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { Claims } from "@/lib/db";
import { createUser as createSeededUser, useTestDatabase } from "@/tests/support/db";
import { LOCAL_ROLE_PASSWORDS } from "@/tests/support/constants";
import { type LocalApi, startLocalApi } from "../api-server.ts";
import { type LocalAuthKeys, loadOrCreateAuthKeys } from "../keys.ts";
import { type AuthConfig, createAuthHandler } from "./index.ts";

const PUBLISHABLE_KEY = "sb_publishable_test";
const SECRET_KEY = "sb_secret_test";
const SITE_URL = "http://localhost:3999";

interface Email {
  to: string;
  type: string;
  token: string;
  tokenHash: string;
  redirectTo: string;
  siteUrl: string;
  userId: string;
}

/** A Send Email Hook receiver: verifies signatures, records emails, can be told to fail. */
async function startHookReceiver(secret: string) {
  const webhook = new Webhook(secret.replace(/^v1,/, ""));
  const emails: Email[] = [];
  const state = { status: 200, rejected: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let payload: { user: { id: string; email: string }; email_data: Record<string, string> };
    try {
      payload = webhook.verify(body, req.headers as Record<string, string>) as typeof payload;
    } catch {
      state.rejected += 1;
      res.writeHead(401).end();
      return;
    }
    if (state.status !== 200) {
      res.writeHead(state.status, { "content-type": "application/json" }).end("{}");
      return;
    }
    const d = payload.email_data;
    emails.push({
      to: payload.user.email,
      userId: payload.user.id,
      type: d.email_action_type,
      token: d.token,
      tokenHash: d.token_hash,
      redirectTo: d.redirect_to,
      siteUrl: d.site_url,
    });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    emails,
    state,
    /** The last email sent to `to`. */
    last(to: string) {
      const found = emails.filter((e) => e.to === to.toLowerCase()).at(-1);
      if (!found) throw new Error(`no email to ${to}`);
      return found;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const t = useTestDatabase();
let api: LocalApi;
let hook: Awaited<ReturnType<typeof startHookReceiver>>;
let keys: LocalAuthKeys;
let keyDir: string;
let authConfig: Omit<AuthConfig, "apiUrl"> & { apiUrl?: string };
const requests: string[] = [];

beforeAll(async () => {
  keyDir = mkdtempSync(path.join(os.tmpdir(), "covey-auth-keys-"));
  keys = loadOrCreateAuthKeys(keyDir);
  hook = await startHookReceiver(keys.emailHookSecret);
  authConfig = {
    databaseUrl: `postgres://supabase_auth_admin:${LOCAL_ROLE_PASSWORDS.supabase_auth_admin}@127.0.0.1:${inject("pgPort")}/${t.name}`,
    siteUrl: SITE_URL,
    publishableKey: PUBLISHABLE_KEY,
    secretKey: SECRET_KEY,
    privateJwk: keys.privateJwk,
    emailHookUrl: hook.url,
    emailHookSecret: keys.emailHookSecret,
    // Every test request comes from 127.0.0.1; the limits have their own test.
    rateLimits: false,
    log: () => {},
  };
  api = await startLocalApi({ port: 0, auth: authConfig });
});

/** A second handler on the same database, for settings the shared server does not use. */
function handlerWith(overrides: Partial<AuthConfig>) {
  return createAuthHandler({ ...authConfig, apiUrl: api.url, ...overrides });
}

afterAll(async () => {
  await api?.close();
  await hook?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

function client(key = PUBLISHABLE_KEY, opts: { flowType?: "implicit" | "pkce" } = {}): SupabaseClient {
  return createClient(api.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: opts.flowType },
    realtime: { transport: WebSocket as never },
    global: {
      fetch: (input, init) => {
        requests.push(`${init?.method ?? "GET"} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`);
        return fetch(input, init);
      },
    },
  });
}

/** What the app's fast path checks: the signature against the JWKS, and expiry. */
async function verifyAccessToken(token: string) {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${api.url}/auth/v1/.well-known/jwks.json`)));
  return payload;
}

const newEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = "correct-horse-9";

function expectApiError(error: AuthError | null, code: string, status: number) {
  expect(error, `expected ${code}`).toBeTruthy();
  expect(error!.code).toBe(code);
  expect(error!.status).toBe(status);
}

async function signUp(email = newEmail(), data: Record<string, unknown> = { full_name: "Ada", org_name: "Ada Co" }) {
  const { data: out, error } = await client().auth.signUp({ email, password: PASSWORD, options: { data } });
  expect(error).toBeNull();
  return { email, user: out.user!, session: out.session! };
}

async function rawAuth(pathname: string, init: RequestInit & { apiVersion?: boolean } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("apikey")) headers.set("apikey", PUBLISHABLE_KEY);
  if (init.apiVersion) headers.set("x-supabase-api-version", "2024-01-01");
  if (init.body) headers.set("content-type", "application/json");
  return fetch(`${api.url}/auth/v1${pathname}`, { ...init, headers, redirect: "manual" });
}

describe("sign-up", () => {
  test("creates the user, its org and owner membership, and returns a session", async () => {
    const { email, user, session } = await signUp(newEmail("founder"), { full_name: "Grace", org_name: "Hopper Labs" });
    expect(session.access_token).toBeTruthy();
    expect(session.token_type).toBe("bearer");
    expect(user.email).toBe(email);
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.app_metadata).toEqual({ provider: "email", providers: ["email"] });
    expect(user.user_metadata).toMatchObject({ full_name: "Grace", email, email_verified: true, sub: user.id });
    expect(user.identities?.[0]).toMatchObject({ provider: "email", user_id: user.id });

    const [row] = await t.admin`select encrypted_password, email_confirmed_at from auth.users where id = ${user.id}`;
    expect(row.encrypted_password).toMatch(/^\$2a\$10\$/);
    const [member] = await t.admin`
      select m.role, o.name from public.org_members m join public.orgs o on o.id = m.org_id where m.user_id = ${user.id}`;
    expect(member).toMatchObject({ role: "owner", name: "Hopper Labs" });
    const [profile] = await t.admin`select full_name from public.profiles where user_id = ${user.id}`;
    expect(profile.full_name).toBe("Grace");
  });

  test("an address that has an account: 422 user_already_exists, case-insensitively", async () => {
    const { email } = await signUp();
    const { error } = await client().auth.signUp({ email: email.toUpperCase(), password: PASSWORD });
    expect(error).toBeInstanceOf(AuthApiError);
    expectApiError(error, "user_already_exists", 422);
  });

  test("a short password: 422 weak_password with reasons", async () => {
    const { error } = await client().auth.signUp({ email: newEmail(), password: "short" });
    expectApiError(error, "weak_password", 422);
    expect(error!.message).toBe("Password should be at least 8 characters.");
    expect((error as AuthError & { reasons: string[] }).reasons).toEqual(["length"]);
  });

  test("an unknown org template: 422 template_invalid, and no account", async () => {
    const email = newEmail("templated");
    const { error } = await client().auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: "Tess", org_name: "Tess Co", org_template: "dentistry" } },
    });
    expectApiError(error, "template_invalid", 422);
    expect(error!.message).toBe("Choose a template: Sales CRM, Surrogacy agency or Lead generation");
    expect(await t.admin`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  test("a malformed address: 400 validation_failed", async () => {
    const { error } = await client().auth.signUp({ email: "not-an-address", password: PASSWORD });
    expectApiError(error, "validation_failed", 400);
  });

  test("an expired invitation: 422 invite_expired with the trigger's message, and no account", async () => {
    const owner = await createSeededUser(t, { orgName: "Inviting Org" });
    const token = randomBytes(16).toString("hex");
    const email = newEmail("invitee");
    await t.admin`
      insert into public.org_invites (org_id, email, role, token_hash, invited_by, expires_at)
      values (${owner.orgId}, ${email}, 'member', ${createHash("sha256").update(token).digest("hex")}, ${owner.id}, now() - interval '1 day')`;
    const { data, error } = await client().auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: "Late", invite_token: token } },
    });
    expect(error).toBeInstanceOf(AuthApiError);
    expectApiError(error, "invite_expired", 422);
    expect(error!.message).toBe("This invitation has expired");
    expect(data.session).toBeNull();
    expect(await t.admin`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  test("a valid invitation joins the inviting org with the invited role", async () => {
    const owner = await createSeededUser(t, { orgName: "Welcoming Org" });
    const token = randomBytes(16).toString("hex");
    const email = newEmail("joiner");
    await t.admin`
      insert into public.org_invites (org_id, email, role, token_hash, invited_by)
      values (${owner.orgId}, ${email}, 'manager', ${createHash("sha256").update(token).digest("hex")}, ${owner.id})`;
    const { user } = await signUp(email, { full_name: "Joiner", invite_token: token });
    const [member] = await t.admin`select org_id, role from public.org_members where user_id = ${user.id}`;
    expect(member).toMatchObject({ org_id: owner.orgId, role: "manager" });
  });
});

describe("password sign-in, tokens and JWKS", () => {
  test("a wrong password: 400 invalid_credentials; an unknown address answers the same", async () => {
    const { email } = await signUp();
    const wrong = await client().auth.signInWithPassword({ email, password: "wrong-password" });
    expectApiError(wrong.error, "invalid_credentials", 400);
    expect(wrong.error!.message).toBe("Invalid login credentials");
    const unknown = await client().auth.signInWithPassword({ email: newEmail(), password: PASSWORD });
    expectApiError(unknown.error, "invalid_credentials", 400);
  });

  test("signs in, and getClaims() verifies the ES256 token against the JWKS endpoint", async () => {
    const { email, user } = await signUp();
    const supabase = client();
    const { data, error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toBeNull();
    const before = requests.length;
    const claims = await supabase.auth.getClaims();
    expect(claims.error).toBeNull();
    expect(requests.slice(before)).toContain("GET /auth/v1/.well-known/jwks.json");
    expect(claims.data!.header).toMatchObject({ alg: "ES256", kid: keys.privateJwk.kid, typ: "JWT" });
    expect(claims.data!.claims).toMatchObject({
      iss: `${api.url}/auth/v1`,
      sub: user.id,
      aud: "authenticated",
      role: "authenticated",
      email,
      phone: "",
      aal: "aal1",
      is_anonymous: false,
      session_id: expect.any(String),
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: expect.objectContaining({ full_name: "Ada" }),
      amr: [{ method: "password", timestamp: expect.any(Number) }],
    });
    const c = claims.data!.claims;
    expect(c.exp! - c.iat!).toBe(3600);
    expect(data.session!.expires_in).toBe(3600);

    // A token whose payload was altered does not verify.
    const [h, p, s] = data.session!.access_token.split(".");
    const forged = JSON.parse(Buffer.from(p, "base64url").toString());
    forged.sub = randomUUID();
    const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}`;
    const bad = await supabase.auth.getClaims(tampered);
    expect(bad.error?.message).toBe("Invalid JWT signature");
  });

  test("users seeded with pgcrypto's crypt() can sign in", async () => {
    const seeded = await createSeededUser(t);
    const { data, error } = await client().auth.signInWithPassword({ email: seeded.email, password: "password123" });
    expect(error).toBeNull();
    expect(data.user!.id).toBe(seeded.id);
  });

  test("refresh rotates the token; a superseded token fails and revokes the session's tokens", async () => {
    const { email } = await signUp();
    const signedIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    const r0 = signedIn.data.session!.refresh_token;

    const first = await client().auth.refreshSession({ refresh_token: r0 });
    expect(first.error).toBeNull();
    const r1 = first.data.session!.refresh_token;
    expect(r1).not.toBe(r0);
    expect(first.data.session!.access_token).not.toBe(signedIn.data.session!.access_token);

    // Within the reuse interval, the just-rotated token yields its child
    // (concurrent refreshes from a proxy and a page must not sign out).
    const concurrent = await client().auth.refreshSession({ refresh_token: r0 });
    expect(concurrent.data.session!.refresh_token).toBe(r1);

    const second = await client().auth.refreshSession({ refresh_token: r1 });
    const r2 = second.data.session!.refresh_token;
    expect(r2).not.toBe(r1);

    // r0's child r1 is no longer live: this is a replay.
    const replay = await client().auth.refreshSession({ refresh_token: r0 });
    expectApiError(replay.error, "refresh_token_already_used", 400);
    const after = await client().auth.refreshSession({ refresh_token: r2 });
    expectApiError(after.error, "refresh_token_already_used", 400);

    const unknown = await client().auth.refreshSession({ refresh_token: "no-such-token" });
    expectApiError(unknown.error, "refresh_token_not_found", 400);
  });

  test("without a reuse interval, a used refresh token fails at once", async () => {
    const handler = handlerWith({ refreshTokenReuseIntervalSeconds: 0 });
    try {
      const { email } = await signUp();
      const call = (body: unknown, grant: string) =>
        handler(
          new Request(`${api.url}/auth/v1/token?grant_type=${grant}`, {
            method: "POST",
            headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json", "x-supabase-api-version": "2024-01-01" },
            body: JSON.stringify(body),
          }),
        );
      const session: Session = await (await call({ email, password: PASSWORD }, "password")).json();
      const rotated = await call({ refresh_token: session.refresh_token }, "refresh_token");
      expect(rotated.status).toBe(200);
      const reused = await call({ refresh_token: session.refresh_token }, "refresh_token");
      expect(reused.status).toBe(400);
      expect(await reused.json()).toEqual({ code: "refresh_token_already_used", message: "Invalid Refresh Token: Already Used" });
    } finally {
      await handler.close();
    }
  });

  test("signOut ends the session: its refresh token and access token stop working", async () => {
    const { email } = await signUp();
    const supabase = client();
    const { data } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    const { refresh_token, access_token } = data.session!;
    expect((await supabase.auth.signOut()).error).toBeNull();
    const refreshed = await client().auth.refreshSession({ refresh_token });
    expectApiError(refreshed.error, "refresh_token_not_found", 400);
    const res = await rawAuth("/user", { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).error_code).toBe("session_not_found");
  });

  test("signOut scope local keeps the user's other sessions; others keeps only this one", async () => {
    const { email } = await signUp();
    const [a, b, c] = [client(), client(), client()];
    for (const s of [a, b, c]) await s.auth.signInWithPassword({ email, password: PASSWORD });
    const tokenOf = async (s: SupabaseClient) => (await s.auth.getSession()).data.session!.refresh_token;
    const [rb, rc] = [await tokenOf(b), await tokenOf(c)];
    await a.auth.signOut({ scope: "local" });
    expect((await client().auth.refreshSession({ refresh_token: rb })).error).toBeNull();
    const rc2 = (await client().auth.refreshSession({ refresh_token: rc })).data.session!;
    const d = client();
    await d.auth.setSession({ access_token: rc2.access_token, refresh_token: rc2.refresh_token });
    await d.auth.signOut({ scope: "others" });
    expect(await t.admin`select 1 from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`).toHaveLength(1);
  });

  test("GET /user returns the user; PUT /user merges user_metadata", async () => {
    const { email } = await signUp();
    const supabase = client();
    await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    const { data } = await supabase.auth.getUser();
    expect(data.user!.email).toBe(email);
    const updated = await supabase.auth.updateUser({ data: { full_name: null, theme: "dark" } });
    expect(updated.error).toBeNull();
    expect(updated.data.user!.user_metadata.theme).toBe("dark");
    expect(updated.data.user!.user_metadata).not.toHaveProperty("full_name");
  });

  test("after sign-out the access token, though it still verifies, can neither change nor read data", async () => {
    const { email } = await signUp(newEmail(), { full_name: "Sam", org_name: "Signed Out Co" });
    const supabase = client();
    const { data: signIn, error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toBeNull();
    const claims = (await supabase.auth.getClaims()).data!.claims as Claims;
    expect(claims.session_id).toEqual(expect.any(String));
    const [{ org_id: orgId }] = await t.admin`select org_id from public.org_members where user_id = ${claims.sub}`;
    const addCompany = (name: string) =>
      t.db.asUser(claims, (tx) => tx.insertInto("companies").values({ org_id: orgId, name }).execute());
    await addCompany("Before sign-out");

    expect((await supabase.auth.signOut()).error).toBeNull();
    // The token itself is still good for its hour: only the session is gone.
    expect(await verifyAccessToken(signIn.session!.access_token)).toMatchObject({ sub: claims.sub });

    await expect(addCompany("After sign-out")).rejects.toMatchObject({ code: "28000", hint: "session_ended" });
    await expect(t.db.asUser(claims, (tx) => tx.selectFrom("companies").select("name").execute())).rejects.toMatchObject({
      hint: "session_ended",
    });
    const names = await t.admin`select name from public.companies where org_id = ${orgId}`;
    expect(names.map((r) => r.name)).toEqual(["Before sign-out"]);
  });
});

describe("magic link and one-time tokens", () => {
  test("signInWithOtp emails a signed magic link; its token_hash signs in once", async () => {
    const { email, user } = await signUp();
    const redirect = `${SITE_URL}/auth/confirm?next=%2Fdeals`;
    const sent = await client().auth.signInWithOtp({ email, options: { emailRedirectTo: redirect, shouldCreateUser: false } });
    expect(sent.error).toBeNull();
    const mail = hook.last(email);
    expect(mail).toMatchObject({ type: "magiclink", userId: user.id, redirectTo: redirect, siteUrl: `${api.url}/auth/v1` });
    expect(mail.token).toMatch(/^\d{6}$/);
    expect(mail.tokenHash).toMatch(/^[0-9a-f]{56}$/);
    expect(hook.state.rejected).toBe(0);

    const supabase = client();
    const verified = await supabase.auth.verifyOtp({ type: "magiclink", token_hash: mail.tokenHash });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.id).toBe(user.id);
    const claims = await supabase.auth.getClaims();
    expect(claims.data!.claims.amr).toEqual([{ method: "otp", timestamp: expect.any(Number) }]);

    const again = await client().auth.verifyOtp({ type: "magiclink", token_hash: mail.tokenHash });
    expectApiError(again.error, "otp_expired", 403);
    expect(again.error!.message).toBe("Email link is invalid or has expired");

    // The same kind of email again right away is refused (max frequency).
    const soon = await client().auth.signInWithOtp({ email });
    expectApiError(soon.error, "over_email_send_rate_limit", 429);
  });

  test("the 6-digit code works with verifyOtp({ email, token, type: 'email' })", async () => {
    const { email, user } = await signUp();
    await client().auth.signInWithOtp({ email });
    const { token } = hook.last(email);
    const wrong = await client().auth.verifyOtp({ email, token: token === "000000" ? "111111" : "000000", type: "email" });
    expectApiError(wrong.error, "otp_expired", 403);
    const { data, error } = await client().auth.verifyOtp({ email, token, type: "email" });
    expect(error).toBeNull();
    expect(data.session!.user.id).toBe(user.id);
  });

  test("an expired link is refused with otp_expired", async () => {
    const { email } = await signUp();
    await client().auth.signInWithOtp({ email });
    const { tokenHash } = hook.last(email);
    await t.admin`update auth.one_time_tokens set created_at = now() - interval '2 hours' where token_hash = ${tokenHash}`;
    const { error } = await client().auth.verifyOtp({ type: "magiclink", token_hash: tokenHash });
    expectApiError(error, "otp_expired", 403);
  });

  test("shouldCreateUser false and an unknown address: 422 otp_disabled, nothing sent", async () => {
    const email = newEmail("stranger");
    const { error } = await client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expectApiError(error, "otp_disabled", 422);
    expect(hook.emails.some((e) => e.to === email)).toBe(false);
  });

  test("shouldCreateUser (default) signs a new address up through the trigger and emails a link", async () => {
    const email = newEmail("otp-newcomer");
    const { error } = await client().auth.signInWithOtp({ email, options: { data: { org_name: "OTP Org" } } });
    expect(error).toBeNull();
    const mail = hook.last(email);
    expect(mail.type).toBe("magiclink");
    const [member] = await t.admin`
      select m.role, o.name from public.org_members m join public.orgs o on o.id = m.org_id where m.user_id = ${mail.userId}`;
    expect(member).toMatchObject({ role: "owner", name: "OTP Org" });
  });

  test("PKCE clients (@supabase/ssr) get pkce_ token hashes that verifyOtp accepts", async () => {
    const { email, user } = await signUp();
    await client(PUBLISHABLE_KEY, { flowType: "pkce" }).auth.signInWithOtp({ email });
    const mail = hook.last(email);
    expect(mail.tokenHash).toMatch(/^pkce_[0-9a-f]{56}$/);
    const { data, error } = await client().auth.verifyOtp({ type: "email", token_hash: mail.tokenHash });
    expect(error).toBeNull();
    expect(data.user!.id).toBe(user.id);
  });

  test("GET /verify with a PKCE link redirects with ?code= for exchangeCodeForSession", async () => {
    const { email, user } = await signUp();
    const supabase = client(PUBLISHABLE_KEY, { flowType: "pkce" });
    await supabase.auth.signInWithOtp({ email, options: { emailRedirectTo: `${SITE_URL}/auth/callback` } });
    const mail = hook.last(email);
    const res = await fetch(
      `${api.url}/auth/v1/verify?token=${mail.tokenHash}&type=magiclink&redirect_to=${encodeURIComponent(mail.redirectTo)}`,
      { redirect: "manual" },
    );
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(`${SITE_URL}/auth/callback`);
    const code = location.searchParams.get("code")!;
    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(data.user!.id).toBe(user.id);
    const reuse = await client().auth.exchangeCodeForSession(code);
    expect(reuse.error).toBeTruthy();
  });

  test("GET /verify (implicit) puts the session in the fragment; an unknown link redirects with the error", async () => {
    const { email } = await signUp();
    await client().auth.signInWithOtp({ email });
    const { tokenHash } = hook.last(email);
    const ok = await fetch(`${api.url}/auth/v1/verify?token=${tokenHash}&type=magiclink&redirect_to=${SITE_URL}/welcome`, { redirect: "manual" });
    const fragment = new URLSearchParams(new URL(ok.headers.get("location")!).hash.slice(1));
    expect(fragment.get("access_token")).toBeTruthy();
    expect(fragment.get("refresh_token")).toBeTruthy();
    expect(fragment.get("type")).toBe("magiclink");

    // A redirect_to outside the allowed origins falls back to the site URL.
    const bad = await fetch(`${api.url}/auth/v1/verify?token=${tokenHash}&type=magiclink&redirect_to=https://evil.example/x`, { redirect: "manual" });
    const location = new URL(bad.headers.get("location")!);
    expect(location.origin).toBe(SITE_URL);
    expect(new URLSearchParams(location.hash.slice(1)).get("error_code")).toBe("otp_expired");
  });
});

describe("password recovery", () => {
  test("reset link → session → updateUser({ password }) → the new password signs in", async () => {
    const { email, user } = await signUp();
    const other = client();
    await other.auth.signInWithPassword({ email, password: PASSWORD });

    const reset = await client().auth.resetPasswordForEmail(email, { redirectTo: `${SITE_URL}/reset-password` });
    expect(reset.error).toBeNull();
    const mail = hook.last(email);
    expect(mail).toMatchObject({ type: "recovery", redirectTo: `${SITE_URL}/reset-password` });

    const supabase = client();
    const verified = await supabase.auth.verifyOtp({ type: "recovery", token_hash: mail.tokenHash });
    expect(verified.error).toBeNull();
    expect(verified.data.user!.id).toBe(user.id);

    const same = await supabase.auth.updateUser({ password: PASSWORD });
    expectApiError(same.error, "same_password", 422);
    const weak = await supabase.auth.updateUser({ password: "short" });
    expectApiError(weak.error, "weak_password", 422);
    const updated = await supabase.auth.updateUser({ password: "a-brand-new-password" });
    expect(updated.error).toBeNull();

    expect((await client().auth.signInWithPassword({ email, password: "a-brand-new-password" })).error).toBeNull();
    expectApiError((await client().auth.signInWithPassword({ email, password: PASSWORD })).error, "invalid_credentials", 400);
    // The password change signed the other session out.
    const { data: otherSession } = await other.auth.getSession();
    const refreshed = await client().auth.refreshSession({ refresh_token: otherSession.session!.refresh_token });
    expectApiError(refreshed.error, "refresh_token_not_found", 400);
  });

  test("an unknown address gets the same 200 and no email", async () => {
    const email = newEmail("nobody");
    const { error } = await client().auth.resetPasswordForEmail(email);
    expect(error).toBeNull();
    expect(hook.emails.some((e) => e.to === email)).toBe(false);
  });
});

describe("admin API", () => {
  test("creates, reads, updates and deletes users with the secret key", async () => {
    const owner = await createSeededUser(t, { orgName: "Admin Test Org" });
    const token = randomBytes(16).toString("hex");
    const email = newEmail("managed");
    await t.admin`
      insert into public.org_invites (org_id, email, role, token_hash, invited_by)
      values (${owner.orgId}, ${email}, 'member', ${createHash("sha256").update(token).digest("hex")}, ${owner.id})`;
    const admin = client(SECRET_KEY).auth.admin;
    const created = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: "Managed", invite_token: token },
    });
    expect(created.error).toBeNull();
    const id = created.data.user!.id;
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();

    const duplicate = await admin.createUser({ email, password: PASSWORD });
    expectApiError(duplicate.error, "email_exists", 422);

    expect((await admin.getUserById(id)).data.user!.email).toBe(email);
    const banned = await admin.updateUserById(id, { ban_duration: "24h", app_metadata: { plan: "pro" } });
    expect(banned.data.user!.banned_until).toBeTruthy();
    expect(banned.data.user!.app_metadata).toMatchObject({ plan: "pro", provider: "email" });
    expectApiError((await client().auth.signInWithPassword({ email, password: PASSWORD })).error, "invalid_credentials", 400);

    const removed = await admin.deleteUser(id);
    expect(removed.error).toBeNull();
    expect(await t.admin`select 1 from auth.users where id = ${id}`).toHaveLength(0);
    expect(await t.admin`select 1 from public.org_members where user_id = ${id}`).toHaveLength(0);
    expectApiError((await admin.getUserById(id)).error, "user_not_found", 404);
  });

  test("the publishable key is not an admin key: 403 not_admin", async () => {
    const { error } = await client().auth.admin.createUser({ email: newEmail(), password: PASSWORD });
    expectApiError(error, "not_admin", 403);
  });

  test("inviteUserByEmail creates an unconfirmed user and emails an invite that confirms it", async () => {
    const owner = await createSeededUser(t, { orgName: "Invite API Org" });
    const token = randomBytes(16).toString("hex");
    const email = newEmail("invited");
    await t.admin`
      insert into public.org_invites (org_id, email, role, token_hash, invited_by)
      values (${owner.orgId}, ${email}, 'member', ${createHash("sha256").update(token).digest("hex")}, ${owner.id})`;
    const invited = await client(SECRET_KEY).auth.admin.inviteUserByEmail(email, { data: { invite_token: token } });
    expect(invited.error).toBeNull();
    expect(invited.data.user!.email_confirmed_at).toBeUndefined();
    const mail = hook.last(email);
    expect(mail.type).toBe("invite");
    const { data, error } = await client().auth.verifyOtp({ type: "invite", token_hash: mail.tokenHash });
    expect(error).toBeNull();
    expect(data.user!.email_confirmed_at).toBeTruthy();
  });
});

describe("gateway behaviour and wire format", () => {
  test("a wrong or missing apikey is refused with 401", async () => {
    const { error } = await client("sb_publishable_wrong").auth.signInWithPassword({ email: newEmail(), password: PASSWORD });
    expect(error!.status).toBe(401);
    const missing = await fetch(`${api.url}/auth/v1/settings`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).message).toBe("No API key found in request");
  });

  test("errors use GoTrue's legacy shape, or { code, message } for API version 2024-01-01", async () => {
    const body = JSON.stringify({ email: newEmail(), password: "whatever-123" });
    const legacy = await rawAuth("/token?grant_type=password", { method: "POST", body });
    expect(legacy.status).toBe(400);
    expect(await legacy.json()).toEqual({ code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" });
    const current = await rawAuth("/token?grant_type=password", { method: "POST", body, apiVersion: true });
    expect(current.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(await current.json()).toEqual({ code: "invalid_credentials", message: "Invalid login credentials" });
    const malformed = await rawAuth("/signup", { method: "POST", body: "{nope" });
    expect((await malformed.json()).error_code).toBe("bad_json");
  });

  test("JWKS (no key needed), settings and health", async () => {
    const jwks = await (await fetch(`${api.url}/auth/v1/.well-known/jwks.json`)).json();
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: "EC", crv: "P-256", alg: "ES256", kid: keys.privateJwk.kid, key_ops: ["verify"] }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const settings = await (await rawAuth("/settings")).json();
    expect(settings).toMatchObject({ disable_signup: false, mailer_autoconfirm: true, external: { email: true } });
    expect((await (await rawAuth("/health")).json()).name).toBe("GoTrue");
    expect((await rawAuth("/nope")).status).toBe(404);
    expect((await fetch(`${api.url}/rest/v1/x`)).status).toBe(404);
  });

  test("CORS: the site origin may call, with the API version header readable", async () => {
    const preflight = await fetch(`${api.url}/auth/v1/token?grant_type=password`, {
      method: "OPTIONS",
      headers: {
        origin: SITE_URL,
        "access-control-request-method": "POST",
        "access-control-request-headers": "apikey, authorization, content-type, x-client-info, x-supabase-api-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(SITE_URL);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-supabase-api-version");
    const res = await rawAuth("/settings", { headers: { origin: SITE_URL } });
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Supabase-Api-Version");
    const other = await rawAuth("/settings", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a failing email hook fails the request (500), and nothing is stored", async () => {
    const { email, user } = await signUp();
    hook.state.status = 503;
    try {
      const res = await rawAuth("/recover", { method: "POST", body: JSON.stringify({ email }) });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error_code: "unexpected_failure", msg: "Service currently unavailable due to hook" });
    } finally {
      hook.state.status = 200;
    }
    expect(await t.admin`select 1 from auth.one_time_tokens where user_id = ${user.id}`).toHaveLength(0);
    // Not rate limited by the failed attempt.
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
  });

  test("an unreachable email hook: 422 hook_timeout_after_retry", async () => {
    const handler = handlerWith({ emailHookUrl: "http://127.0.0.1:9/unreachable" });
    try {
      const { email } = await signUp();
      const res = await handler(
        new Request(`${api.url}/auth/v1/otp`, {
          method: "POST",
          headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
          body: JSON.stringify({ email }),
        }),
      );
      expect(res.status).toBe(422);
      expect((await res.json()).error_code).toBe("hook_timeout_after_retry");
    } finally {
      await handler.close();
    }
  });

  test("disableSignup: 422 signup_disabled", async () => {
    const handler = handlerWith({ disableSignup: true });
    try {
      const res = await handler(
        new Request(`${api.url}/auth/v1/signup`, {
          method: "POST",
          headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
          body: JSON.stringify({ email: newEmail(), password: PASSWORD }),
        }),
      );
      expect(res.status).toBe(422);
      expect((await res.json()).error_code).toBe("signup_disabled");
    } finally {
      await handler.close();
    }
  });

  test("password sign-ins per address are limited on /token itself, with per-IP limits off as the embedded runtime runs", async () => {
    const attempt = (email: string) =>
      rawAuth("/token?grant_type=password", { method: "POST", body: JSON.stringify({ email, password: "guess-123456" }) });
    const target = newEmail("target");
    for (let i = 0; i < 10; i++) expect((await attempt(target)).status).toBe(400);
    const limited = await attempt(target.toUpperCase());
    expect(limited.status).toBe(429);
    expect((await limited.json()).error_code).toBe("over_request_rate_limit");
    // Someone else's sign-in is not held up.
    expect((await attempt(newEmail("bystander"))).status).toBe(400);
  });

  test("per-IP request limits: 429 over_request_rate_limit", async () => {
    const handler = handlerWith({ rateLimits: { signInSignUps: 2 } });
    try {
      const attempt = (clientAddress: string) =>
        handler(
          new Request(`${api.url}/auth/v1/token?grant_type=password`, {
            method: "POST",
            headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
            body: JSON.stringify({ email: "nobody@example.test", password: "whatever-123" }),
          }),
          { clientAddress },
        );
      expect((await attempt("10.0.0.1")).status).toBe(400);
      expect((await attempt("10.0.0.1")).status).toBe(400);
      const limited = await attempt("10.0.0.1");
      expect(limited.status).toBe(429);
      expect((await limited.json()).error_code).toBe("over_request_rate_limit");
      expect((await attempt("10.0.0.2")).status).toBe(400);
    } finally {
      await handler.close();
    }
  });
});

describe("keys", () => {
  test("are created once, kept in a 0600 file, and reloaded unchanged", () => {
    const again = loadOrCreateAuthKeys(keyDir);
    expect(again.privateJwk).toEqual(keys.privateJwk);
    expect(again.emailHookSecret).toBe(keys.emailHookSecret);
    expect(keys.emailHookSecret).toMatch(/^v1,whsec_[A-Za-z0-9+/]{43}=$/);
    expect(keys.publicJwk).not.toHaveProperty("d");
    expect(statSync(path.join(keyDir, "auth-keys.json")).mode & 0o777).toBe(0o600);
  });
});
