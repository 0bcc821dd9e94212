import type { Tx } from "@/lib/db";

export type ApiKeyStatus = "active" | "expired" | "revoked";

export function keyStatus(k: { revoked_at: Date | null; expires_at: Date | null }, now = new Date()): ApiKeyStatus {
  if (k.revoked_at) return "revoked";
  return k.expires_at && k.expires_at <= now ? "expired" : "active";
}

/**
 * The org's keys, live ones first, newest first, with who made and who
 * revoked them. Never the secret: the hash column is not readable here.
 */
export async function listApiKeys(tx: Tx) {
  const rows = await tx
    .selectFrom("api_keys as k")
    .leftJoin("profiles as c", "c.user_id", "k.created_by")
    .leftJoin("profiles as r", "r.user_id", "k.revoked_by")
    .select([
      "k.id",
      "k.name",
      "k.prefix",
      "k.scopes",
      "k.created_at",
      "k.last_used_at",
      "k.expires_at",
      "k.revoked_at",
      "c.full_name as created_by_name",
      "c.email as created_by_email",
      "r.full_name as revoked_by_name",
      "r.email as revoked_by_email",
    ])
    .orderBy((eb) => eb.case().when("k.revoked_at", "is", null).then(0).else(1).end())
    .orderBy("k.created_at", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    createdBy: r.created_by_name || r.created_by_email || null,
    revokedBy: r.revoked_at ? r.revoked_by_name || r.revoked_by_email || "a former member" : null,
    status: keyStatus({ revoked_at: r.revoked_at, expires_at: r.expires_at }),
  }));
}
export type ApiKeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];
