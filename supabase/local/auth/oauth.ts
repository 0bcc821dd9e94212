// Sign in with Google as Supabase Auth does it: GET /authorize?provider=google
// sends the browser to Google with a signed state, GET /callback takes
// Google's code back, exchanges it, verifies the id_token against Google's
// JWKS, finds, links or creates the user, and hands the app a PKCE auth code
// on its redirect_to, which exchangeCodeForSession() trades for a session.
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { type Context, pkceParams, redirectTo } from "./context.ts";
import { newAuthCode } from "./crypto.ts";
import { AuthError, badRequest, fromDatabaseError, unprocessable } from "./errors.ts";
import { type Db, findUserByEmail, findUserById, insertUser, type UserRow } from "./store.ts";

/** GoTrue's Google provider scopes; an app's `scopes` option adds to them. */
const GOOGLE_SCOPES = ["openid", "email", "profile"];
const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];
/** How long the browser may take at Google's consent screen (GoTrue: 5 minutes for flow states, state JWTs an hour). */
const STATE_TTL_SECONDS = 600;

/** What /callback trusts only because this server signed it into `state`. */
interface OAuthState {
  flow_state_id: string;
  referrer: string;
  nonce: string;
  provider: "google";
}

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function googleKeys(url: string) {
  let keys = jwksByUrl.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url));
    jwksByUrl.set(url, keys);
  }
  return keys;
}

function callbackUrl(ctx: Context) {
  return `${ctx.config.issuer}/callback`;
}

function withQuery(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location } });
}

/**
 * GET /authorize?provider=google&redirect_to&code_challenge&code_challenge_method[&scopes]:
 * what signInWithOAuth() opens. Only the PKCE flow (what @supabase/ssr uses).
 */
export async function authorize(ctx: Context): Promise<Response> {
  const q = ctx.url.searchParams;
  const provider = q.get("provider");
  const google = ctx.config.google;
  if (provider !== "google" || !google) {
    throw badRequest("validation_failed", "Unsupported provider: provider is not enabled");
  }
  const pkce = pkceParams({ code_challenge: q.get("code_challenge"), code_challenge_method: q.get("code_challenge_method") });
  if (!pkce) throw badRequest("validation_failed", "The local auth server supports the PKCE flow only: pass code_challenge and code_challenge_method");
  const referrer = redirectTo(ctx);
  const [flow] = await ctx.db<{ id: string }[]>`
    insert into auth.flow_state (auth_code, code_challenge_method, code_challenge, provider_type, authentication_method)
    values (${newAuthCode()}, ${pkce.method}, ${pkce.challenge}, 'google', 'oauth')
    returning id`;
  const nonce = randomBytes(16).toString("base64url");
  const state = await ctx.signer.sign({ flow_state_id: flow.id, referrer, nonce, provider: "google" } satisfies OAuthState, STATE_TTL_SECONDS);
  const extra = (q.get("scopes") ?? "").split(/[\s,]+/).filter(Boolean);
  const target = new URL(google.authUrl);
  target.searchParams.set("client_id", google.clientId);
  target.searchParams.set("redirect_uri", callbackUrl(ctx));
  target.searchParams.set("response_type", "code");
  target.searchParams.set("scope", [...new Set([...GOOGLE_SCOPES, ...extra])].join(" "));
  target.searchParams.set("state", state);
  target.searchParams.set("nonce", nonce);
  for (const [k, v] of q) if (!["provider", "redirect_to", "code_challenge", "code_challenge_method", "scopes"].includes(k)) target.searchParams.set(k, v);
  return redirect(target.toString());
}

/** Google's claims once the id_token verified: signature, issuer, audience, expiry and our nonce. */
async function verifyIdToken(ctx: Context, idToken: string, nonce: string): Promise<JWTPayload & { email?: string; email_verified?: boolean; name?: string }> {
  const google = ctx.config.google!;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, googleKeys(google.jwksUrl), {
      issuer: GOOGLE_ISSUERS,
      audience: google.clientId,
      algorithms: ["RS256"],
    }));
  } catch (e) {
    throw new AuthError(400, "bad_oauth_callback", `Unable to verify the id_token from Google: ${e instanceof Error ? e.message : e}`);
  }
  if (payload.nonce !== nonce) throw new AuthError(400, "bad_oauth_callback", "The id_token's nonce does not match the authorization request");
  if (typeof payload.sub !== "string" || typeof payload.email !== "string") {
    throw new AuthError(400, "bad_oauth_callback", "The id_token from Google has no subject or email");
  }
  return payload as JWTPayload & { email: string; email_verified?: boolean; name?: string };
}

async function exchangeCode(ctx: Context, code: string): Promise<string> {
  const google = ctx.config.google!;
  const res = await fetch(google.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: callbackUrl(ctx),
      client_id: google.clientId,
      client_secret: google.clientSecret,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.id_token) {
    throw new AuthError(400, "bad_oauth_callback", `Unable to exchange external code: ${body.error_description ?? body.error ?? res.status}`);
  }
  return body.id_token;
}

