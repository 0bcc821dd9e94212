// The fill-time token a form is served with: when it was issued, signed with
// the form's secret. A submission carries it back, so the endpoint knows how
// long the visitor took without trusting a clock the visitor sent: a bot
// that posts the moment it loads the page, or never loads it, is caught.
// WebCrypto only, so Deno could run it too.

const encoder = new TextEncoder();
/** A token older than this is not accepted (the visitor gets a fresh one). */
export const TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

async function key(secretHex: string): Promise<CryptoKey> {
  const bytes = new Uint8Array(secretHex.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

const toBase64Url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function issueFillToken(secretHex: string, formKey: string, now = Date.now()): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await key(secretHex), encoder.encode(`${formKey}.${now}`));
  return `${now}.${toBase64Url(sig)}`;
}

export type FillCheck = { ok: true; elapsedMs: number } | { ok: false; reason: "missing_token" | "bad_token" };

/** How long ago the token was issued, if it is this form's and not expired. */
export async function checkFillToken(secretHex: string, formKey: string, token: string | null | undefined, now = Date.now()): Promise<FillCheck> {
  if (!token) return { ok: false, reason: "missing_token" };
  const [issued, sigText, extra] = token.split(".");
  const sig = sigText ? fromBase64Url(sigText) : null;
  if (extra !== undefined || !/^\d{13}$/.test(issued ?? "") || !sig) return { ok: false, reason: "bad_token" };
  const valid = await crypto.subtle.verify("HMAC", await key(secretHex), sig, encoder.encode(`${formKey}.${issued}`));
  const elapsedMs = now - Number(issued);
  if (!valid || elapsedMs < 0 || elapsedMs > TOKEN_MAX_AGE_MS) return { ok: false, reason: "bad_token" };
  return { ok: true, elapsedMs };
}
