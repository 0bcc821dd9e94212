// Envelope encryption for provider credentials (Meta page tokens, Twilio and
// Gmail tokens, AI keys), in WebCrypto only so the app (Node) and the Edge
// Functions (Deno) share it.
//
// Each secret gets its own random 256-bit data key; the plaintext is sealed
// with it (AES-256-GCM) and the data key is sealed in turn with a
// key-encryption key from the environment (COVEY_SECRET_KEYS). Rotating the
// key-encryption key re-seals only the 32-byte data keys, never the data.
// Both seals take the org and the purpose as associated data, so a stored
// secret copied to another org or another use does not decrypt.
//
// A sealed secret is one string:
//   v1.<kid>.<wrap iv>.<wrapped data key>.<iv>.<ciphertext>   (base64url parts)

import { base64, base64url, fromBase64, fromBase64url } from "./encoding.ts";

const VERSION = "v1";
const KID = /^[A-Za-z0-9_-]{1,40}$/;
const KEY_BYTES = 32;
const IV_BYTES = 12;

export class SecretsNotConfiguredError extends Error {
  constructor(detail: string) {
    super(
      `Encrypted secrets are not configured: ${detail}. Set COVEY_SECRET_KEYS to "kid:<base64 of 32 random bytes>" ` +
        '(e.g. `echo "k1:$(openssl rand -base64 32)"`); list older keys after a comma to keep decrypting with them while you rotate.',
    );
    this.name = "SecretsNotConfiguredError";
  }
}

/** A sealed secret that does not open: tampered with, moved to another org or purpose, or sealed under a key no longer listed. */
export class SecretDecryptError extends Error {
  constructor(reason: string) {
    super(`The stored secret could not be decrypted (${reason}).`);
    this.name = "SecretDecryptError";
  }
}

interface KeyEntry {
  kid: string;
  key: CryptoKey;
}

/** The key-encryption keys: the first seals, all of them open. */
export interface Keyring {
  readonly activeKid: string;
  readonly kids: readonly string[];
  key(kid: string): CryptoKey | undefined;
}

/** What a secret is bound to: decrypting it under any other org or purpose fails. */
export interface SecretContext {
  orgId: string;
  purpose: string;
}

/**
 * Parses `kid2:base64,kid1:base64` (the first key is the active one). An
 * empty or missing value is refused with a message saying what to set.
 */
export async function parseKeyring(spec: string | undefined | null): Promise<Keyring> {
  const parts = (spec ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new SecretsNotConfiguredError("COVEY_SECRET_KEYS is not set");
  const entries: KeyEntry[] = [];
  for (const [i, part] of parts.entries()) {
    const colon = part.indexOf(":");
    const kid = colon > 0 ? part.slice(0, colon) : "";
    if (!KID.test(kid)) {
      throw new SecretsNotConfiguredError(`key ${i + 1} of COVEY_SECRET_KEYS needs an id of letters, digits, _ or - before a colon`);
    }
    if (entries.some((e) => e.kid === kid)) throw new SecretsNotConfiguredError(`key id ${kid} appears twice in COVEY_SECRET_KEYS`);
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = fromBase64(part.slice(colon + 1));
    } catch {
      throw new SecretsNotConfiguredError(`key ${kid} in COVEY_SECRET_KEYS is not base64`);
    }
    if (raw.length !== KEY_BYTES) {
      throw new SecretsNotConfiguredError(`key ${kid} in COVEY_SECRET_KEYS is ${raw.length} bytes, not ${KEY_BYTES}`);
    }
    entries.push({ kid, key: await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) });
  }
  const byKid = new Map(entries.map((e) => [e.kid, e.key]));
  return {
    activeKid: entries[0].kid,
    kids: entries.map((e) => e.kid),
    key: (kid) => byKid.get(kid),
  };
}

/** A fresh key-encryption key in the COVEY_SECRET_KEYS form, `kid:base64`. */
export function generateKeySpec(kid: string): string {
  if (!KID.test(kid)) throw new Error(`invalid key id ${kid}`);
  const raw = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  return `${kid}:${base64(raw)}`;
}

const text = new TextEncoder();

function dataAad(ctx: SecretContext): Uint8Array<ArrayBuffer> {
  return text.encode(`covey-secret/${VERSION}/${ctx.orgId}/${ctx.purpose}`);
}

