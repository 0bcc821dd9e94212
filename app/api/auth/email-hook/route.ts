import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { env } from "@/lib/env";
import { requestLog } from "@/lib/log";
import { sendMail } from "@/lib/mail";
import { confirmSignupEmail, magicLinkEmail, recoveryEmail } from "@/lib/mail/templates";

export const dynamic = "force-dynamic";

// Supabase Auth's "Send Email" hook: Auth signs the request (Standard
// Webhooks) and leaves the sending to us, so auth emails go through the
// same mail adapter as every other email.
const payloadSchema = z.object({
  user: z.object({ email: z.email() }),
  email_data: z.object({
    token_hash: z.string().min(1),
    redirect_to: z.string().optional().default(""),
    email_action_type: z.string(),
  }),
});

/** Keeps only a same-origin path from redirect_to (no open redirects). */
function nextPath(redirectTo: string, appUrl: string, fallback: string) {
  try {
    const url = new URL(redirectTo, appUrl);
    if (url.origin !== new URL(appUrl).origin) return fallback;
    const next = url.searchParams.get("next");
    if (next?.startsWith("/") && !next.startsWith("//")) return next;
    return url.pathname === "/auth/confirm" ? fallback : url.pathname;
  } catch {
    return fallback;
  }
}

export async function POST(request: Request) {
  const logger = requestLog(request.headers.get("x-request-id"));
  const e = env();
  if (!e.AUTH_EMAIL_HOOK_SECRET) {
    return Response.json({ error: { http_code: 500, message: "Email hook is not configured" } }, { status: 500 });
  }
  const body = await request.text();
  let payload: unknown;
  try {
    payload = new Webhook(e.AUTH_EMAIL_HOOK_SECRET.replace(/^v1,whsec_/, "")).verify(
      body,
      Object.fromEntries(request.headers),
    );
  } catch {
    return Response.json({ error: { http_code: 401, message: "Invalid signature" } }, { status: 401 });
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    return Response.json({ error: { http_code: 400, message: "Unexpected payload" } }, { status: 400 });
  }
  const { user, email_data: data } = parsed.data;
  const type = data.email_action_type;
  const confirm = (next: string) => {
    const url = new URL("/auth/confirm", e.APP_URL);
    url.searchParams.set("token_hash", data.token_hash);
    url.searchParams.set("type", type);
    url.searchParams.set("next", next);
    return url.toString();
  };
  const message =
    type === "magiclink"
      ? magicLinkEmail({ url: confirm(nextPath(data.redirect_to, e.APP_URL, "/")) })
      : type === "recovery"
        ? recoveryEmail({ url: confirm("/reset-password") })
        : type === "signup"
          ? confirmSignupEmail({ url: confirm("/") })
          : null;
  if (!message) {
    logger.warn({ type }, "email hook: unsupported email type");
    return Response.json({ error: { http_code: 400, message: `Unsupported email type ${type}` } }, { status: 400 });
  }
  try {
    await sendMail({ to: user.email, ...message });
  } catch (error) {
    logger.error({ err: error, type }, "email hook: sending failed");
    return Response.json({ error: { http_code: 502, message: "Email could not be sent" } }, { status: 502 });
  }
  return Response.json({});
}
