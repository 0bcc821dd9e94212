// Cloudflare Turnstile, the one adapter: a visitor's widget answer is
// checked server-side with siteverify (form-encoded secret, response,
// remoteip; JSON `{ success }` back). TURNSTILE_VERIFY_URL points it at a
// stand-in where Cloudflare is not reachable.
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export const turnstileConfigured = () => !!env().TURNSTILE_SECRET_KEY;

/**
 * The widget a page shows for a form that asks for Turnstile, when this
 * deployment has a site key. `origin` is where its script comes from and
 * where it frames its challenge (challenges.cloudflare.com, or the stand-in):
 * the one origin the page's CSP must let in for it.
 */
export function turnstileWidget(enabled: boolean): { siteKey: string; scriptUrl: string; origin: string } | null {
  const e = env();
  if (!enabled || !e.TURNSTILE_SITE_KEY || !e.TURNSTILE_SECRET_KEY) return null;
  return { siteKey: e.TURNSTILE_SITE_KEY, scriptUrl: e.TURNSTILE_SCRIPT_URL, origin: new URL(e.TURNSTILE_SCRIPT_URL).origin };
}

/** Whether Cloudflare vouches for this answer. An unreachable verifier is a failed check, logged. */
export async function verifyTurnstile(response: string, ip: string): Promise<boolean> {
  const e = env();
  if (!response) return false;
  const body = new URLSearchParams({ secret: e.TURNSTILE_SECRET_KEY ?? "", response });
  if (ip !== "unknown") body.set("remoteip", ip);
  try {
    const res = await fetch(e.TURNSTILE_VERIFY_URL, { method: "POST", body, signal: AbortSignal.timeout(5000) });
    const result = (await res.json()) as { success?: boolean; "error-codes"?: string[] };
    if (!result.success) log.info({ codes: result["error-codes"] }, "turnstile refused a web form answer");
    return result.success === true;
  } catch (err) {
    log.warn({ err }, "turnstile verification unavailable");
    return false;
  }
}
