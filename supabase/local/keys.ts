import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { JWK } from "jose";

/** The embedded runtime's auth secrets, created once per data directory. */
export interface LocalAuthKeys {
  /** ES256 signing key in the shape `supabase gen signing-key` writes (with `d`). */
  privateJwk: JWK;
  /** Its public half, as served at /auth/v1/.well-known/jwks.json. */
  publicJwk: JWK;
  /** Send Email Hook secret in Supabase's `v1,whsec_<base64>` format. */
  emailHookSecret: string;
}

const FILE = "auth-keys.json";

/** Supabase's JWKS entry for a public key: no private part, verify only. */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { d: _d, key_ops: _ops, ...rest } = privateJwk;
  return { ...rest, key_ops: ["verify"] };
}

function generate(): Omit<LocalAuthKeys, "publicJwk"> {
  // node:crypto rather than jose's generateKeyPair so this stays synchronous
  // (the start script calls it inline); the JWK output is the same.
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  return {
    privateJwk: {
      ...jwk,
      kid: randomUUID(),
      alg: "ES256",
      use: "sig",
      key_ops: ["sign", "verify"],
      ext: true,
    },
    emailHookSecret: `v1,whsec_${randomBytes(32).toString("base64")}`,
  };
}

/**
 * Reads `dir/auth-keys.json`, or creates it (mode 0600) on first use.
 * Keeping the key across restarts keeps existing sessions valid, and the
 * app reads the same hook secret from its environment.
 */
export function loadOrCreateAuthKeys(dir: string): LocalAuthKeys {
  const file = path.join(dir, FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    try {
      // `wx`: a file another process created meanwhile wins and is read below.
      writeFileSync(file, JSON.stringify(generate(), null, 2) + "\n", { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  const stored: Omit<LocalAuthKeys, "publicJwk"> = JSON.parse(readFileSync(file, "utf8"));
  if (stored.privateJwk?.alg !== "ES256" || !stored.privateJwk.kid || !stored.privateJwk.d || !stored.emailHookSecret) {
    throw new Error(`${file} is not a valid auth key file; remove it to generate new keys`);
  }
  chmodSync(file, 0o600);
  return { ...stored, publicJwk: publicJwkOf(stored.privateJwk) };
}

const SECRET_KEYS_FILE = "secret-keys";

/**
 * The key-encryption keys for stored provider credentials (COVEY_SECRET_KEYS
 * form, `kid:base64`), from the environment when set, else kept in
 * `dir/secret-keys` (mode 0600) and created on first use like the auth keys:
 * credentials saved by one run still open in the next.
 */
export function loadOrCreateSecretKeys(dir: string, fromEnv = process.env.COVEY_SECRET_KEYS): string {
  if (fromEnv?.trim()) return fromEnv.trim();
  const file = path.join(dir, SECRET_KEYS_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const spec = `local1:${randomBytes(32).toString("base64")}\n`;
    try {
      writeFileSync(file, spec, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}

/** The local Meta app the Graph API stand-in and the meta-webhook function share (ids and secrets as Meta would issue them). */
export interface LocalMetaApp {
  appId: string;
  appSecret: string;
  verifyToken: string;
}

const META_APP_FILE = "meta-app.json";

/** Reads `dir/meta-app.json`, or creates it (mode 0600) on first use. */
export function loadOrCreateMetaApp(dir: string): LocalMetaApp {
  const file = path.join(dir, META_APP_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const app: LocalMetaApp = {
      appId: `1${randomBytes(8).readBigUInt64BE().toString().padStart(20, "0").slice(0, 14)}`,
      appSecret: randomBytes(16).toString("hex"),
      verifyToken: randomBytes(12).toString("base64url"),
    };
    try {
      writeFileSync(file, JSON.stringify(app, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  const stored = JSON.parse(readFileSync(file, "utf8")) as LocalMetaApp;
  if (!/^[0-9]{5,20}$/.test(stored.appId) || !stored.appSecret || !stored.verifyToken) {
    throw new Error(`${file} is not a valid Meta app file; remove it to generate a new one`);
  }
  chmodSync(file, 0o600);
  return stored;
}
