// A local implementation of the part of the Supabase Auth (GoTrue) HTTP API
// that Covey uses, so the real supabase-js / @supabase/ssr clients run the
// same flows against the embedded runtime as against Supabase. Web-standard:
// a (Request) => Response handler for any server.
import postgres from "postgres";
import { createUser, deleteUserById, getUserById, listUsers, updateUserById } from "./admin.ts";
import { type AuthConfig, resolveConfig, type ResolvedAuthConfig } from "./config.ts";
import { type Context, rateLimit } from "./context.ts";
import { createSigner, safeEqual, type Signer } from "./crypto.ts";
import { invite, otp, recover, verifyGet, verifyPost } from "./email-flows.ts";
import { API_VERSION_HEADER, AuthError, errorBody, negotiateApiVersion } from "./errors.ts";
import { authorize, callback } from "./oauth.ts";
import { signup, token } from "./password-flows.ts";
import { RateLimiter } from "./rate-limit.ts";
import { getUser, logout, putUser } from "./user.ts";

export type { AuthConfig, AuthRateLimits, GoogleProviderConfig } from "./config.ts";
export { AuthError } from "./errors.ts";

export const AUTH_PREFIX = "/auth/v1";

export interface RequestInfo {
  /** The TCP peer address; used for per-IP rate limits and sessions.ip. */
  clientAddress?: string;
}

export type AuthHandler = ((req: Request, info?: RequestInfo) => Promise<Response>) & {
  /** Closes the database pool. */
  close(): Promise<void>;
};

type Endpoint = (ctx: Context, ...params: string[]) => Promise<Response> | Response;

interface Route {
  method: string;
  path: string | RegExp;
  endpoint: Endpoint;
  /** Reachable without an API key, as Supabase's gateway allows (links in emails, JWKS). */
  open?: boolean;
}

function health(): Response {
  return Response.json({ version: "covey-local", name: "GoTrue", description: "GoTrue is a user registration and authentication API" });
}

function settings(ctx: Context): Response {
  return Response.json({
    external: { anonymous_users: false, email: true, google: !!ctx.config.google, phone: false },
    disable_signup: ctx.config.disableSignup,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  });
}

function jwks(ctx: Context): Response {
  return Response.json(ctx.signer.jwks, { headers: { "cache-control": "public, max-age=600" } });
}

const ROUTES: Route[] = [
  { method: "GET", path: "/health", endpoint: health },
  { method: "GET", path: "/settings", endpoint: settings },
  { method: "GET", path: "/.well-known/jwks.json", endpoint: jwks, open: true },
  { method: "POST", path: "/signup", endpoint: signup },
  { method: "POST", path: "/token", endpoint: token },
  { method: "POST", path: "/otp", endpoint: otp },
  { method: "POST", path: "/recover", endpoint: recover },
  {
    method: "POST",
    path: "/verify",
    endpoint: (ctx) => {
      rateLimit(ctx, "tokenVerifications");
      return verifyPost(ctx);
    },
  },
  {
    method: "GET",
    path: "/verify",
    endpoint: (ctx) => {
      rateLimit(ctx, "tokenVerifications");
      return verifyGet(ctx);
    },
    open: true,
  },
  { method: "POST", path: "/invite", endpoint: invite },
  // The browser comes here without an API key, sent by signInWithOAuth() and by Google.
  { method: "GET", path: "/authorize", endpoint: authorize, open: true },
  { method: "GET", path: "/callback", endpoint: callback, open: true },
  { method: "GET", path: "/user", endpoint: getUser },
  { method: "PUT", path: "/user", endpoint: putUser },
  { method: "POST", path: "/logout", endpoint: logout },
  { method: "GET", path: "/admin/users", endpoint: listUsers },
  { method: "POST", path: "/admin/users", endpoint: createUser },
  { method: "GET", path: /^\/admin\/users\/([^/]+)$/, endpoint: getUserById },
  { method: "PUT", path: /^\/admin\/users\/([^/]+)$/, endpoint: updateUserById },
  { method: "DELETE", path: /^\/admin\/users\/([^/]+)$/, endpoint: deleteUserById },
];

