// Sign in with Google on the embedded auth API, driven as a browser and the
// real supabase-js client drive it: signInWithOAuth's URL, /authorize, the
// Google stand-in's consent screen, /callback, exchangeCodeForSession, then
// the app's finish step (public.finish_oauth_sign_in).
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Claims } from "@/lib/db";
import { finishOAuthSignIn } from "@/modules/auth";
import { LOCAL_ROLE_PASSWORDS } from "@/tests/support/constants";
import { createUser, useTestDatabase } from "@/tests/support/db";
import { type LocalApi, startLocalApi } from "../api-server.ts";
import { createGoogleStandIn, type GoogleAccount, GOOGLE_ISSUER, serveGoogle } from "../google.ts";
import { loadOrCreateAuthKeys } from "../keys.ts";

const PUBLISHABLE_KEY = "sb_publishable_test";
const SITE_URL = "http://localhost:3998";
const CALLBACK = `${SITE_URL}/auth/callback`;
const CLIENT = { clientId: "test-client.apps.googleusercontent.com", clientSecret: "GOCSPX-test" };

const t = useTestDatabase();
const accounts: GoogleAccount[] = [];
let api: LocalApi;
let google: Awaited<ReturnType<typeof serveGoogle>>;
let keyDir: string;
/** Replaces the id_token Google's token endpoint answers with, when set. */
let forgeIdToken: ((genuine: string) => Promise<string>) | null = null;

beforeAll(async () => {
  keyDir = mkdtempSync(path.join(os.tmpdir(), "covey-google-auth-"));
  const keys = loadOrCreateAuthKeys(keyDir);
  const standIn = createGoogleStandIn({ ...CLIENT, accounts });
  google = await serveGoogle({
    async handle(req) {
      const res = await standIn.handle(req);
      if (!forgeIdToken || new URL(req.url).pathname !== "/token") return res;
      const body = (await res.json()) as { id_token: string };
      return Response.json({ ...body, id_token: await forgeIdToken(body.id_token) });
    },
  });
  api = await startLocalApi({
    port: 0,
    auth: {
      databaseUrl: `postgres://supabase_auth_admin:${LOCAL_ROLE_PASSWORDS.supabase_auth_admin}@127.0.0.1:${inject("pgPort")}/${t.name}`,
      siteUrl: SITE_URL,
      publishableKey: PUBLISHABLE_KEY,
      secretKey: "sb_secret_test",
      privateJwk: keys.privateJwk,
      emailHookUrl: "http://127.0.0.1:9/hook",
      emailHookSecret: keys.emailHookSecret,
      rateLimits: false,
      log: () => {},
      google: {
        ...CLIENT,
        authUrl: `${google.url}/o/oauth2/v2/auth`,
        tokenUrl: `${google.url}/token`,
        jwksUrl: `${google.url}/oauth2/v3/certs`,
      },
    },
  });
});

