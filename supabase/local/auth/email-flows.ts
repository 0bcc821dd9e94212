// Flows that go through an emailed one-time token: magic link (/otp),
// password recovery (/recover), invitations (/invite) and their
// verification (/verify), plus the PKCE code exchange that follows a link.
import { z } from "zod";
import {
  type Context,
  metadata,
  optString,
  parseBody,
  type Pkce,
  pkceParams,
  redirectTo,
  requireAdmin,
  validateEmail,
} from "./context.ts";
import { generateOtp, newAuthCode, pkceMatches, safeEqual, tokenHash } from "./crypto.ts";
import { type EmailActionType, sendEmail } from "./email-hook.ts";
import {
  AuthError,
  badRequest,
  DUPLICATE_EMAIL,
  forbidden,
  fromDatabaseError,
  notFound,
  tooManyRequests,
  unprocessable,
} from "./errors.ts";
import { type AuthMethod, issueSession, type SessionJson } from "./sessions.ts";
import {
  confirmEmail,
  consumeOneTimeToken,
  type Db,
  findOneTimeTokenOfUser,
  findUserByEmail,
  findUserById,
  insertUser,
  isBanned,
  loadUserJson,
  type OneTimeTokenRow,
  type OneTimeTokenType,
  saveOneTimeToken,
  type UserRow,
} from "./store.ts";

/** GoTrue's flow-state lifetime: an auth code must be exchanged within 5 minutes. */
const FLOW_STATE_TTL_MS = 5 * 60 * 1000;

/** Magic links share the recovery slot and timer, as in GoTrue. */
const SLOT: Record<EmailActionType, OneTimeTokenType> = {
  magiclink: "recovery_token",
  recovery: "recovery_token",
  signup: "confirmation_token",
  invite: "confirmation_token",
  email_change: "confirmation_token",
};

const FLOW_METHOD: Record<EmailActionType, AuthMethod> = {
  magiclink: "magiclink",
  recovery: "recovery",
  signup: "email/signup",
  invite: "invite",
  email_change: "email/signup",
};

/**
 * Creates a one-time token, sends it through the hook and stores its hash.
 * The hook runs inside the caller's transaction (as in GoTrue): when it
 * fails, nothing is stored and the request fails.
 */
async function sendTokenEmail(ctx: Context, db: Db, user: UserRow, action: EmailActionType, pkce: Pkce | null, redirect: string) {
  const slot = SLOT[action];
  if (action !== "invite") {
    const sentAt = slot === "recovery_token" ? user.recovery_sent_at : user.confirmation_sent_at;
    const waitMs = sentAt ? sentAt.getTime() + ctx.config.emailMinIntervalSeconds * 1000 - Date.now() : 0;
    if (waitMs > 0) {
      throw tooManyRequests(
        "over_email_send_rate_limit",
        `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`,
      );
    }
  }
  const email = user.email!;
  const otp = generateOtp();
  // The prefix tells GET /verify to answer with a PKCE code, not tokens.
  const hash = (pkce ? "pkce_" : "") + tokenHash(email, otp);
  if (pkce) {
    await db`
      insert into auth.flow_state (user_id, auth_code, code_challenge_method, code_challenge, provider_type, authentication_method)
      values (${user.id}, ${newAuthCode()}, ${pkce.method}, ${pkce.challenge}, ${action === "signup" ? "email" : action}, ${FLOW_METHOD[action]})`;
  }
  await sendEmail(ctx, await loadUserJson(db, user), {
    token: otp,
    token_hash: hash,
    redirect_to: redirect,
    email_action_type: action,
  });
  await saveOneTimeToken(db, user.id, slot, hash, email);
}

const OtpBody = z.object({
  email: optString,
  phone: optString,
  create_user: z.boolean().nullish(),
  data: metadata,
  code_challenge: optString,
  code_challenge_method: optString,
});

