// Google's consent screen comes back here with `code` and `state` (or
// `error=access_denied`). The state must be the one this member's browser
// was given; the code is exchanged server-side and the refresh token never
// reaches the browser.
import { timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { env } from "@/lib/env";
import { isDomainError } from "@/lib/errors";
import { log } from "@/lib/log";
import { appGmailDeps, finishConnect, GMAIL_STATE_COOKIE, gmailCallbackUrl } from "@/modules/gmail";

const back = (query: Record<string, string>) =>
  NextResponse.redirect(new URL(`/settings/integrations/gmail?${new URLSearchParams(query)}`, env().APP_URL));

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function GET(req: Request): Promise<Response> {
  const session = await getSession();
  if (!session) return NextResponse.redirect(new URL("/sign-in", env().APP_URL));
  const url = new URL(req.url);
  const jar = await cookies();
  const expected = jar.get(GMAIL_STATE_COOKIE)?.value ?? "";
  jar.delete({ name: GMAIL_STATE_COOKIE, path: "/api/gmail" });
  const state = url.searchParams.get("state") ?? "";
  if (!state || !sameState(expected, `${session.user.id}.${state}`)) {
    return back({ error: "This Gmail connection was not started here, or took too long. Connect again." });
  }
  if (url.searchParams.get("error")) return back({ error: "Google access was not granted, so Gmail is not connected." });
  const code = url.searchParams.get("code");
  if (!code) return back({ error: "Google sent no authorization code. Connect again." });
  try {
    const { email } = await finishConnect(appGmailDeps(), (fn) => database().asUser(session.claims, fn), {
      code,
      redirectUri: gmailCallbackUrl(),
      orgId: session.org.id,
      userId: session.user.id,
    });
    return back({ connected: email });
  } catch (e) {
    if (isDomainError(e)) return back({ error: e.message });
    log.error({ err: e }, "connecting Gmail failed");
    return back({ error: "Connecting Gmail failed. Try again in a moment." });
  }
}
