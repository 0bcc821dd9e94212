import { createHash, randomBytes } from "node:crypto";

/** A single-use invitation token (in the link) and the hash we keep. */
export function newInviteToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashInviteToken(token) };
}

/** Same digest as the database's encode(sha256(convert_to(token, 'UTF8')), 'hex'). */
export function hashInviteToken(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