/** POST /otp: email magic link (phone OTP is not offered). */
export async function otp(ctx: Context): Promise<Response> {
  const body = await parseBody(ctx, OtpBody);
  if (body.email && body.phone) {
    throw badRequest("validation_failed", "Only an email address or phone number should be provided");
  }
  if (body.phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  if (!body.email) throw badRequest("validation_failed", "One of email or phone must be set");
  const email = validateEmail(body.email);
  const pkce = pkceParams(body);
  const redirect = redirectTo(ctx);
  await ctx.db.begin(async (tx) => {
    let user = await findUserByEmail(tx, email);
    if (!user) {
      // GoTrue answers this way too; the app treats it like success so that
      // the form does not reveal which addresses have accounts.
      if (body.create_user === false) throw unprocessable("otp_disabled", "Signups not allowed for otp");
      if (ctx.config.disableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
      try {
        user = await insertUser(tx, { email, encryptedPassword: null, userMetadata: body.data ?? {}, confirmed: true });
      } catch (e) {
        throw fromDatabaseError(e, "Database error saving new user", unprocessable("email_exists", DUPLICATE_EMAIL));
      }
    }
    await sendTokenEmail(ctx, tx, user, "magiclink", pkce, redirect);
  });
  return Response.json({});
}

const RecoverBody = z.object({ email: optString, code_challenge: optString, code_challenge_method: optString });

/** POST /recover: answers the same whether or not the address has an account. */
export async function recover(ctx: Context): Promise<Response> {
  const body = await parseBody(ctx, RecoverBody);
  if (!body.email) throw unprocessable("validation_failed", "Password recovery requires an email");
  const email = validateEmail(body.email);
  const pkce = pkceParams(body);
  const redirect = redirectTo(ctx);
  await ctx.db.begin(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user) await sendTokenEmail(ctx, tx, user, "recovery", pkce, redirect);
  });
  return Response.json({});
}

const InviteBody = z.object({ email: optString, data: metadata });

/** POST /invite (admin): creates the user unconfirmed and emails an invite link. */
export async function invite(ctx: Context): Promise<Response> {
  requireAdmin(ctx);
  const body = await parseBody(ctx, InviteBody);
  const email = validateEmail(body.email);
  const redirect = redirectTo(ctx);
  const user = await ctx.db.begin(async (tx) => {
    let user = await findUserByEmail(tx, email);
    if (user?.email_confirmed_at) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    if (!user) {
      try {
        user = await insertUser(tx, { email, encryptedPassword: null, userMetadata: body.data ?? {}, confirmed: false, invited: true });
      } catch (e) {
        throw fromDatabaseError(e, "Database error saving new user", unprocessable("email_exists", DUPLICATE_EMAIL));
      }
    }
    await sendTokenEmail(ctx, tx, user, "invite", null, redirect);
    return loadUserJson(tx, (await findUserById(tx, user.id))!);
  });
  return Response.json(user);
}

const VERIFY_TYPES: Record<string, OneTimeTokenType[]> = {
  signup: ["confirmation_token"],
  invite: ["confirmation_token"],
  magiclink: ["recovery_token"],
  recovery: ["recovery_token"],
  email: ["confirmation_token", "recovery_token"],
};

const LINK_INVALID = "Email link is invalid or has expired";
const CODE_INVALID = "Token has expired or is invalid";

interface Verified {
  user: UserRow;
  token: OneTimeTokenRow;
}

/** Finds and consumes the token, then confirms the address; the caller signs in. */
async function verifyToken(
  ctx: Context,
  db: Db,
  params: { type: string; tokenHash?: string | null; email?: string | null; token?: string | null },
): Promise<Verified> {
  const types = VERIFY_TYPES[params.type];
  if (!types) {
    if (params.type === "email_change") throw badRequest("validation_failed", "Email change is not supported by the local auth server");
    throw badRequest("validation_failed", "Unsupported verification type");
  }
  let token: OneTimeTokenRow | null = null;
  let message = LINK_INVALID;
  if (params.tokenHash) {
    token = await consumeOneTimeToken(db, { hash: params.tokenHash, types });
  } else if (params.token && params.email) {
    message = CODE_INVALID;
    const user = await findUserByEmail(db, validateEmail(params.email));
    if (user) {
      const expected = tokenHash(user.email!, params.token);
      // Stored hashes carry "pkce_" in PKCE flows; the code matches either way.
      const live = (await findOneTimeTokenOfUser(db, user.id, types)).find((t) =>
        safeEqual(t.token_hash.replace(/^pkce_/, ""), expected),
      );
      if (live) token = await consumeOneTimeToken(db, { hash: live.token_hash, types, userId: user.id });
    }
  } else {
    throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  }
  if (!token || token.created_at.getTime() + ctx.config.otpExpirySeconds * 1000 < Date.now()) {
    throw forbidden("otp_expired", message);
  }
  let user = await findUserById(db, token.user_id, { forUpdate: true });
  if (!user) throw forbidden("otp_expired", message);
  if (isBanned(user)) throw forbidden("user_banned", "User is banned");
  user = await confirmEmail(db, user);
  return { user, token };
}

const VerifyBody = z.object({
  type: optString,
  token_hash: optString,
  token: optString,
  email: optString,
  phone: optString,
});