function wrapAad(kid: string, ctx: SecretContext): Uint8Array<ArrayBuffer> {
  return text.encode(`covey-data-key/${VERSION}/${kid}/${ctx.orgId}/${ctx.purpose}`);
}

async function gcm(op: "encrypt" | "decrypt", key: CryptoKey, iv: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>) {
  return new Uint8Array(await crypto.subtle[op]({ name: "AES-GCM", iv, additionalData: aad }, key, data));
}

async function wrap(keyring: Keyring, dataKey: Uint8Array<ArrayBuffer>, ctx: SecretContext) {
  const kid = keyring.activeKid;
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const wrapped = await gcm("encrypt", keyring.key(kid)!, iv, wrapAad(kid, ctx), dataKey);
  return { kid, iv, wrapped };
}

interface Parsed {
  kid: string;
  wrapIv: Uint8Array<ArrayBuffer>;
  wrapped: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

function parse(sealed: string): Parsed {
  const parts = sealed.split(".");
  if (parts.length !== 6 || parts[0] !== VERSION || !KID.test(parts[1])) throw new SecretDecryptError("not a sealed secret");
  try {
    const [, kid, wrapIv, wrapped, iv, ciphertext] = parts;
    return { kid, wrapIv: fromBase64url(wrapIv), wrapped: fromBase64url(wrapped), iv: fromBase64url(iv), ciphertext: fromBase64url(ciphertext) };
  } catch {
    throw new SecretDecryptError("not a sealed secret");
  }
}

/** The id of the key-encryption key a sealed secret is under (rotation finds the stragglers by it). */
export function sealedKid(sealed: string): string {
  return parse(sealed).kid;
}

async function openDataKey(keyring: Keyring, p: Parsed, ctx: SecretContext): Promise<Uint8Array<ArrayBuffer>> {
  const kek = keyring.key(p.kid);
  if (!kek) throw new SecretDecryptError(`key ${p.kid} is not in COVEY_SECRET_KEYS`);
  try {
    return await gcm("decrypt", kek, p.wrapIv, wrapAad(p.kid, ctx), p.wrapped);
  } catch {
    throw new SecretDecryptError("tampered with, or bound to another org or purpose");
  }
}

/** Seals `plaintext` for `ctx` under the active key. */
export async function sealSecret(keyring: Keyring, plaintext: string, ctx: SecretContext): Promise<string> {
  const dataKeyBytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const dataKey = await crypto.subtle.importKey("raw", dataKeyBytes, "AES-GCM", false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await gcm("encrypt", dataKey, iv, dataAad(ctx), text.encode(plaintext));
  const w = await wrap(keyring, dataKeyBytes, ctx);
  return [VERSION, w.kid, base64url(w.iv), base64url(w.wrapped), base64url(iv), base64url(ciphertext)].join(".");
}

/** Opens a sealed secret; throws SecretDecryptError unless it was sealed for exactly `ctx` and is intact. */
export async function openSecret(keyring: Keyring, sealed: string, ctx: SecretContext): Promise<string> {
  const p = parse(sealed);
  const dataKey = await crypto.subtle.importKey("raw", await openDataKey(keyring, p, ctx), "AES-GCM", false, ["decrypt"]);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await gcm("decrypt", dataKey, p.iv, dataAad(ctx), p.ciphertext));
  } catch {
    throw new SecretDecryptError("tampered with, or bound to another org or purpose");
  }
}

/**
 * The same secret with its data key sealed under the active key (rotation);
 * the data ciphertext is kept as it is. Already under the active key: returned unchanged.
 */
export async function resealSecret(keyring: Keyring, sealed: string, ctx: SecretContext): Promise<string> {
  const p = parse(sealed);
  if (p.kid === keyring.activeKid) return sealed;
  const w = await wrap(keyring, await openDataKey(keyring, p, ctx), ctx);
  return [VERSION, w.kid, base64url(w.iv), base64url(w.wrapped), base64url(p.iv), base64url(p.ciphertext)].join(".");
}

/** What a page shows of a secret: its last four characters, never more (and nothing of a short one). */
export function secretHint(plaintext: string): string {
  return plaintext.length >= 12 ? plaintext.slice(-4) : "";
}

export function maskedSecret(hint: string | null | undefined): string {
  return `••••••••${hint ?? ""}`;
}
