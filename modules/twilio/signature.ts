// X-Twilio-Signature, checked as Twilio computes it: HMAC-SHA1 under the
// account's auth token over the full URL Twilio was configured with (query
// string included) followed by every POST parameter, name then value, sorted
// by name. The SDK's validateRequest does the arithmetic (and tries the URL
// with and without the default port, as Twilio's own libraries do).
//
// The URL is the hard part: Twilio signs the public address in the number's
// configuration, while the function sees whatever the proxies in front of it
// made of the request (Supabase's gateway strips /functions/v1 and swaps the
// host). A real message must never be refused for that, so the signature is
// checked against every address the request could have been sent to: the
// configured public base (TWILIO_WEBHOOK_BASE_URL), the one the forwarded
// headers describe, and the one the function received. Only Twilio holds the
// auth token, so trying several addresses accepts nothing Twilio did not sign.
//
// Web-standard apart from the SDK itself.
import twilio from "twilio";

export const SIGNATURE_HEADER = "x-twilio-signature";

/** Form parameters as the SDK's validator takes them: one value as a string, repeated names as arrays. */
export function paramsOf(form: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

/** `X-Twilio-Signature` for `url` and `params`, exactly as Twilio signs (the stand-in and the dev phone sign with this). */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string | string[]>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface PublicUrlOptions {
  /** TWILIO_WEBHOOK_BASE_URL: the public base of the functions, e.g. https://<ref>.supabase.co/functions/v1. */
  webhookBaseUrl: string | null;
  /** The function's name, which is its path under the base (twilio-sms). */
  functionName: string;
  /** The path public gateways serve functions under (Supabase: /functions/v1). */
  gatewayPrefix?: string;
}

const first = (v: string | null) => v?.split(",")[0]?.trim() || null;

/** Every public address the request may have been signed for, most likely first, without duplicates. */
export function publicUrlCandidates(req: Request, opts: PublicUrlOptions): string[] {
  const received = new URL(req.url);
  const fn = `/${opts.functionName}`;
  const at = received.pathname.indexOf(fn);
  // What follows the function's name (e.g. /status); the whole path when the host already stripped the name.
  const rest = at >= 0 ? received.pathname.slice(at + fn.length) : received.pathname === "/" ? "" : received.pathname;
  const tail = `${fn}${rest}${received.search}`;
  const out: string[] = [];
  if (opts.webhookBaseUrl) out.push(`${opts.webhookBaseUrl}${tail}`);
  const host = first(req.headers.get("x-forwarded-host"));
  if (host) {
    const proto = first(req.headers.get("x-forwarded-proto")) ?? "https";
    const prefix = (first(req.headers.get("x-forwarded-prefix")) ?? opts.gatewayPrefix ?? "/functions/v1").replace(/\/+$/, "");
    out.push(`${proto}://${host}${prefix}${tail}`);
    out.push(`${proto}://${host}${received.pathname}${received.search}`);
  }
  out.push(received.href);
  return [...new Set(out)];
}

/** Whether `signature` is Twilio's for any address the request may have been sent to. */
export function validTwilioSignature(
  authToken: string,
  signature: string | null,
  candidates: string[],
  params: Record<string, string | string[]>,
): boolean {
  if (!signature || !authToken) return false;
  return candidates.some((url) => twilio.validateRequest(authToken, signature, url, params));
}
