import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { DomainError, errorBody } from "@/lib/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";
import { isCrossSiteMutation, securityHeaders } from "@/lib/http/security-headers";
import { updateSession } from "@/lib/supabase/proxy";

// Reachable without a session: these pages, and everything under the prefixes.
// The dev phone plays a customer, who has no account; like the dev mailbox it exists only on the embedded runtime.
const PUBLIC_PAGES = new Set(["/sign-in", "/sign-up", "/forgot-password", "/dev/mailbox", "/dev/phone"]);
const PUBLIC_PREFIXES = ["/auth/", "/invite/", "/f/", "/p/"];

// The web form endpoint's routes (app/f/[key], app/f/[key]/token).
const FORM_ENDPOINT = /^\/f\/[^/]+(\/token)?\/?$/;

// Machine-to-machine endpoints: authenticated by signature or key, not cookie.
// Web forms (/f/) are posted from other sites by design and act for no session;
// a partner's answer is authorised by the token in its link alone.
const CSRF_EXEMPT = ["/api/auth/email-hook", "/api/v1/", "/api/webhooks/", "/api/partner-offers/", "/f/"];

// A partner's link, /p/{token}: its page for people, and the URL a partner's
// system POSTs its answer to (JSON). Any POST there but the page's own server
// action (Next-Action header) goes to the JSON answer's route.
const PARTNER_LINK = /^\/p\/([^/]+)\/?$/;

export async function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const e = env();
  const headers = securityHeaders({
    nonce,
    dev: e.NODE_ENV === "development",
    https: e.NODE_ENV === "production" && e.APP_URL.startsWith("https:"),
    connectSrc: [new URL(e.NEXT_PUBLIC_SUPABASE_URL).origin],
  });
  const { pathname } = request.nextUrl;
  // A web form's endpoint sets its own policy, the app's widened for the
  // Turnstile widget where a form shows it; Next.js would keep ours over it.
  const ownPolicy = FORM_ENDPOINT.test(pathname);
  const finish = (res: NextResponse) => {
    res.headers.set(REQUEST_ID_HEADER, requestId);
    for (const [k, v] of Object.entries(headers)) if (!(ownPolicy && k === "Content-Security-Policy")) res.headers.set(k, v);
    return res;
  };

  const partnerLink = PARTNER_LINK.exec(pathname);
  if (partnerLink && request.method === "POST" && !request.headers.has("next-action")) {
    const url = request.nextUrl.clone();
    url.pathname = `/api/partner-offers/${partnerLink[1]}`;
    const withId = new Headers(request.headers);
    withId.set(REQUEST_ID_HEADER, requestId);
    return finish(NextResponse.rewrite(url, { request: { headers: withId } }));
  }

  if (isCrossSiteMutation(request, { trustForwardedHost: !!e.TRUSTED_PROXIES.trim() }) && !CSRF_EXEMPT.some((p) => pathname.startsWith(p))) {
    return finish(
      NextResponse.json(
        errorBody(new DomainError("forbidden", "Cross-site request refused.")),
        { status: 403 },
      ),
    );
  }

  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  forwarded.set("x-nonce", nonce);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const next = () => NextResponse.next({ request: { headers: forwarded } });

  if (pathname.startsWith("/api/")) return finish(next());

  const session = await updateSession(request, next);
  const isPublic = PUBLIC_PAGES.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
  if (!session.signedIn && !isPublic) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + request.nextUrl.search)}`;
    return finish(NextResponse.redirect(url));
  }
  return finish(session.response());
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|manifest.webmanifest|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
