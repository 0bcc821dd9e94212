import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { zString } from "@/lib/validation";
import { API_SCOPES, type ApiScope } from "@/lib/api/scopes";
import type { Tx } from "@/lib/db";

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomPrefix(): string {
  const bytes = randomBytes(8);
  return `covey_${Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("")}`;
}

/** sha256 of the whole token, as the database compares it. */
export function hashApiKey(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export const apiKeyCreateSchema = z.object({
  name: zString("Name").trim().min(1, "Name the key").max(100, "At most 100 characters"),
  scopes: z
    .array(z.enum(API_SCOPES as unknown as [ApiScope, ...ApiScope[]], { error: "Not a known scope" }))
    .min(1, "Choose at least one scope"),
  expiresAt: z.coerce.date().nullish(),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
});
export type ApiKeyCreateInput = z.input<typeof apiKeyCreateSchema>;

/**
 * Creates a key for the signed-in owner/admin (RLS and the insert policy
 * check both). The token is returned once; only its hash is stored.
 */
export async function createApiKey(
  tx: Tx,
  actor: { orgId: string; userId: string },
  input: ApiKeyCreateInput,
): Promise<{ id: string; prefix: string; token: string }> {
  const v = apiKeyCreateSchema.parse(input);
  const prefix = randomPrefix();
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  const row = await tx
    .insertInto("api_keys")
    .values({
      org_id: actor.orgId,
      name: v.name,
      prefix,
      secret_hash: hashApiKey(token),
      scopes: [...new Set(v.scopes)],
      created_by: actor.userId,
      expires_at: v.expiresAt ?? null,
      ...(v.rateLimitPerMinute ? { rate_limit_per_minute: v.rateLimitPerMinute } : {}),
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  return { id: row.id, prefix, token };
}

/** Revokes a key at once: the database refuses it from the next request on. */
export async function revokeApiKey(tx: Tx, actor: { userId: string }, id: string): Promise<boolean> {
  const r = await tx
    .updateTable("api_keys")
    .set({ revoked_at: new Date(), revoked_by: actor.userId })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Renames a key; a revoked key keeps the name it was revoked under. */
export async function renameApiKey(tx: Tx, id: string, name: string): Promise<boolean> {
  const r = await tx
    .updateTable("api_keys")
    .set({ name: name.trim() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
