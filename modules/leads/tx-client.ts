// upsertExternalLead speaks to postgres.js; Node code holding a Kysely
// transaction (an API request, a server action) hands it this instead.
import { CompiledQuery } from "kysely";
import type { Tx } from "@/lib/db";
import type { SqlClient } from "./ingest";

export function sqlClientOf(tx: Tx): SqlClient {
  return {
    unsafe: async (query, params = []) => (await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(query, params))).rows,
  };
}
