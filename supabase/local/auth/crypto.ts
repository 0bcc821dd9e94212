import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";
import { importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { publicJwkOf } from "../keys.ts";
import { forbidden } from "./errors.ts";

/** Signs and verifies access tokens with the configured ES256 key. */
export interface Signer {
  kid: string;
  /** The JWKS document supabase-js fetches to verify tokens in getClaims(). */
  jwks: { keys: JWK[] };
  sign(claims: JWTPayload, expiresIn: number): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

export async function createSigner(privateJwk: JWK, issuer: string): Promise<Signer> {
  const kid = privateJwk.kid!;
  const publicJwk = publicJwkOf(privateJwk);
  // WebCrypto refuses a private key whose key_ops include "verify" (as in
  // Supabase's signing-key JWKs), so import without key_ops.
  const { key_ops: _ops, ...importable } = privateJwk;
  const privateKey = await importJWK(importable, "ES256");
  const publicKey = await importJWK(publicJwk, "ES256");
  return {
    kid,
    jwks: { keys: [publicJwk] },
    async sign(claims, expiresIn) {
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .sign(privateKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { algorithms: ["ES256"] });
        return payload;
      } catch (e) {
        // GoTrue: 403 bad_jwt for anything that does not verify, expiry included.
        const reason = e instanceof Error && "code" in e && e.code === "ERR_JWT_EXPIRED" ? "token has invalid claims: token is expired" : "signature is invalid";
        throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`);
      }
    },
  };
}

/**
 * bcrypt at cost 10 with the `$2a$` prefix that GoTrue (Go's bcrypt) and
 * pgcrypto's crypt(pw, gen_salt('bf')) write; bcryptjs writes `$2b$`, which
 * computes the same hash for passwords up to 72 bytes (all we accept).
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = (await bcrypt.genSalt(10)).replace(/^\$2b\$/, "$2a$");
  return bcrypt.hash(password, salt);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash || !/^\$2[abxy]\$\d{2}\$/.test(hash)) return false;
  return bcrypt.compare(password, hash);
}

/** The 6-digit code in emails (GoTrue's default OTP length). */
export function generateOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** GoTrue's token hash: hex sha224 of the address followed by the code. */
export function tokenHash(email: string, otp: string): string {
  return createHash("sha224").update(email + otp).digest("hex");
}

/** Refresh tokens: opaque, URL-safe, 128 bits. */
export function newRefreshToken(): string {
  return randomBytes(16).toString("base64url");
}

/** An opaque id for PKCE auth codes. */
export function newAuthCode(): string {
  return crypto.randomUUID();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636: does `verifier` answer the stored challenge? */
export function pkceMatches(method: string, challenge: string, verifier: string): boolean {
  const computed = method === "s256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return safeEqual(computed, challenge);
}
