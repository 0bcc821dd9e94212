// Sign-up and the token endpoint's password and refresh-token grants.
import { z } from "zod";
import {
  type Context,
  metadata,
  optString,
  parseBody,
  pkceParams,
  rateLimit,
  rateLimitEmail,
  validateEmail,
  validatePassword,
} from "./context.ts";
import { hashPassword, verifyPassword } from "./crypto.ts";
import { pkceGrant } from "./email-flows.ts";
import { AuthError, badRequest, fromDatabaseError, INVALID_LOGIN, unprocessable } from "./errors.ts";
import { issueSession, refreshSession } from "./sessions.ts";
import { findUserByEmail, insertUser, isBanned } from "./store.ts";

const SignupBody = z.object({
  email: optString,
  phone: optString,
  password: optString,
  data: metadata,
  code_challenge: optString,
  code_challenge_method: optString,
});

const USER_EXISTS = () => unprocessable("user_already_exists", "User already registered");

/**
 * POST /signup with email confirmation off (Supabase's "autoconfirm"): the
 * user is created confirmed and signed in at once. options.data becomes
 * raw_user_meta_data, which the sign-up trigger reads (org name, invite token).
 */
export async function signup(ctx: Context): Promise<Response> {
  if (ctx.config.disableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  rateLimit(ctx, "signInSignUps");
  const body = await parseBody(ctx, SignupBody);
  if (body.email && body.phone) {
    throw unprocessable("validation_failed", "Only an email address or phone number should be provided on signup.");
  }
  if (body.phone) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  if (!body.password) throw unprocessable("validation_failed", "Signup requires a valid password");
  validatePassword(ctx, body.password);
  if (!body.email) throw badRequest("validation_failed", "To signup, please provide your email");
  const email = validateEmail(body.email);
  // A PKCE challenge is checked like GoTrue does, though with autoconfirm
  // the answer is a session and no flow follows.
  pkceParams(body);
  const encryptedPassword = await hashPassword(body.password);

  const session = await ctx.db.begin(async (tx) => {
    if (await findUserByEmail(tx, email)) throw USER_EXISTS();
    let user;
    try {
      user = await insertUser(tx, { email, encryptedPassword, userMetadata: body.data ?? {}, confirmed: true });
    } catch (e) {
      throw fromDatabaseError(e, "Database error saving new user", USER_EXISTS());
    }
    return issueSession(ctx, tx, user, "password");
  });
  return Response.json(session);
}

const PasswordBody = z.object({ email: optString, phone: optString, password: optString });
const RefreshBody = z.object({ refresh_token: optString });

// Compared against when the address is unknown, so both cases cost a bcrypt.
const DUMMY_HASH = "$2a$10$dau4h3BTiiXNvDxbNPiPEesWcjUB9eBF8pAeQzQGSIX3ysCcwGrmO";

/** POST /token?grant_type=password|refresh_token|pkce */
export async function token(ctx: Context): Promise<Response> {
  const grant = ctx.url.searchParams.get("grant_type");
  switch (grant) {
    case "password": {
      rateLimit(ctx, "signInSignUps");
      const body = await parseBody(ctx, PasswordBody);
      if (body.email && body.phone) {
        throw unprocessable("validation_failed", "Only an email address or phone number should be provided on login.");
      }
      if (body.phone) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
      if (!body.email) throw badRequest("validation_failed", "missing email or phone");
      rateLimitEmail(ctx, body.email.trim());
      const user = await findUserByEmail(ctx.db, body.email.trim());
      const ok = await verifyPassword(body.password ?? "", user?.encrypted_password ?? DUMMY_HASH);
      if (!user || !ok || isBanned(user)) throw badRequest("invalid_credentials", INVALID_LOGIN);
      if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
      const session = await ctx.db.begin((tx) => issueSession(ctx, tx, user, "password"));
      return Response.json(session);
    }
    case "refresh_token": {
      rateLimit(ctx, "tokenRefresh");
      const body = await parseBody(ctx, RefreshBody);
      if (!body.refresh_token) throw badRequest("validation_failed", "refresh_token required");
      const result = await ctx.db.begin((tx) => refreshSession(ctx, tx, body.refresh_token!));
      if (result instanceof AuthError) throw result;
      return Response.json(result);
    }
    case "pkce":
      rateLimit(ctx, "signInSignUps");
      return pkceGrant(ctx);
    default:
      throw badRequest("validation_failed", "unsupported_grant_type");
  }
}