/** POST /verify: verifyOtp() in supabase-js; answers with a session. */
export async function verifyPost(ctx: Context): Promise<Response> {
  const body = await parseBody(ctx, VerifyBody);
  if (body.phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  if (!body.type) throw badRequest("validation_failed", "Verify requires a verification type");
  const type = body.type;
  // A failed verification consumes nothing, so only success commits.
  const session = await ctx.db.begin(async (tx) => {
    const { user } = await verifyToken(ctx, tx, { type, tokenHash: body.token_hash, email: body.email, token: body.token });
    return issueSession(ctx, tx, user, "otp");
  });
  return Response.json(session);
}

const OAUTH_ERRORS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

function withParams(target: string, params: Record<string, string>, where: "query" | "fragment") {
  const url = new URL(target);
  if (where === "query") {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  } else {
    url.hash = new URLSearchParams(params).toString();
  }
  return url.toString();
}

/**
 * GET /verify: the link Supabase's own email templates use
 * (`{{ .ConfirmationURL }}`). Redirects to redirect_to with the session in
 * the fragment (implicit flow) or `?code=` for the client's PKCE exchange;
 * failures go there too, as `error`, `error_code`, `error_description`.
 */
export async function verifyGet(ctx: Context): Promise<Response> {
  const q = ctx.url.searchParams;
  const hash = q.get("token") ?? "";
  const type = q.get("type") ?? "";
  const redirect = redirectTo(ctx);
  const pkce = hash.startsWith("pkce_");
  let location: string;
  try {
    location = await ctx.db.begin(async (tx) => {
      const { user } = await verifyToken(ctx, tx, { type, tokenHash: hash });
      if (pkce) {
        const [flow] = await tx<{ id: string; auth_code: string }[]>`
          select id, auth_code from auth.flow_state
           where user_id = ${user.id} and authentication_method = ${FLOW_METHOD[type as EmailActionType] ?? "magiclink"}
           order by created_at desc limit 1`;
        if (!flow) throw notFound("flow_state_not_found", "Flow state not found");
        await tx`update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = ${flow.id}`;
        return withParams(redirect, { code: flow.auth_code }, "query");
      }
      const session: SessionJson = await issueSession(ctx, tx, user, "otp");
      return withParams(
        redirect,
        {
          access_token: session.access_token,
          expires_at: String(session.expires_at),
          expires_in: String(session.expires_in),
          refresh_token: session.refresh_token,
          token_type: "bearer",
          type,
        },
        "fragment",
      );
    });
  } catch (e) {
    if (!(e instanceof AuthError) || e.status >= 500) throw e;
    const params = { error: OAUTH_ERRORS[e.status] ?? "server_error", error_code: e.code, error_description: e.message };
    location = withParams(redirect, params, "fragment");
    if (pkce) location = withParams(location, params, "query");
  }
  return new Response(null, { status: 303, headers: { location } });
}

const PkceBody = z.object({ auth_code: optString, code_verifier: optString });

/** POST /token?grant_type=pkce: exchangeCodeForSession() after a PKCE link. */
export async function pkceGrant(ctx: Context): Promise<Response> {
  const body = await parseBody(ctx, PkceBody);
  const authCode = body.auth_code;
  const verifier = body.code_verifier;
  if (!authCode || !verifier) {
    throw badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
  }
  const session = await ctx.db.begin(async (tx) => {
    const [flow] = await tx<
      {
        id: string;
        user_id: string | null;
        code_challenge: string;
        code_challenge_method: string;
        authentication_method: AuthMethod;
        created_at: Date;
        auth_code_issued_at: Date | null;
      }[]
    >`
      delete from auth.flow_state where auth_code = ${authCode}
      returning id, user_id, code_challenge, code_challenge_method, authentication_method, created_at, auth_code_issued_at`;
    if (!flow || !flow.user_id) throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
    const start = flow.auth_code_issued_at ?? flow.created_at;
    if (start.getTime() + FLOW_STATE_TTL_MS < Date.now()) {
      throw unprocessable("flow_state_expired", "invalid flow state, flow state has expired");
    }
    if (!pkceMatches(flow.code_challenge_method, flow.code_challenge, verifier)) {
      throw forbidden("bad_code_verifier", "code challenge does not match previously saved code verifier");
    }
    const user = await findUserById(tx, flow.user_id);
    if (!user) throw notFound("user_not_found", "User not found");
    if (isBanned(user)) throw badRequest("user_banned", "User is banned");
    return issueSession(ctx, tx, user, flow.authentication_method);
  });
  return Response.json(session);
}
