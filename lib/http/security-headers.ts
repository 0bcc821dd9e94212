/**
 * Response security headers. Scripts are allowed only by per-request nonce
 * ('strict-dynamic'); inline style attributes stay allowed because Radix
 * positions popovers with them.
 */
export function securityHeaders(opts: {
  nonce: string;
  /** `next dev` needs eval for its error overlay; a production build never does. */
  dev: boolean;
  /** HTTPS deployments: HSTS and upgrade-insecure-requests. */
  https: boolean;
  connectSrc: string[];
}) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self' ${opts.connectSrc.join(" ")}`.trim(),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (opts.https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains; preload";
  return headers;
}

/**
 * The policy with `sources` added to the named directives, for a page that
 * embeds one third party (say, a challenge widget) the app-wide policy does
 * not know of. A directive the policy lacks starts from its default-src, so
 * what default-src already allowed stays allowed and nothing else is widened.
 */
export function withSources(policy: string, sources: Record<string, string[]>): string {
  const directives = policy.split(";").map((d) => d.trim()).filter(Boolean).map((d) => d.split(/\s+/));
  const defaults = directives.find(([name]) => name === "default-src")?.slice(1) ?? [];
  for (const [name, added] of Object.entries(sources)) {
    let directive = directives.find(([n]) => n === name);
    if (!directive) {
      directive = [name, ...defaults];
      directives.push(directive);
    }
    for (const source of added) if (!directive.includes(source)) directive.push(source);
  }
  return directives.map((d) => d.join(" ")).join("; ");
}

/**
 * CSRF guard for cookie-authenticated route handlers: a state-changing
 * request must come from our own origin. (Server actions get the same check
 * from Next.js itself.) Signed webhooks and API-key routes are exempt.
 * X-Forwarded-Host names our host only when a trusted proxy wrote it
 * (`trustForwardedHost`, from TRUSTED_PROXIES): otherwise the client wrote it,
 * and would simply send the attacker's origin there.
 */
export function isCrossSiteMutation(
  req: { method: string; headers: Headers },
  opts: { trustForwardedHost: boolean },
): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return false;
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") === "cross-site";
  const forwarded = opts.trustForwardedHost ? req.headers.get("x-forwarded-host")?.split(",")[0].trim() : undefined;
  const host = forwarded || req.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * Headers for JSON API responses: nothing in them is ever rendered, so the
 * policy allows nothing at all.
 */
export function apiSecurityHeaders(opts: { https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
  };
  if (opts.https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains; preload";
  return headers;
}
