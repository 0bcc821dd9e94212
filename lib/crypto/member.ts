import { sql } from "kysely";
import type { Tx } from "@/lib/db";
import { type Keyring, sealSecret, secretHint } from "./envelope.ts";

/**
 * Seals `plaintext` for the member's org and stores it under `purpose`
 * (replacing an older one) through public.store_org_secret, which refuses
 * anyone but owners and admins. Runs in the member's transaction, so the
 * secret commits with whatever refers to it.
 */
export async function storeSecret(tx: Tx, keyring: Keyring, input: { purpose: string; plaintext: string }): Promise<{ id: string; hint: string }> {
  const { rows } = await sql<{ org: string | null }>`select private.current_org_id() as org`.execute(tx);
  const orgId = rows[0]?.org;
  if (!orgId) throw new Error("storeSecret needs a member's transaction");
  const sealed = await sealSecret(keyring, input.plaintext, { orgId, purpose: input.purpose });
  const hint = secretHint(input.plaintext);
  const stored = await sql<{ id: string }>`select public.store_org_secret(${input.purpose}, ${sealed}, ${hint}) as id`.execute(tx);
  return { id: stored.rows[0].id, hint };
}
