import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { AuthError, internal, unprocessable } from "./errors.ts";
import type { Context } from "./context.ts";
import type { UserJson } from "./store.ts";

export type EmailActionType = "signup" | "magiclink" | "recovery" | "invite" | "email_change";

export interface EmailData {
  /** The 6-digit code, for verifyOtp({ email, token, type }). */
  token: string;
  /** What links carry, for verifyOtp({ token_hash, type }); `pkce_`-prefixed in PKCE flows. */
  token_hash: string;
  redirect_to: string;
  email_action_type: EmailActionType;
}

const ATTEMPTS = 3;
// GoTrue waits 2 s between attempts; locally a refused connection is not
// going to recover in that time, so retry sooner.
const BACKOFF_MS = 250;

/**
 * Supabase Auth's Send Email Hook: POSTs `{ user, email_data }` signed per
 * Standard Webhooks with the hook secret, and maps failures the way GoTrue's
 * HTTP hook dispatcher does.
 */
export async function sendEmail(ctx: Context, user: UserJson, data: EmailData): Promise<void> {
  const payload = JSON.stringify({
    user,
    email_data: {
      ...data,
      // GoTrue's site_url is its own external URL, the base of /verify links.
      site_url: ctx.config.issuer,
      token_new: "",
      token_hash_new: "",
    },
  });
  // Supabase shows the secret as `v1,whsec_<base64>`; the library takes the rest.
  const webhook = new Webhook(ctx.config.emailHookSecret.slice("v1,".length));

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const id = randomUUID();
    const timestamp = new Date();
    let res: Response;
    try {
      res = await fetch(ctx.config.emailHookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
          "webhook-signature": webhook.sign(id, timestamp, payload),
        },
        body: payload,
        signal: AbortSignal.timeout(ctx.config.hookTimeoutMs),
      });
    } catch (e) {
      if (e instanceof Error && e.name === "TimeoutError") {
        throw unprocessable("hook_timeout", `Failed to reach hook within maximum time of ${ctx.config.hookTimeoutMs / 1000} seconds`);
      }
      if (attempt < ATTEMPTS - 1) {
        await new Promise((r) => setTimeout(r, BACKOFF_MS));
        continue;
      }
      throw unprocessable("hook_timeout_after_retry", "Failed to reach hook after maximum retries");
    }
    const text = await res.text();
    switch (res.status) {
      case 200:
      case 202:
      case 204:
        return checkOutput(res, text);
      case 429:
      case 503:
        if (res.headers.get("retry-after")) continue;
        throw internal("Service currently unavailable due to hook");
      case 400:
        throw internal("Invalid payload sent to hook");
      case 401:
        throw internal("Hook requires authorization token");
      default:
        throw internal(`Unexpected status code returned from hook: ${res.status}`);
    }
  }
  throw internal("Service currently unavailable due to hook");
}

/** A 2xx answer may still report an error: `{ "error": { "http_code", "message" } }`. */
function checkOutput(res: Response, text: string) {
  if (res.status === 204 && !text) return;
  const type = res.headers.get("content-type") ?? "";
  if (!type) {
    throw new AuthError(400, "hook_payload_invalid_content_type", "Invalid Content-Type: Missing Content-Type header");
  }
  if (type.split(";")[0].trim().toLowerCase() !== "application/json") {
    throw new AuthError(400, "hook_payload_invalid_content_type", `Invalid JSON response. Received content-type: ${type}`);
  }
  let output: { error?: { http_code?: number; message?: string } } = {};
  try {
    output = text ? JSON.parse(text) : {};
  } catch {
    throw internal("Error unmarshaling JSON output.");
  }
  if (output?.error) {
    const status = output.error.http_code || 500;
    throw new AuthError(status, status >= 500 ? "unexpected_failure" : "unknown", output.error.message ?? "Error executing hook");
  }
}