function match(route: Route, path: string): string[] | null {
  if (typeof route.path === "string") return route.path === path ? [] : null;
  const m = route.path.exec(path);
  if (!m) return null;
  try {
    return m.slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** Headers the browser may read: supabase-js needs the API version to parse errors. */
const EXPOSED = "X-Supabase-Api-Version, X-Total-Count, Link, Content-Length";

function corsHeaders(config: ResolvedAuthConfig, req: Request): Headers {
  const headers = new Headers();
  const origin = req.headers.get("origin");
  if (origin && config.corsOrigins.includes(origin)) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-credentials", "true");
    headers.set("access-control-expose-headers", EXPOSED);
  }
  headers.set("vary", "Origin");
  return headers;
}

function preflight(config: ResolvedAuthConfig, req: Request): Response {
  const headers = corsHeaders(config, req);
  if (headers.has("access-control-allow-origin")) {
    headers.set("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    headers.set(
      "access-control-allow-headers",
      req.headers.get("access-control-request-headers") ?? "authorization, x-client-info, apikey, content-type, x-supabase-api-version",
    );
    headers.set("access-control-max-age", "3600");
  }
  return new Response(null, { status: 204, headers });
}

/**
 * What Supabase's API gateway answers before a request reaches Auth: the
 * `apikey` header (or query parameter) must be the publishable or secret key.
 */
function checkApiKey(config: ResolvedAuthConfig, req: Request, url: URL): Response | null {
  const key = req.headers.get("apikey") ?? url.searchParams.get("apikey");
  if (!key) {
    return Response.json(
      { message: "No API key found in request", hint: "No `apikey` request header or url param was found." },
      { status: 401 },
    );
  }
  if (!safeEqual(key, config.publishableKey) && !safeEqual(key, config.secretKey)) {
    return Response.json(
      { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." },
      { status: 401 },
    );
  }
  return null;
}

function withHeaders(res: Response, extra: Headers): Response {
  // Response.json/redirect headers can be immutable; copy into a new Response.
  const headers = new Headers(res.headers);
  extra.forEach((value, key) => headers.set(key, value));
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/**
 * Handles requests under /auth/v1 (anything else is 404). Errors come back
 * in GoTrue's JSON shapes and statuses; unexpected failures are logged via
 * config.log and answered 500 unexpected_failure.
 */
export function createAuthHandler(config: AuthConfig): AuthHandler {
  const resolved = resolveConfig(config);
  const db = postgres(resolved.databaseUrl, {
    max: 10,
    onnotice: () => {},
    connection: { application_name: "covey-local-auth" },
  });
  const signer: Promise<Signer> = createSigner(resolved.privateJwk, resolved.issuer);
  // A bad key fails every request (answered 500 and logged), not the process.
  signer.catch(() => {});
  const limiter = new RateLimiter();

  const handler = async (req: Request, info: RequestInfo = {}): Promise<Response> => {
    const url = new URL(req.url);
    const apiVersion = negotiateApiVersion(req.headers.get(API_VERSION_HEADER));
    const extra = corsHeaders(resolved, req);
    if (apiVersion) extra.set(API_VERSION_HEADER, apiVersion);
    if (req.method === "OPTIONS") return preflight(resolved, req);

    let response: Response;
    try {
      response = await dispatch(url, req, info);
    } catch (e) {
      const err = e instanceof AuthError ? e : new AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information", undefined, e);
      const errorId = err.status >= 500 ? crypto.randomUUID() : undefined;
      if (errorId) resolved.log(`${req.method} ${url.pathname} failed (error_id ${errorId}): ${err.message}`, err.cause ?? err);
      response = Response.json(errorBody(err, apiVersion, errorId), { status: err.status });
    }
    return withHeaders(response, extra);
  };

  async function dispatch(url: URL, req: Request, info: RequestInfo): Promise<Response> {
    const path = url.pathname.startsWith(AUTH_PREFIX) ? url.pathname.slice(AUTH_PREFIX.length) || "/" : null;
    const candidates = path === null ? [] : ROUTES.map((route) => ({ route, params: match(route, path) })).filter((c) => c.params);
    if (!candidates.length) throw new AuthError(404, "not_found", "Not Found");
    const found = candidates.find((c) => c.route.method === req.method || (req.method === "HEAD" && c.route.method === "GET"));
    if (!found) throw new AuthError(405, "method_not_allowed", "Method Not Allowed");
    if (!found.route.open) {
      const refused = checkApiKey(resolved, req, url);
      if (refused) return refused;
    }
    const ctx: Context = { req, url, config: resolved, db, signer: await signer, limiter, clientAddress: info.clientAddress };
    return found.route.endpoint(ctx, ...found.params!);
  }

  handler.close = async () => {
    await db.end({ timeout: 5 });
  };
  return handler;
}
