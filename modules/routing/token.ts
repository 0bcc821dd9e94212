// A partner's link token: 32 random bytes, base64url, that only the email
// holds; the database keeps its SHA-256. WebCrypto, so the sending job (Deno)
// and the link's page (Node) agree.

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function newOfferToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether the text could be a token at all (anything else is refused without a query). */
export const isOfferToken = (text: string) => /^[A-Za-z0-9_-]{43}$/.test(text);

/** SHA-256 of the token in hex, as SQL takes it (`decode($1, 'hex')`). */
export async function offerTokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The link token of an offer sent by webhook: HMAC-SHA256 of the offer's id
 * under the partner's signing secret (`whsec_` + base64). Every retry of the
 * POST carries the same link, so a partner that keeps the first delivery of
 * a webhook-id holds a link that works; only the secret's holders can make it.
 */
export async function webhookOfferToken(secret: string, deliveryId: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`partner-offer:${deliveryId}`));
  return toBase64Url(new Uint8Array(mac));
}

/** A partner's webhook signing secret, in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}
