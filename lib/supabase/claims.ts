import { combineChunks, stringFromBase64URL } from "@supabase/ssr";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { env } from "@/lib/env";

type CookieReader = (name: string) => string | null | undefined;

// auth-js refreshes a session this close to its expiry (EXPIRY_MARGIN_MS);
// such a session takes the auth client's path so it is refreshed as before.
const REFRESH_MARGIN_MS = 90_000;

// The signing keys, imported once and kept (jose refetches the JWKS when a
// token names an unknown key, and every ten minutes): auth-js imports the key
// again on every getClaims() call. Every request still has its signature checked.
let keys: { url: string; get: ReturnType<typeof createRemoteJWKSet> } | undefined;

function signingKeys() {
  const url = `${env().NEXT_PUBLIC_SUPABASE_URL}/auth/v1/.well-known/jwks.json`;
  if (keys?.url !== url) keys = { url, get: createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000 }) };
  return keys.get;
}

// Access tokens already verified, by their exact text: a session sends the
// same token with every request until auth-js refreshes it (about hourly), and
// the proxy and the page both read it. An entry is trusted no longer than the
// signing keys themselves are cached, so a rotated-out key stops verifying
// within the same ten minutes as it does today. Bounded; oldest entries go first.
const VERIFIED_MAX_AGE_MS = 10 * 60_000;
const VERIFIED_MAX_ENTRIES = 10_000;
const verified = new Map<string, { payload: JWTPayload & { sub: string }; until: number }>();

function remember(token: string, payload: JWTPayload & { sub: string }) {
  if (verified.size >= VERIFIED_MAX_ENTRIES) verified.delete(verified.keys().next().value!);
  verified.set(token, { payload, until: Math.min(Date.now() + VERIFIED_MAX_AGE_MS, payload.exp! * 1000) });
}

/** The auth cookie's name as supabase-js derives it from the project URL. */
function storageKey(): string {
  return `sb-${new URL(env().NEXT_PUBLIC_SUPABASE_URL).hostname.split(".")[0]}-auth-token`;
}

async function accessToken(read: CookieReader): Promise<string | null> {
  const raw = await combineChunks(storageKey(), read);
  if (!raw) return null;
  try {
    const value = raw.startsWith("base64-") ? stringFromBase64URL(raw.slice("base64-".length)) : raw;
    const token = (JSON.parse(value) as { access_token?: unknown }).access_token;
    return typeof token === "string" ? token : null;
  } catch {
    return null;
  }
}

/**
 * The claims of the session cookie's access token when it verifies against
 * the project's signing keys (asymmetric, as getClaims() checks them) and is
 * not due for a refresh; otherwise null, and the caller asks the auth client,
 * which refreshes, verifies or rejects exactly as before.
 */
export async function verifiedCookieClaims(read: CookieReader): Promise<(JWTPayload & { sub: string }) | null> {
  const token = await accessToken(read);
  if (!token) return null;
  const known = verified.get(token);
  if (known && known.until > Date.now()) return fresh(known.payload);
  if (known) verified.delete(token);
  try {
    const { payload } = await jwtVerify(token, signingKeys(), { algorithms: ["ES256", "RS256"], requiredClaims: ["exp", "sub"] });
    remember(token, payload as JWTPayload & { sub: string });
    return fresh(payload as JWTPayload & { sub: string });
  } catch {
    return null;
  }
}

function fresh(payload: JWTPayload & { sub: string }) {
  return payload.exp! * 1000 - Date.now() < REFRESH_MARGIN_MS ? null : payload;
}
