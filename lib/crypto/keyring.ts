import { type Keyring, parseKeyring } from "./envelope.ts";

let cached: { spec: string | undefined; keyring: Promise<Keyring> } | undefined;

/**
 * The app's key-encryption keys, from COVEY_SECRET_KEYS (the embedded
 * runtime generates and keeps one in .data/). Without it, features that
 * store provider credentials refuse with SecretsNotConfiguredError, which
 * says what to set; the rest of the app runs.
 */
export function appKeyring(): Promise<Keyring> {
  const spec = process.env.COVEY_SECRET_KEYS;
  if (!cached || cached.spec !== spec) {
    const keyring = parseKeyring(spec);
    // A refused spec is not kept: the next call reads the environment again.
    keyring.catch(() => (cached = undefined));
    cached = { spec, keyring };
  }
  return cached.keyring;
}

export function secretsConfigured(): boolean {
  return !!process.env.COVEY_SECRET_KEYS?.trim();
}