afterAll(async () => {
  await api?.close();
  await google?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

/** A password account made through the auth server, as the sign-up page makes it. */
async function passwordUser(label: string) {
  const email = `${label}-${randomUUID().slice(0, 8)}@gmail.test`;
  const { data, error } = await appClient().auth.signUp({ email, password: "correct-horse-9", options: { data: { full_name: "Pat Password", org_name: `${label} Co` } } });
  expect(error).toBeNull();
  return { id: data.user!.id, email };
}

function account(opts: Partial<GoogleAccount> = {}): GoogleAccount {
  const a = { sub: String(BigInt(10 ** 20) + BigInt(randomBytes(4).readUInt32BE())), email: `g-${randomUUID().slice(0, 8)}@gmail.test`, name: "Gia Google", ...opts };
  accounts.push(a);
  return a;
}

/** The app's server client: PKCE, with the verifier in its own storage. */
function appClient(): SupabaseClient {
  return createClient(api.url, PUBLISHABLE_KEY, {
    auth: { flowType: "pkce", persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

async function follow(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: "manual" });
  return { res, location: res.headers.get("location") ?? "" };
}

/** signInWithOAuth, then the browser to Google's consent screen. */
async function startSignIn(client = appClient()) {
  const { data, error } = await client.auth.signInWithOAuth({ provider: "google", options: { redirectTo: CALLBACK, skipBrowserRedirect: true } });
  expect(error).toBeNull();
  const { res, location } = await follow(data.url!);
  expect(res.status).toBe(302);
  const consent = new URL(location);
  expect(consent.origin + consent.pathname).toBe(`${google.url}/o/oauth2/v2/auth`);
  return { client, consent };
}

/** Picks `who` (or cancels) on the consent screen, as the form posts it; returns where Google sends the browser. */
async function consent(consentUrl: URL, who: GoogleAccount | "cancel") {
  const page = await (await fetch(consentUrl)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1], m[2].replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  }
  form.set("account", who === "cancel" ? accounts[0]?.email ?? "x@gmail.test" : who.email);
  form.set("decision", who === "cancel" ? "deny" : "allow");
  const { location } = await follow(consentUrl.toString(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  return new URL(location);
}

/** The whole round trip to the app's callback URL. */
async function signInAs(who: GoogleAccount | "cancel", client?: SupabaseClient) {
  const started = await startSignIn(client);
  const back = await consent(started.consent, who);
  expect(back.origin + back.pathname).toBe(`${api.url}/auth/v1/callback`);
  const { location } = await follow(back.toString());
  return { client: started.client, landing: new URL(location) };
}

async function signedIn(who: GoogleAccount) {
  const { client, landing } = await signInAs(who);
  expect(landing.origin + landing.pathname).toBe(CALLBACK);
  const { data, error } = await client.auth.exchangeCodeForSession(landing.searchParams.get("code")!);
  expect(error).toBeNull();
  return { client, session: data.session!, claims: decodeJwt(data.session!.access_token) as Claims };
}

describe("the authorization request", () => {
  test("sends the browser to Google with openid email profile, a nonce and a signed state, never the PKCE challenge", async () => {
    const { consent: url } = await startSignIn();
    const q = url.searchParams;
    expect(q.get("client_id")).toBe(CLIENT.clientId);
    expect(q.get("redirect_uri")).toBe(`${api.url}/auth/v1/callback`);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("scope")!.split(" ")).toEqual(["openid", "email", "profile"]);
    expect(q.get("nonce")).toMatch(/^[\w-]{20,}$/);
    expect(q.get("state")!.split(".")).toHaveLength(3);
    expect([...q.keys()]).not.toContain("code_challenge");
  });

  test("without a PKCE challenge (the implicit flow) or for another provider: 400", async () => {
    const noPkce = await fetch(`${api.url}/auth/v1/authorize?provider=google&redirect_to=${encodeURIComponent(CALLBACK)}`, { redirect: "manual" });
    expect(noPkce.status).toBe(400);
    const github = await fetch(`${api.url}/auth/v1/authorize?provider=github&code_challenge=${"a".repeat(43)}&code_challenge_method=s256`, { redirect: "manual" });
    expect(github.status).toBe(400);
  });
});

describe("the callback", () => {
  test("a new Google account becomes a user with the google identity and a session (amr oauth), and no org yet", async () => {
    const who = account({ name: "Nina New" });
    const { session, claims } = await signedIn(who);
    expect(session.user.email).toBe(who.email);
    expect(session.user.app_metadata).toMatchObject({ provider: "google", providers: ["google"] });
    expect(session.user.identities?.map((i) => [i.provider, i.id])).toEqual([["google", who.sub]]);
    expect(session.user.user_metadata).toMatchObject({ full_name: "Nina New", email_verified: true });
    expect((claims.amr as { method: string }[]).map((a) => a.method)).toEqual(["oauth"]);
    const members = await t.admin`select 1 from public.org_members where user_id = ${session.user.id}`;
    expect(members).toHaveLength(0);
  });

  test("signing in again finds the same user by the Google identity", async () => {
    const who = account();
    const first = await signedIn(who);
    const again = await signedIn(who);
    expect(again.session.user.id).toBe(first.session.user.id);
    const [{ n }] = await t.admin`select count(*)::int as n from auth.users where lower(email) = ${who.email}`;
    expect(n).toBe(1);
  });

  test("a password user with the same verified address is linked, not duplicated", async () => {
    const existing = await passwordUser("linked");
    const who = account({ email: existing.email.toUpperCase() });
    const { session, claims } = await signedIn(who);
    expect(session.user.id).toBe(existing.id);
    expect(session.user.identities?.map((i) => i.provider).sort()).toEqual(["email", "google"]);
    expect(await finishOAuthSignIn(claims, {})).toBe("member");
    const [{ n }] = await t.admin`select count(*)::int as n from auth.users where lower(email) = ${existing.email}`;
    expect(n).toBe(1);
  });

  test("an address Google has not verified is refused and never linked to the account that has it", async () => {
    const existing = await passwordUser("unverified");
    const who = account({ email: existing.email, emailVerified: false });
    const { landing } = await signInAs(who);
    expect(landing.origin + landing.pathname).toBe(CALLBACK);
    expect(landing.searchParams.get("error_code")).toBe("provider_email_needs_verification");
    expect(landing.searchParams.get("code")).toBeNull();
    const identities = await t.admin`select provider from auth.identities where user_id = ${existing.id}`;
    expect(identities.map((i) => i.provider)).toEqual(["email"]);
  });

  test("cancelling at Google's consent screen reaches the app as access_denied", async () => {
    const { landing } = await signInAs("cancel");
    expect(landing.origin + landing.pathname).toBe(CALLBACK);
    expect(landing.searchParams.get("error")).toBe("access_denied");
    expect(landing.searchParams.get("error_code")).toBe("access_denied");
  });

  test("a state this server did not sign is refused: no user, no code", async () => {
    const who = account();
    const started = await startSignIn();
    const back = await consent(started.consent, who);
    const state = back.searchParams.get("state")!;
    const [h, p] = state.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    back.searchParams.set("state", `${h}.${Buffer.from(JSON.stringify({ ...payload, referrer: "https://evil.example/steal" })).toString("base64url")}.${state.split(".")[2]}`);
    const { location } = await follow(back.toString());
    const landing = new URL(location);
    expect(landing.origin).toBe(SITE_URL);
    expect(landing.searchParams.get("error_code")).toBe("bad_oauth_state");
    expect(await t.admin`select 1 from auth.users where email = ${who.email}`).toHaveLength(0);
  });

  test("an id_token not signed by Google's keys is refused: no user, no code", async () => {
    const who = account();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    forgeIdToken = async (genuine) => {
      const claims = decodeJwt(genuine);
      const header = JSON.parse(Buffer.from(genuine.split(".")[0], "base64url").toString());
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: header.kid }).sign(privateKey);
    };
    try {
      const { landing } = await signInAs(who);
      expect(landing.searchParams.get("error_code")).toBe("bad_oauth_callback");
      expect(landing.searchParams.get("code")).toBeNull();
    } finally {
      forgeIdToken = null;
    }
    expect(await t.admin`select 1 from auth.users where email = ${who.email}`).toHaveLength(0);
  });

  test("Google's code from another sign-in (an id_token with another nonce) is refused", async () => {
    const who = account();
    const victim = await startSignIn();
    const attacker = await startSignIn();
    const victimBack = await consent(victim.consent, who);
    const attackerBack = await consent(attacker.consent, who);
    // The attacker's code spliced into the victim's callback: signed state, genuine id_token, wrong nonce.
    victimBack.searchParams.set("code", attackerBack.searchParams.get("code")!);
    const landing = new URL((await follow(victimBack.toString())).location);
    expect(landing.searchParams.get("error_code")).toBe("bad_oauth_callback");
    expect(landing.searchParams.get("error_description")).toMatch(/nonce/);
    expect(await t.admin`select 1 from auth.users where email = ${who.email}`).toHaveLength(0);
  });

  test("the auth code is exchanged only with the verifier of the client that started, and only once", async () => {
    const who = account();
    const { landing } = await signInAs(who);
    const code = landing.searchParams.get("code")!;
    const stranger = appClient();
    // Another browser has a verifier of its own, which does not match this flow's challenge.
    await stranger.auth.signInWithOAuth({ provider: "google", options: { redirectTo: CALLBACK, skipBrowserRedirect: true } });
    const wrong = await stranger.auth.exchangeCodeForSession(code);
    expect(wrong.error?.code).toBe("bad_code_verifier");

    const { client, landing: second } = await signInAs(who);
    const secondCode = second.searchParams.get("code")!;
    expect((await client.auth.exchangeCodeForSession(secondCode)).error).toBeNull();
    const replay = await fetch(`${api.url}/auth/v1/token?grant_type=pkce`, {
      method: "POST",
      headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
      body: JSON.stringify({ auth_code: secondCode, code_verifier: "x".repeat(43) }),
    });
    expect(replay.status).toBe(404);
  });

  test("Google's code is good once: replaying the callback gives no second code", async () => {
    const who = account();
    const started = await startSignIn();
    const back = await consent(started.consent, who);
    const first = new URL((await follow(back.toString())).location);
    expect(first.searchParams.get("code")).toBeTruthy();
    const replay = new URL((await follow(back.toString())).location);
    expect(replay.searchParams.get("code")).toBeNull();
    expect(replay.searchParams.get("error_code")).toBe("bad_oauth_callback");
  });
});

describe("finishing in the app (finish_oauth_sign_in)", () => {
  test("signing in with a Google account that has no Covey account removes it again", async () => {
    const who = account();
    const { claims } = await signedIn(who);
    expect(await finishOAuthSignIn(claims, {})).toBe("no_account");
    expect(await t.admin`select 1 from auth.users where email = ${who.email}`).toHaveLength(0);
  });

  test("signing up with Google founds the org with the Google name as its owner's", async () => {
    const who = account({ name: "Olga Owner" });
    const { claims } = await signedIn(who);
    expect(await finishOAuthSignIn(claims, { orgName: "Olga Realty" })).toBe("founded");
    const [m] = await t.admin`
      select m.role, o.name, p.full_name, p.email from public.org_members m
        join public.orgs o on o.id = m.org_id join public.profiles p on p.user_id = m.user_id
       where m.user_id = ${claims.sub}`;
    expect(m).toMatchObject({ role: "owner", name: "Olga Realty", full_name: "Olga Owner", email: who.email });
    expect(await finishOAuthSignIn(claims, { orgName: "A second org" })).toBe("member");
    expect(await t.admin`select 1 from public.org_members where user_id = ${claims.sub}`).toHaveLength(1);
  });

  test("signing up with Google founds the org on the template chosen, and refuses an unknown one", async () => {
    const agency = account({ name: "Sue Rogate" });
    const { claims } = await signedIn(agency);
    expect(await finishOAuthSignIn(claims, { orgName: "Sue's Agency", template: "surrogacy" })).toBe("founded");
    const [org] = await t.admin`
      select o.template, array(select p.name from public.pipelines p where p.org_id = o.id order by p.position) as pipelines
      from public.orgs o join public.org_members m on m.org_id = o.id where m.user_id = ${claims.sub}`;
    expect(org).toEqual({ template: "surrogacy", pipelines: ["Cases", "Intended parents"] });

    const stranger = account();
    const refused = await signedIn(stranger);
    expect(await finishOAuthSignIn(refused.claims, { orgName: "Odd Co", template: "dentistry" })).toBe("template_invalid");
    expect(await t.admin`select 1 from auth.users where email = ${stranger.email}`).toHaveLength(0);
  });

  async function invite(orgId: string, email: string) {
    const token = randomBytes(16).toString("hex");
    const [owner] = await t.admin`select user_id from org_members where org_id = ${orgId} and role = 'owner' limit 1`;
    await t.admin`
      insert into org_invites (org_id, email, role, token_hash, invited_by)
      values (${orgId}, ${email}, 'manager', encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), ${owner.user_id})`;
    return token;
  }

  test("an invited Google account joins the inviting org with the invited role", async () => {
    const org = await createUser(t, { orgName: "Inviting Co" });
    const who = account();
    const token = await invite(org.orgId, who.email);
    const { claims } = await signedIn(who);
    expect(await finishOAuthSignIn(claims, { inviteToken: token })).toBe("joined");
    const [m] = await t.admin`select org_id, role from public.org_members where user_id = ${claims.sub}`;
    expect(m).toMatchObject({ org_id: org.orgId, role: "manager" });
    const [inv] = await t.admin`select accepted_by from org_invites where token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`;
    expect(inv.accepted_by).toBe(claims.sub);
  });

  test("an invitation for another address, or a domain the org no longer allows, is refused and the account removed", async () => {
    const org = await createUser(t, { orgName: "Strict Co" });
    const invited = account();
    const other = account();
    const token = await invite(org.orgId, invited.email);
    const wrong = await signedIn(other);
    expect(await finishOAuthSignIn(wrong.claims, { inviteToken: token })).toBe("invite_email_mismatch");
    expect(await t.admin`select 1 from auth.users where id = ${wrong.claims.sub}`).toHaveLength(0);

    await t.admin`update public.orgs set allowed_email_domains = '{strict.example}' where id = ${org.orgId}`;
    const right = await signedIn(invited);
    expect(await finishOAuthSignIn(right.claims, { inviteToken: token })).toBe("domain_not_allowed");
    expect(await t.admin`select 1 from auth.users where id = ${right.claims.sub}`).toHaveLength(0);
    const [inv] = await t.admin`select accepted_at from org_invites where org_id = ${org.orgId}`;
    expect(inv.accepted_at).toBeNull();
  });

  test("while sign-up is invite-only, signing up with Google is refused", async () => {
    await t.admin`update private.settings set value = 'invite_only' where key = 'signup_mode'`;
    try {
      const who = account();
      const { claims } = await signedIn(who);
      expect(await finishOAuthSignIn(claims, { orgName: "Sneaky Co" })).toBe("signup_disabled");
      expect(await t.admin`select 1 from auth.users where id = ${claims.sub}`).toHaveLength(0);
    } finally {
      await t.admin`update private.settings set value = 'open' where key = 'signup_mode'`;
    }
  });
});

test("the stand-in's id_token is Google's shape: RS256, iss accounts.google.com, aud the client, the nonce", async () => {
  const who = account();
  let seen = "";
  forgeIdToken = async (genuine) => {
    seen = genuine;
    return genuine;
  };
  try {
    await signedIn(who);
  } finally {
    forgeIdToken = null;
  }
  const claims = decodeJwt(seen);
  expect(JSON.parse(Buffer.from(seen.split(".")[0], "base64url").toString()).alg).toBe("RS256");
  expect(claims).toMatchObject({ iss: GOOGLE_ISSUER, aud: CLIENT.clientId, sub: who.sub, email: who.email, email_verified: true });
  expect(claims.nonce).toEqual(expect.any(String));
});