/**
 * The user behind a verified Google identity, as GoTrue resolves it: the
 * identity if it is known; else an account with the same address, linked
 * only when Google verified the address (else anyone could claim it); else
 * a new user, whom the sign-up trigger leaves without an org until the app
 * finishes the sign-in (private.handle_new_user).
 */
async function userForIdentity(ctx: Context, tx: Db, claims: { sub: string; email: string; email_verified?: boolean; name?: string }): Promise<UserRow> {
  const email = claims.email.toLowerCase();
  const identityData = { sub: claims.sub, email, email_verified: claims.email_verified === true, name: claims.name, full_name: claims.name, iss: "https://accounts.google.com", provider_id: claims.sub };
  const [known] = await tx<{ user_id: string }[]>`
    update auth.identities set identity_data = ${tx.json(identityData)}, last_sign_in_at = now(), updated_at = now()
     where provider = 'google' and provider_id = ${claims.sub}
     returning user_id`;
  if (known) return (await findUserById(tx, known.user_id))!;
  if (claims.email_verified !== true) {
    throw unprocessable("provider_email_needs_verification", "Unverified email with google. Verify the address with Google first.");
  }
  let user = await findUserByEmail(tx, email);
  if (!user) {
    if (ctx.config.disableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
    try {
      user = await insertUser(tx, {
        email,
        encryptedPassword: null,
        userMetadata: { full_name: claims.name, name: claims.name },
        confirmed: true,
        provider: "google",
        identity: { providerId: claims.sub, data: identityData },
      });
    } catch (e) {
      throw fromDatabaseError(e, "Database error saving new user");
    }
    return user;
  }
  await tx`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)
    values (${claims.sub}, ${user.id}, ${tx.json(identityData)}, 'google', now())`;
  // Google vouched for the address, so an unconfirmed account's address is now confirmed too.
  await tx`
    update auth.users
       set email_confirmed_at = coalesce(email_confirmed_at, now()),
           raw_app_meta_data = jsonb_set(coalesce(raw_app_meta_data, '{}'), '{providers}',
             (select coalesce(jsonb_agg(distinct p), '[]') from (
                select jsonb_array_elements_text(coalesce(raw_app_meta_data -> 'providers', '[]')) as p
                union select 'google') s)),
           updated_at = now()
     where id = ${user.id}`;
  return (await findUserById(tx, user.id))!;
}

/**
 * GET /callback?code&state (or ?error&state): Google's redirect back. Every
 * outcome goes to the app's redirect_to: `?code=` on success, else `error`,
 * `error_code` and `error_description` as GoTrue sends them.
 */
export async function callback(ctx: Context): Promise<Response> {
  const q = ctx.url.searchParams;
  let state: OAuthState;
  try {
    state = (await ctx.signer.verify(q.get("state") ?? "")) as unknown as OAuthState;
    if (!state.flow_state_id || !state.referrer || !state.nonce) throw new Error("incomplete state");
  } catch {
    return redirect(withQuery(ctx.config.siteUrl, { error: "invalid_request", error_code: "bad_oauth_state", error_description: "OAuth state parameter is invalid" }));
  }
  const fail = (error: string, code: string, description: string) =>
    redirect(withQuery(state.referrer, { error, error_code: code, error_description: description }));

  if (q.get("error")) {
    await ctx.db`delete from auth.flow_state where id = ${state.flow_state_id} and user_id is null`;
    return fail(q.get("error")!, q.get("error") === "access_denied" ? "access_denied" : "bad_oauth_callback", q.get("error_description") ?? "The provider refused the sign-in");
  }
  const code = q.get("code");
  if (!code) return fail("invalid_request", "bad_oauth_callback", "OAuth callback with missing authorization code");
  try {
    const claims = await verifyIdToken(ctx, await exchangeCode(ctx, code), state.nonce);
    const authCode = await ctx.db.begin(async (tx) => {
      const [flow] = await tx<{ id: string; auth_code: string }[]>`
        select id, auth_code from auth.flow_state where id = ${state.flow_state_id} and user_id is null for update`;
      if (!flow) throw new AuthError(404, "flow_state_not_found", "Flow state not found or already used");
      const user = await userForIdentity(ctx, tx, claims as Parameters<typeof userForIdentity>[2]);
      if (user.banned_until && user.banned_until.getTime() > Date.now()) throw new AuthError(400, "user_banned", "User is banned");
      await tx`update auth.flow_state set user_id = ${user.id}, auth_code_issued_at = now(), updated_at = now() where id = ${flow.id}`;
      return flow.auth_code;
    });
    return redirect(withQuery(state.referrer, { code: authCode }));
  } catch (e) {
    if (!(e instanceof AuthError) || e.status >= 500) throw e;
    return fail(e.status === 422 ? "access_denied" : "server_error", e.code, e.message);
  }
}
