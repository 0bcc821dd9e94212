// Settings → Integrations → Gmail → Connect: sends the member's browser to
// Google's consent screen with a one-time state kept in a cookie that only
// this flow's callback reads, so a callback the member did not start is refused.
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { getSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { appGmailDeps, connectUrl, GMAIL_STATE_COOKIE, gmailCallbackUrl } from "@/modules/gmail";

export async function GET(): Promise<Response> {
  const session = await getSession();
  if (!session) return NextResponse.redirect(new URL("/sign-in", env().APP_URL));
  const state = randomBytes(24).toString("base64url");
  let url: string;
  try {
    url = connectUrl(appGmailDeps(), { redirectUri: gmailCallbackUrl(), state });
  } catch {
    return NextResponse.redirect(new URL("/settings/integrations/gmail?error=not_configured", env().APP_URL));
  }
  (await cookies()).set(GMAIL_STATE_COOKIE, `${session.user.id}.${state}`, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https:"),
    path: "/api/gmail",
    maxAge: 600,
  });
  return NextResponse.redirect(url);
}
