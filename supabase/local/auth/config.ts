import type { JWK } from "jose";

/** Per-IP request limits per 5 minutes, as in Supabase's `[auth.rate_limit]`. */
export interface AuthRateLimits {
  /** POST /signup and the password and PKCE grants (Supabase: sign_in_sign_ups). */
  signInSignUps?: number;
  /** The refresh-token grant (Supabase: token_refresh). */
  tokenRefresh?: number;
  /** POST/GET /verify (Supabase: token_verifications). */
  tokenVerifications?: number;
}

/** Supabase's `[auth.external.google]`: the OAuth client and where Google (or its stand-in) answers. */
export interface GoogleProviderConfig {
  clientId: string;
  clientSecret: string;
  /** The consent screen the browser is sent to (Google: https://accounts.google.com/o/oauth2/v2/auth). */
  authUrl: string;
  /** Google: https://oauth2.googleapis.com/token */
  tokenUrl: string;
  /** The id_token signing keys (Google: https://www.googleapis.com/oauth2/v3/certs). */
  jwksUrl: string;
}

export interface AuthConfig {
  /** postgres URL of the `supabase_auth_admin` login role. */
  databaseUrl: string;
  /** The app's origin: the default redirect, allowed for redirects and CORS. */
  siteUrl: string;
  /** This server's public origin, e.g. http://127.0.0.1:54321 (no /auth/v1). */
  apiUrl: string;
  publishableKey: string;
  secretKey: string;
  /** ES256 private JWK with `kid` (see supabase/local/keys.ts). */
  privateJwk: JWK;
  /** Send Email Hook endpoint (Standard Webhooks, signed with emailHookSecret). */
  emailHookUrl: string;
  /** `v1,whsec_<base64>`, the format Supabase shows for hook secrets. */
  emailHookSecret: string;
  /** Default 8. */
  minPasswordLength?: number;
  /** Default 3600. */
  jwtExpirySeconds?: number;
  /** Lifetime of emailed links and codes; default 3600. */
  otpExpirySeconds?: number;
  /** Refuses new accounts from /signup and /otp (admin endpoints still create). */
  disableSignup?: boolean;
  /** Further allowed redirect_to prefixes (Supabase: additional_redirect_urls). */
  additionalRedirectUrls?: string[];
  /** Browser origins allowed by CORS; default: the siteUrl origin. */
  corsOrigins?: string[];
  /** Minimum time between two emails of one kind to one user; default 60 (Supabase: max_frequency). */
  emailMinIntervalSeconds?: number;
  /** How long a just-rotated refresh token may still be used, for concurrent refreshes; default 10. */
  refreshTokenReuseIntervalSeconds?: number;
  /** `false` turns per-IP limits off; defaults are the Supabase CLI's (30, 150, 30). */
  rateLimits?: AuthRateLimits | false;
  /**
   * Password sign-ins per address per 5 minutes, whoever calls: default 10.
   * Stays on when per-IP limits are off (the app then calls from one
   * address), so calling /token directly cannot guess a password faster than
   * the app's sign-in form allows. Windows are aligned to the clock as the
   * app's limiter aligns them (lib/rate-limit.ts), and the default is above
   * the app's 8, so a person using the form meets the app's message first.
   */
  signInsPerEmail?: number;
  /** Sign in with Google; off when unset. */
  google?: GoogleProviderConfig;
  /** Per attempt; default 5000 ms as in GoTrue. */
  hookTimeoutMs?: number;
  /** Where unexpected (500) failures are reported; default console.error. */
  log?: (message: string, error?: unknown) => void;
}

export type ResolvedAuthConfig = Required<Omit<AuthConfig, "rateLimits" | "log" | "google">> & {
  google: GoogleProviderConfig | null;
  log: (message: string, error?: unknown) => void;
  rateLimits: Required<AuthRateLimits> | false;
  /** `${apiUrl}/auth/v1`: the JWT issuer and the hook's site_url. */
  issuer: string;
};

export function resolveConfig(config: AuthConfig): ResolvedAuthConfig {
  for (const key of ["databaseUrl", "siteUrl", "apiUrl", "publishableKey", "secretKey", "emailHookUrl", "emailHookSecret"] as const) {
    if (!config[key]) throw new Error(`auth config: ${key} is required`);
  }
  if (config.privateJwk?.alg !== "ES256" || !config.privateJwk.kid || !config.privateJwk.d) {
    throw new Error("auth config: privateJwk must be an ES256 private JWK with a kid");
  }
  if (!config.emailHookSecret.startsWith("v1,whsec_")) {
    throw new Error("auth config: emailHookSecret must look like v1,whsec_<base64>");
  }
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const siteUrl = config.siteUrl.replace(/\/+$/, "");
  return {
    ...config,
    apiUrl,
    siteUrl,
    issuer: `${apiUrl}/auth/v1`,
    minPasswordLength: config.minPasswordLength ?? 8,
    jwtExpirySeconds: config.jwtExpirySeconds ?? 3600,
    otpExpirySeconds: config.otpExpirySeconds ?? 3600,
    disableSignup: config.disableSignup ?? false,
    additionalRedirectUrls: config.additionalRedirectUrls ?? [],
    corsOrigins: config.corsOrigins ?? [new URL(siteUrl).origin],
    emailMinIntervalSeconds: config.emailMinIntervalSeconds ?? 60,
    refreshTokenReuseIntervalSeconds: config.refreshTokenReuseIntervalSeconds ?? 10,
    rateLimits:
      config.rateLimits === false
        ? false
        : { signInSignUps: 30, tokenRefresh: 150, tokenVerifications: 30, ...config.rateLimits },
    signInsPerEmail: config.signInsPerEmail ?? 10,
    hookTimeoutMs: config.hookTimeoutMs ?? 5000,
    google: config.google ?? null,
    log: config.log ?? ((message, error) => console.error(`[auth] ${message}`, error ?? "")),
  };
}
