import { createServerClient } from "@supabase/ssr";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { verifiedCookieClaims } from "./claims";

/**
 * Refreshes the Supabase session cookies on the way through and reports
 * whether the request carries a valid session. `next` builds the response
 * that continues the request (it is rebuilt when cookies change).
 */
export async function updateSession(request: NextRequest, next: () => NextResponse) {
  // A valid session that is not due for a refresh changes no cookie: the
  // auth client (and its second read of the cookies) is only needed otherwise.
  if (await verifiedCookieClaims((name) => request.cookies.get(name)?.value)) {
    const response = next();
    return { response: () => response, signedIn: true };
  }
  let response = next();
  const e = env();
  const supabase = createServerClient(e.NEXT_PUBLIC_SUPABASE_URL, e.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(cookiesToSet) {
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = next();
        for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, options);
      },
    },
  });
  // getClaims() verifies the access token against the JWKS (refreshing it
  // when expired); nothing may run between client creation and this call.
  const { data } = await supabase.auth.getClaims();
  return { response: () => response, signedIn: !!data?.claims?.sub };
}
