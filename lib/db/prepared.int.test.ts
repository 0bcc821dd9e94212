import { describe, expect, it } from "vitest";
import { createDatabase, sql, type Tx } from "@/lib/db";
import { createUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

/** Prepared statements of the session the transaction runs on whose text contains `marker`. */
async function preparedWith(tx: Tx, marker: string) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`.execute(tx);
  return rows[0].n;
}

describe("Unix-domain socket", () => {
  it("connects through ?host=<socket directory>, as the embedded stack does", async () => {
    const user = await createUser(t);
    const db = createDatabase(`${t.appUrl}?host=/tmp`, { max: 1 });
    try {
      const seen = await db.asUser(user.claims, async (tx) => {
        const { rows } = await sql<{ socket: boolean }>`select inet_client_addr() is null as socket`.execute(tx);
        const orgs = await tx.selectFrom("orgs").select("id").execute();
        return { socket: rows[0].socket, orgs: orgs.map((o) => o.id) };
      });
      expect(seen).toEqual({ socket: true, orgs: [user.orgId] });
    } finally {
      await db.destroy();
    }
  });
});

describe("prepared statements", () => {
  it("keeps each query prepared on its connection, with and without parameters, under RLS", async () => {
    const user = await createUser(t);
    const db = createDatabase(t.appUrl, { max: 1, prepare: true });
    try {
      for (let i = 0; i < 3; i++) {
        const seen = await db.asUser(user.claims, async (tx) => {
          const orgs = await tx.selectFrom("orgs").select("id").where("id", "=", user.orgId).execute();
          const { rows } = await sql<{ one: number }>`select 1 as one /* prepared-marker */`.execute(tx);
          return { orgs: orgs.length, one: rows[0].one, prepared: await preparedWith(tx, "prepared-marker") };
        });
        expect(seen).toEqual({ orgs: 1, one: 1, prepared: 1 });
      }
    } finally {
      await db.destroy();
    }
  });

  it("writes a builder's whole-number limit into the SQL, so the prepared plan is reused", async () => {
    const user = await createUser(t);
    const seen = await t.db.asUser(user.claims, async (tx) => {
      const query = tx.selectFrom("orgs").select("id").where("id", "=", user.orgId).limit(5);
      const compiled = query.compile();
      return { sql: compiled.sql, parameters: compiled.parameters, rows: (await query.execute()).length };
    });
    expect(seen.sql).toMatch(/ limit 5$/);
    expect(seen.parameters).toEqual([user.orgId]);
    expect(seen.rows).toBe(1);
  });

  it("prepares nothing when told not to (transaction-mode poolers)", async () => {
    const user = await createUser(t);
    const db = createDatabase(t.appUrl, { max: 1, prepare: false });
    try {
      const prepared = await db.asUser(user.claims, async (tx) => {
        await sql`select 1 as one /* unprepared-marker */`.execute(tx);
        await tx.selectFrom("orgs").select("id").where("id", "=", user.orgId).execute();
        return preparedWith(tx, "unprepared-marker");
      });
      expect(prepared).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
