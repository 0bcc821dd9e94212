// A token's session must still exist for the token to reach any data
// (private.require_live_session, called by every user transaction). Runs on
// the hosted-shaped cluster too, where `postgres` owns the check and Auth
// owns auth.sessions, as on Supabase.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t);
});

const companiesSeen = (sessionId: string) =>
  t.db.asUser({ ...user.claims, session_id: sessionId }, (tx) => tx.selectFrom("companies").select("id").execute());

describe("a user's token", () => {
  it("reaches data while its session exists, and nothing once it has ended", async () => {
    const sessionId = randomUUID();
    await t.admin`insert into auth.sessions (id, user_id) values (${sessionId}, ${user.id})`;
    await expect(companiesSeen(sessionId)).resolves.toEqual([]);
    await t.admin`delete from auth.sessions where id = ${sessionId}`;
    await expect(companiesSeen(sessionId)).rejects.toMatchObject({ code: "28000" });
  });

  it("names a session that never existed and is refused", async () => {
    await expect(companiesSeen(randomUUID())).rejects.toMatchObject({ code: "28000" });
  });
});
