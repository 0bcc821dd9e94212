// Stored secrets on real Postgres: the sealed value never reaches the
// `authenticated` role, only owners and admins store one, service_role
// reads and re-seals, and a row moved to another org does not open.
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { generateKeySpec, openSecret, parseKeyring, SecretDecryptError } from "./envelope";
import { storeSecret } from "./member";
import { readSecret, resealSecrets } from "./store";

const t = useTestDatabase();
const TOKEN = "EAAGm0PX4ZCpsBAKsecret-page-token-4321";
const PURPOSE = "meta.page_token:101";
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let other: TestUser;

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Secret keepers" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Elsewhere" });
});
afterAll(async () => {
  await service?.end();
});

describe("org secrets", () => {
  it("stores a sealed secret for an admin, readable only by service_role", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    const stored = await t.db.asUser(owner.claims, (tx) => storeSecret(tx, keyring, { purpose: PURPOSE, plaintext: TOKEN }));
    expect(stored.hint).toBe("4321");

    // A member sees that it exists and its hint…
    const visible = await t.db.asUser(member.claims, (tx) =>
      sql<{ purpose: string; hint: string; key_id: string }>`select purpose, hint, key_id from org_secrets`.execute(tx),
    );
    expect(visible.rows).toEqual([{ purpose: PURPOSE, hint: "4321", key_id: "k1" }]);
    // …but neither a member nor the owner can select the sealed value, in any form.
    for (const who of [member, owner]) {
      await expect(t.db.asUser(who.claims, (tx) => sql`select secret from org_secrets`.execute(tx))).rejects.toMatchObject({ code: "42501" });
      await expect(t.db.asUser(who.claims, (tx) => sql`select s.* from org_secrets s`.execute(tx))).rejects.toMatchObject({ code: "42501" });
      await expect(t.db.asUser(who.claims, (tx) => sql`select to_jsonb(s) from org_secrets s`.execute(tx))).rejects.toMatchObject({ code: "42501" });
    }
    // Another org sees nothing.
    const elsewhere = await t.db.asUser(other.claims, (tx) => sql`select id from org_secrets`.execute(tx));
    expect(elsewhere.rows).toEqual([]);

    expect(await readSecret(service, keyring, { orgId: owner.orgId, purpose: PURPOSE })).toBe(TOKEN);
    expect(await readSecret(service, keyring, { orgId: owner.orgId, purpose: "meta.page_token:999" })).toBeNull();

    // The audit log records the change without the sealed value or the plaintext.
    const audit = await t.admin`select changes::text as changes from audit_log where table_name = 'org_secrets'`;
    expect(audit.length).toBe(1);
    expect(audit[0].changes).not.toContain("v1.k1.");
    expect(audit[0].changes).not.toContain(TOKEN);
    expect(audit[0].changes).toContain("4321");
  });

  it("refuses members: only owners and admins store secrets, and not by writing the table", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    await expect(
      t.db.asUser(member.claims, (tx) => storeSecret(tx, keyring, { purpose: "meta.page_token:202", plaintext: TOKEN })),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      t.db.asUser(owner.claims, (tx) =>
        sql`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, 'x', 'v1.k1.a.b.c.d', 'k1')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      t.db.asUser(owner.claims, (tx) => sql`update org_secrets set hint = 'xxxx'`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("a row copied to another org does not decrypt there", async () => {
    const keyring = await parseKeyring(generateKeySpec("k1"));
    await t.db.asUser(owner.claims, (tx) => storeSecret(tx, keyring, { purpose: "meta.page_token:303", plaintext: TOKEN }));
    await t.admin`insert into org_secrets (org_id, purpose, secret, key_id)
                  select ${other.orgId}, purpose, secret, key_id from org_secrets
                  where org_id = ${owner.orgId} and purpose = 'meta.page_token:303'`;
    await expect(readSecret(service, keyring, { orgId: other.orgId, purpose: "meta.page_token:303" })).rejects.toBeInstanceOf(
      SecretDecryptError,
    );
  });

  it("rotation re-seals every secret under the active key while the old key still opens them", async () => {
    const k1 = generateKeySpec("r1");
    const k2 = generateKeySpec("r2");
    const before = await parseKeyring(k1);
    const purposes = ["twilio.auth_token:a", "twilio.auth_token:b", "twilio.auth_token:c"];
    for (const purpose of purposes) {
      await t.db.asUser(owner.claims, (tx) => storeSecret(tx, before, { purpose, plaintext: `${TOKEN}-${purpose}` }));
    }
    const during = await parseKeyring(`${k2},${k1}`);
    // Readers open both forms while the re-seal runs.
    expect(await readSecret(service, during, { orgId: owner.orgId, purpose: purposes[0] })).toBe(`${TOKEN}-${purposes[0]}`);

    const result = await resealSecrets(service, during, 2);
    // Rows sealed under keys this keyring no longer lists (earlier tests' k1) are reported, not lost.
    expect(result.resealed).toBe(3);
    expect(result.failed).toBe(await t.admin`select count(*)::int as n from org_secrets where key_id = 'k1'`.then(([r]) => r.n));

    const after = await parseKeyring(k2);
    const rows = await t.admin`select org_id, purpose, secret, key_id from org_secrets where purpose like 'twilio.%'`;
    expect(rows.map((r) => r.key_id)).toEqual(["r2", "r2", "r2"]);
    for (const r of rows) {
      expect(await openSecret(after, r.secret, { orgId: r.org_id, purpose: r.purpose })).toBe(`${TOKEN}-${r.purpose}`);
    }
    expect((await resealSecrets(service, during)).resealed).toBe(0);
  });
});
