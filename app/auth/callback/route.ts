import { type NextRequest, NextResponse } from "next/server";
import { cookies } from "next/headers";
import type { Claims } from "@/lib/db";
import { currentLog } from "@/lib/log";
import { createClient } from "@/lib/supabase/server";
import { finishOAuthSignIn, GOOGLE_CALLBACK_PATH, GOOGLE_INTENT_COOKIE, parseGoogleIntent } from "@/modules/auth";
import { GOOGLE_SIGN_IN_ERRORS, safeNext } from "@/modules/auth/ui";

const ADMITTED = ["member", "joined", "founded"];

function refused(request: NextRequest, code: string) {
  const to = new URL("/sign-in", request.url);
  to.searchParams.set("error", code in GOOGLE_SIGN_IN_ERRORS ? code : "google_failed");
  return NextResponse.redirect(to);
}

/**
 * Where Supabase Auth sends the browser back from Google: exchange the code
 * (PKCE) for a session, then let the database admit the account by what the
 * person meant (found an org, accept an invitation, sign in) or remove it.
 */
export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  const cookieStore = await cookies();
  const intent = parseGoogleIntent(cookieStore.get(GOOGLE_INTENT_COOKIE)?.value);
  cookieStore.set(GOOGLE_INTENT_COOKIE, "", { path: GOOGLE_CALLBACK_PATH, maxAge: 0 });

  const providerError = searchParams.get("error_code") ?? searchParams.get("error");
  if (providerError) return refused(request, providerError);
  const code = searchParams.get("code");
  if (!code) return refused(request, "google_failed");

  const supabase = await createClient();
  const exchanged = await supabase.auth.exchangeCodeForSession(code);
  if (exchanged.error) return refused(request, exchanged.error.code ?? "google_failed");
  const { data } = await supabase.auth.getClaims(exchanged.data.session.access_token);
  if (!data?.claims) return refused(request, "google_failed");

  let outcome: string;
  try {
    outcome = await finishOAuthSignIn(data.claims as Claims, intent);
  } catch (e) {
    (await currentLog()).error({ err: e }, "finishing a Google sign-in failed");
    outcome = "google_failed";
  }
  if (ADMITTED.includes(outcome)) return NextResponse.redirect(new URL(safeNext(intent.next), request.url));
  // The account is gone (or never admitted); drop the cookies of its session too.
  await supabase.auth.signOut({ scope: "local" });
  return refused(request, outcome);
}
