import { describe, expect, it } from "vitest";
import {
  generateKeySpec,
  maskedSecret,
  openSecret,
  parseKeyring,
  resealSecret,
  sealedKid,
  sealSecret,
  SecretDecryptError,
  secretHint,
  SecretsNotConfiguredError,
} from "./envelope";

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";
const ctx = { orgId: ORG_A, purpose: "meta.page_token:1234" };
const TOKEN = "EAAGm0PX4ZCpsBAKZCZBsecret-page-token-9876";

/** Flips one bit of one base64url character of part `index` of a sealed secret. */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const p = parts[index];
  const c = p[2];
  parts[index] = p.slice(0, 2) + (c === "A" ? "B" : "A") + p.slice(3);
  return parts.join(".");
}

describe("envelope encryption", () => {
  it("round-trips a secret and never puts the plaintext in the sealed form", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    const sealed = await sealSecret(keyring, TOKEN, ctx);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(await openSecret(keyring, sealed, ctx)).toBe(TOKEN);
    // A fresh data key and nonce each time: the same secret never seals the same way twice.
    expect(await sealSecret(keyring, TOKEN, ctx)).not.toBe(sealed);
  });

  it("refuses a tampered ciphertext, nonce or wrapped data key", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    const sealed = await sealSecret(keyring, TOKEN, ctx);
    for (const part of [2, 3, 4, 5]) {
      await expect(openSecret(keyring, tamper(sealed, part), ctx)).rejects.toBeInstanceOf(SecretDecryptError);
    }
    await expect(openSecret(keyring, "v1.k1.garbage", ctx)).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it("binds a secret to its org and purpose", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    const sealed = await sealSecret(keyring, TOKEN, ctx);
    await expect(openSecret(keyring, sealed, { ...ctx, orgId: ORG_B })).rejects.toThrow(/another org or purpose/);
    await expect(openSecret(keyring, sealed, { ...ctx, purpose: "meta.page_token:9999" })).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it("rotates: old keys keep opening, resealing moves a secret to the active key without touching its data", async () => {
    const k1 = generateKeySpec("k1");
    const k2 = generateKeySpec("k2");
    const before = await parseKeyring(k1);
    const sealed = await sealSecret(before, TOKEN, ctx);

    const during = await parseKeyring(`${k2},${k1}`);
    expect(during.activeKid).toBe("k2");
    expect(await openSecret(during, sealed, ctx)).toBe(TOKEN);
    expect(sealedKid(await sealSecret(during, "new", ctx))).toBe("k2");

    const moved = await resealSecret(during, sealed, ctx);
    expect(sealedKid(moved)).toBe("k2");
    expect(moved.split(".").slice(4)).toEqual(sealed.split(".").slice(4));
    expect(await resealSecret(during, moved, ctx)).toBe(moved);

    const after = await parseKeyring(k2);
    expect(await openSecret(after, moved, ctx)).toBe(TOKEN);
    await expect(openSecret(after, sealed, ctx)).rejects.toThrow(/key k1 is not in COVEY_SECRET_KEYS/);
    // A re-sealed data key is still bound to its org.
    await expect(openSecret(after, moved, { ...ctx, orgId: ORG_B })).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it("says what to set when the keys are missing or malformed", async () => {
    await expect(parseKeyring(undefined)).rejects.toThrow(/COVEY_SECRET_KEYS is not set.*openssl rand -base64 32/);
    await expect(parseKeyring("  ")).rejects.toBeInstanceOf(SecretsNotConfiguredError);
    await expect(parseKeyring("k1:c2hvcnQ=")).rejects.toThrow(/key k1 .* is 5 bytes, not 32/);
    await expect(parseKeyring("no-colon")).rejects.toThrow(/key 1 of COVEY_SECRET_KEYS needs an id/);
    await expect(parseKeyring("k1:!!!!")).rejects.toThrow(/not base64/);
    const k = generateKeySpec("k1");
    await expect(parseKeyring(`${k},${k}`)).rejects.toThrow(/appears twice/);
  });

  it("shows at most the last four characters, and none of a short secret", () => {
    expect(secretHint(TOKEN)).toBe("9876");
    expect(secretHint("short")).toBe("");
    expect(maskedSecret("9876")).toBe("••••••••9876");
  });

  it("never includes the plaintext in an error", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    const sealed = await sealSecret(keyring, TOKEN, ctx);
    const err = await openSecret(keyring, sealed, { ...ctx, orgId: ORG_B }).catch((e: Error) => e);
    expect(String(err)).not.toContain(TOKEN);
    expect(String(err)).not.toContain(sealed);
  });
});
