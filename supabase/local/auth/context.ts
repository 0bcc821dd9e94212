import type postgres from "postgres";
import { z } from "zod";
import type { AuthRateLimits, ResolvedAuthConfig } from "./config.ts";
import { safeEqual, type Signer } from "./crypto.ts";
import { badRequest, forbidden, tooManyRequests, unauthorized, unprocessable, weakPassword } from "./errors.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { type Db, findUserById, type UserRow } from "./store.ts";

/** Everything an endpoint needs for one request. */
export interface Context {
  req: Request;
  url: URL;
  config: ResolvedAuthConfig;
  db: postgres.Sql;
  signer: Signer;
  limiter: RateLimiter;
  /** The peer address as the HTTP server saw it (rate limits, sessions.ip). */
  clientAddress?: string;
}

/**
 * Reads a JSON body into `schema`. Like Go's json.Unmarshal in GoTrue, a
 * malformed body or a field of the wrong type is 400 bad_json; unknown fields
 * are ignored.
 */
export async function parseBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.output<S>> {
  const text = await ctx.req.text();
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw badRequest("bad_json", `Could not parse request body as JSON: ${e instanceof Error ? e.message : e}`);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest("bad_json", `Could not parse request body as JSON: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Optional string fields as supabase-js sends them (null when unused). */
export const optString = z.string().nullish();
export const metadata = z.record(z.string(), z.unknown()).nullish();

export function rateLimit(ctx: Context, kind: keyof AuthRateLimits) {
  const limits = ctx.config.rateLimits;
  if (!limits) return;
  const ip = ctx.clientAddress || ctx.req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
  if (!ctx.limiter.allow(`${kind}:${ip}`, limits[kind])) {
    throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
  }
}

/** Counts a password sign-in for `email` (lower-cased) against signInsPerEmail. */
export function rateLimitEmail(ctx: Context, email: string) {
  if (!ctx.limiter.allow(`signInsPerEmail:${email.toLowerCase()}`, ctx.config.signInsPerEmail)) {
    throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
  }
}

/** GoTrue's email check (format only), returning the address lower-cased. */
export function validateEmail(email: string | null | undefined): string {
  if (!email) throw badRequest("validation_failed", "An email address is required");
  if (email.length > 255) throw badRequest("validation_failed", "An email address is too long");
  // checkmail's format rule: something@something.tld, no spaces.
  if (!/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/.test(email)) {
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  return email.toLowerCase();
}

/** Length rules only (Supabase's default has no character requirements). */
export function validatePassword(ctx: Context, password: string) {
  if (password.length < ctx.config.minPasswordLength) throw weakPassword(ctx.config.minPasswordLength);
  // bcrypt ignores everything after 72 bytes; GoTrue refuses instead.
  if (Buffer.byteLength(password) > 72) {
    throw unprocessable("validation_failed", "Password cannot be longer than 72 characters");
  }
}

export interface Pkce {
  challenge: string;
  method: "s256" | "plain";
}

/** GoTrue's validatePKCEParams: both or neither, S256 or plain, 43-128 characters. */
export function pkceParams(body: { code_challenge?: string | null; code_challenge_method?: string | null }): Pkce | null {
  const challenge = body.code_challenge || "";
  const method = (body.code_challenge_method || "").toLowerCase();
  if (!challenge && !method) return null;
  if (!challenge || !method) {
    throw badRequest("validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  }
  if (method !== "s256" && method !== "plain") {
    throw badRequest("validation_failed", "code challenge method not supported");
  }
  if (challenge.length < 43 || challenge.length > 128) {
    throw badRequest("validation_failed", "code challenge has to be between 43 and 128 characters");
  }
  return { challenge, method };
}

function isAllowedRedirect(ctx: Context, target: string): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.origin === new URL(ctx.config.siteUrl).origin) return true;
  // Supabase's additional_redirect_urls, with a trailing * or ** matching any rest.
  return ctx.config.additionalRedirectUrls.some((allowed) => {
    const prefix = allowed.replace(/\*+$/, "");
    return allowed.endsWith("*") ? target.startsWith(prefix) : target === allowed || url.origin === allowed.replace(/\/+$/, "");
  });
}

/** GoTrue's referrer: `redirect_to` when allowed, else the site URL. */
export function redirectTo(ctx: Context, requested?: string | null): string {
  const target = requested ?? ctx.url.searchParams.get("redirect_to");
  return target && isAllowedRedirect(ctx, target) ? target : ctx.config.siteUrl;
}

function bearer(ctx: Context): string | null {
  const header = ctx.req.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

export interface Authenticated {
  user: UserRow;
  sessionId: string;
}

/**
 * GoTrue's requireAuthentication: a verified access token whose user and
 * session still exist. Signing out deletes the session, so its tokens stop
 * working here at once (getClaims() in the app keeps accepting them until
 * they expire, exactly as with Supabase).
 */
export async function requireUser(ctx: Context, db: Db = ctx.db): Promise<Authenticated> {
  const token = bearer(ctx);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a valid Bearer token");
  // With new API keys the gateway turns a key-as-bearer into an anon JWT,
  // which has no subject.
  if (token === ctx.config.publishableKey || token === ctx.config.secretKey) {
    throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  }
  const claims = await ctx.signer.verify(token);
  if (typeof claims.sub !== "string" || !claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (typeof claims.session_id !== "string") throw forbidden("bad_jwt", "invalid claim: missing session_id claim");
  const user = /^[0-9a-f-]{36}$/i.test(claims.sub) ? await findUserById(db, claims.sub) : null;
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const [session] = /^[0-9a-f-]{36}$/i.test(claims.session_id)
    ? await db`select id from auth.sessions where id = ${claims.session_id} and user_id = ${user.id}`
    : [];
  if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  return { user, sessionId: claims.session_id };
}

/**
 * Admin endpoints: Supabase's gateway maps the secret key to the
 * service_role, so the secret key as bearer (supabase-js sends it as both
 * apikey and bearer) is what authorizes them.
 */
export function requireAdmin(ctx: Context) {
  const token = bearer(ctx);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a valid Bearer token");
  if (!safeEqual(token, ctx.config.secretKey)) throw forbidden("not_admin", "User not allowed");
}
