// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256
// over `${webhook-id}.${webhook-timestamp}.${body}` with the base64-decoded
// secret, sent as `v1,<base64>`. WebCrypto only, so Deno runs it too.

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

// Importing a key costs more than the HMAC itself; a dispatcher signs
// thousands of bodies with a handful of secrets.
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (!secret.startsWith("whsec_")) throw new Error("A webhook secret starts with whsec_");
    key = crypto.subtle.importKey("raw", base64ToBytes(secret.slice(6)), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * The `webhook-signature` header value: one `v1,<signature>` per secret,
 * space-separated, so a receiver holding either secret of a rotation accepts.
 */
export async function signWebhook(secrets: string[], id: string, timestamp: number, body: string): Promise<string> {
  const content = encoder.encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (s) => `v1,${bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(s), content)))}`),
  );
  return signatures.join(" ");
}
