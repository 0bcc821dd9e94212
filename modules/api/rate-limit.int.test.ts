// The REST API's per-key rate limit lives in the database, so app instances
// (each with its own pool, as every Vercel function instance has) share it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@/lib/db";
import { createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let instances: [Database, Database];
const notices: string[] = [];

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Limits Co" });
  const onnotice = (n: { severity?: unknown; message?: unknown }) => notices.push(`${n.severity}: ${n.message}`);
  instances = [createDatabase(t.appUrl, { max: 2, onnotice }), createDatabase(t.appUrl, { max: 2, onnotice })];
});
afterAll(async () => {
  await Promise.all(instances?.map((db) => db.destroy()) ?? []);
});

const retryAfter = (db: Database, token: string) => db.asApiKey(token, async (_tx, _claims, wait) => wait);

describe("the API rate limit", () => {
  it("is one bucket per key across app instances", async () => {
    const { token } = await createTestKey(t, owner, ["people:read"], { rateLimitPerMinute: 4 });
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await retryAfter(instances[i % 2], token));
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // One token comes back every 15 s at 4 a minute.
    expect(waits[4]).toBeGreaterThan(0);
    expect(waits[4]).toBeLessThanOrEqual(15);
    // Another key has its own bucket.
    const other = await createTestKey(t, owner, ["people:read"], { rateLimitPerMinute: 4 });
    expect(await retryAfter(instances[0], other.token)).toBe(0);
    // Nothing in the batch makes the server warn (and log) on every request.
    expect(notices).toEqual([]);
  });

  it("hands out exactly the bucket's tokens to concurrent requests, the key's first included", async () => {
    const { token } = await createTestKey(t, owner, ["people:read"], { rateLimitPerMinute: 8 });
    const waits = await Promise.all(Array.from({ length: 14 }, (_, i) => retryAfter(instances[i % 2], token)));
    expect(waits.filter((w) => w === 0)).toHaveLength(8);
  });

  it("does not make a key's requests wait for each other's transactions", async () => {
    const { token } = await createTestKey(t, owner, ["people:read"], { rateLimitPerMinute: 100 });
    // A key's first use records it (last_used_at), which the next minute's requests skip.
    expect(await retryAfter(instances[0], token)).toBe(0);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const long = instances[0].asApiKey(token, async () => {
      entered();
      await gate;
    });
    await inside;
    // The first request's transaction is still open; the second takes its token and finishes.
    expect(await retryAfter(instances[1], token)).toBe(0);
    release();
    await long;
    const [bucket] = await t.admin`
      select round(b.tokens)::int as tokens from private.api_rate_buckets b
        join api_keys k on k.id = b.key_id where k.prefix = ${token.slice(0, 14)}`;
    expect(bucket.tokens).toBe(97);
  });

  it("takes no token for a token that names no key, which authentication then refuses", async () => {
    const unknown = `covey_zzzzzzzz_${"a".repeat(30)}`;
    await expect(retryAfter(instances[0], unknown)).rejects.toMatchObject({ code: "28000", hint: "unknown" });
    const [{ n }] = await t.admin`select count(*)::int as n from private.api_rate_buckets`;
    expect(n).toBe(4);
  });
});
