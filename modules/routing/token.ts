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
