// Reading and re-sealing stored secrets (public.org_secrets) as service_role:
// web-standard code over a postgres.js connection, so jobs and Edge
// Functions (Deno) use it as the app does. Plaintext never leaves the
// caller's memory: nothing here logs.
import { type Keyring, openSecret, resealSecret, type SecretContext } from "./envelope.ts";

/** The part of a postgres.js `sql` used here; it must act as service_role. */
export interface SqlClient {
  // deno-lint-ignore no-explicit-any
  unsafe(query: string, params?: any[]): PromiseLike<readonly Record<string, any>[]>;
}

/** The org's secret for `purpose`, decrypted; null when none is stored. */
export async function readSecret(sql: SqlClient, keyring: Keyring, ctx: SecretContext): Promise<string | null> {
  const [row] = await sql.unsafe("select secret from public.org_secrets where org_id = $1 and purpose = $2", [ctx.orgId, ctx.purpose]);
  return row ? openSecret(keyring, row.secret as string, ctx) : null;
}

/**
 * Moves every secret sealed under an older key to the active one, `batch`
 * rows per transaction, and returns how many moved. Runs beside live
 * traffic: readers keep opening either form (the old key stays listed until
 * this reports 0), and rows being re-sealed elsewhere are skipped, not waited for.
 * A row that does not open under any listed key is left as it is and counted in `failed`.
 */
export async function resealSecrets(
  sql: SqlClient & { begin<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> },
  keyring: Keyring,
  batch = 100,
): Promise<{ resealed: number; failed: number }> {
  let resealed = 0;
  const failedIds: string[] = [];
  for (;;) {
    const moved = await sql.begin(async (tx) => {
      const rows = await tx.unsafe(
        `select id, org_id, purpose, secret from public.org_secrets
         where key_id <> $1 and not (id = any ($2::uuid[]))
         order by id limit ${Math.max(1, Math.floor(batch))} for update skip locked`,
        [keyring.activeKid, failedIds],
      );
      for (const r of rows) {
        try {
          const sealed = await resealSecret(keyring, r.secret as string, { orgId: r.org_id as string, purpose: r.purpose as string });
          await tx.unsafe("update public.org_secrets set secret = $2, key_id = $3 where id = $1", [r.id, sealed, keyring.activeKid]);
        } catch {
          failedIds.push(r.id as string);
        }
      }
      return rows.length;
    });
    if (moved === 0) break;
    resealed += moved;
  }
  return { resealed: resealed - failedIds.length, failed: failedIds.length };
}
