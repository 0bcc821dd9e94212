import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/permissions";
import { getMe } from "@/modules/api/resources/me";
import { sql } from "@/lib/db";
import { startOfDay } from "@/lib/time";
import { callApi } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { outcome } from "@/tests/support/outcome";
import * as commands from "./commands";
import { listApiKeys } from "./queries";
import { isoDate } from "./schema";
import { createApiKey } from "./service";

const t = useTestDatabase();

// Each command as Settings → API's action answers it.
const createKey = (...a: Parameters<typeof commands.createKey>) => outcome(commands.createKey(...a));
const revokeKey = (...a: Parameters<typeof commands.revokeKey>) => outcome(commands.revokeKey(...a));
const renameKey = (...a: Parameters<typeof commands.renameKey>) => outcome(commands.renameKey(...a));

async function sessionOf(u: TestUser): Promise<Session> {
  const [row] = await t.admin`
    select m.role, o.name from org_members m join orgs o on o.id = m.org_id where m.user_id = ${u.id}`;
  return {
    claims: u.claims,
    user: { id: u.id, email: u.email, name: u.email, timeZone: null },
    org: { id: u.orgId, name: row.name },
    role: row.role as Role,
  };
}

const keysOf = (s: Session) => t.db.asUser(s.claims, (tx) => listApiKeys(tx));
const countKeys = async (orgId: string) =>
  Number((await t.admin`select count(*)::int as n from api_keys where org_id = ${orgId}`)[0].n);

let owner: Session;
let admin: Session;
let manager: Session;
let member: Session;
let outsider: Session;

beforeAll(async () => {
  const o = await createUser(t, { orgName: "Keys Co", fullName: "Olive Owner" });
  owner = await sessionOf(o);
  admin = await sessionOf(await createMember(t, o.orgId, "admin"));
  manager = await sessionOf(await createMember(t, o.orgId, "manager"));
  member = await sessionOf(await createMember(t, o.orgId, "member"));
  outsider = await sessionOf(await createUser(t, { orgName: "Other Co" }));
});

describe("creating a key", () => {
  it("returns the token once, stores only its hash, and the key works at once", async () => {
    const r = await createKey(owner, { name: " Zapier sync ", scopes: ["people:read", "deals:write"], expiry: "never" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { id, prefix, token, name } = r.data;
    expect(name).toBe("Zapier sync");
    expect(token).toMatch(/^covey_[a-z0-9]{8}_[A-Za-z0-9_-]{20,}$/);
    expect(token.startsWith(`${prefix}_`)).toBe(true);

    const [stored] = await t.admin`select * from api_keys where id = ${id}`;
    expect(stored.secret_hash).toEqual(createHash("sha256").update(token).digest());
    expect(JSON.stringify(stored)).not.toContain(token.slice(15));
    const audit = await t.admin`select changes::text from audit_log where table_name = 'api_keys' and record_id = ${id}`;
    expect(audit.length).toBeGreaterThan(0);
    for (const a of audit) expect(a.changes).not.toMatch(/secret_hash|covey_[a-z0-9]{8}_/);

    // The list never carries the secret: only the prefix is shown again.
    const listed = (await keysOf(owner)).find((k) => k.id === id)!;
    expect(listed).toMatchObject({ name: "Zapier sync", prefix, status: "active", createdBy: "Olive Owner", lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token.slice(15));

    const me = await callApi(getMe, { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ prefix, org: { id: owner.org.id }, scopes: ["people:read", "deals:write"] });
    expect((await keysOf(owner)).find((k) => k.id === id)!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("lets admins create keys and applies the chosen expiry", async () => {
    const in30 = await createKey(admin, { name: "Month", scopes: ["tasks:read"], expiry: "30" });
    const on = isoDate(new Date(Date.now() + 10 * 86400e3));
    const custom = await createKey(admin, { name: "Dated", scopes: ["tasks:read"], expiry: "custom", expiresOn: on });
    expect(in30.ok && custom.ok).toBe(true);
    const keys = await keysOf(admin);
    const month = keys.find((k) => k.name === "Month")!;
    expect(Math.abs(month.expiresAt!.getTime() - (Date.now() + 30 * 86400e3))).toBeLessThan(60_000);
    const dated = keys.find((k) => k.name === "Dated")!;
    expect(dated.expiresAt!.toISOString()).toBe(new Date(Date.parse(`${on}T00:00:00Z`) + 86400e3).toISOString());
    // In the member's zone, the chosen day ends at their midnight.
    const zoned = await createKey(admin, { name: "Dated in Auckland", scopes: ["tasks:read"], expiry: "custom", expiresOn: "2027-06-30" }, "Pacific/Auckland");
    expect(zoned.ok).toBe(true);
    const inAuckland = (await keysOf(admin)).find((k) => k.name === "Dated in Auckland")!;
    expect(inAuckland.expiresAt!.toISOString()).toBe("2027-06-30T12:00:00.000Z");
    // UTC's today is over at 10:00 UTC on Kiritimati (UTC+14): a key made then may not expire on it.
    const today = isoDate(new Date());
    const afterItsMidnight = new Date(startOfDay(isoDate(new Date(Date.now() + 86400e3)), "Pacific/Kiritimati").getTime() + 60_000);
    const late = await createKey(
      admin,
      { name: "Too late", scopes: ["tasks:read"], expiry: "custom", expiresOn: today },
      "Pacific/Kiritimati",
      afterItsMidnight,
    );
    expect(!late.ok && late.fieldErrors).toEqual({ expiresOn: "The date is in the past" });
  });

  it("refuses members and managers, in the action and in the database", async () => {
    const before = await countKeys(owner.org.id);
    for (const s of [member, manager]) {
      const r = await createKey(s, { name: "Sneaky", scopes: ["people:read"], expiry: "never" });
      expect(r).toEqual({ ok: false, code: "forbidden", error: "Only owners and admins manage API keys." });
      // Past the role check, RLS still refuses the insert.
      await expect(
        t.db.asUser(s.claims, (tx) =>
          createApiKey(tx, { orgId: s.org.id, userId: s.user.id }, { name: "Sneaky", scopes: ["people:read"] }),
        ),
      ).rejects.toThrow(/row-level security/);
      expect(await keysOf(s)).toEqual([]);
    }
    expect(await countKeys(owner.org.id)).toBe(before);
  });

  it("names each invalid field and writes nothing", async () => {
    const before = await countKeys(owner.org.id);
    const r = await createKey(owner, { name: "  ", scopes: [], expiry: "never" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors).toEqual({ name: "Name the key", scopes: "Choose at least one scope" });
    const badScope = await createKey(owner, { name: "x", scopes: ["people:delete"], expiry: "never" });
    expect(!badScope.ok && badScope.fieldErrors?.["scopes.0"]).toBe("Not a known scope");
    const past = await createKey(owner, { name: "x", scopes: ["people:read"], expiry: "custom", expiresOn: "2020-01-01" });
    expect(!past.ok && past.fieldErrors).toEqual({ expiresOn: "The date is in the past" });
    const missing = await createKey(owner, { name: "x", scopes: ["people:read"], expiry: "custom" });
    expect(!missing.ok && missing.fieldErrors).toEqual({ expiresOn: "Pick the date the key expires" });
    expect(await countKeys(owner.org.id)).toBe(before);
  });
});

describe("checking a key", () => {
  it("answers the request's org from the key check itself, and only for that transaction's claims", async () => {
    const r = await createKey(owner, { name: "Memo", scopes: ["people:read"], expiry: "never" });
    if (!r.ok) throw new Error(r.error);
    const seen = await t.db.asApiKey(r.data.token, async (tx) => {
      const { rows } = await sql<{ remembered: boolean; org: string; after: string | null }>`
        select current_setting('covey.current_org_for', true) = current_setting('request.jwt.claims', true) as remembered,
               private.current_org_id()::text as org,
               case when set_config('request.jwt.claims', ${JSON.stringify({ sub: outsider.user.id, role: "authenticated" })}, true) is not null
                    then private.current_org_id()::text end as after`.execute(tx);
      return rows[0];
    });
    // The memo holds the key's org; other claims in the same transaction look their own org up.
    expect(seen).toEqual({ remembered: true, org: owner.org.id, after: outsider.org.id });

    const tooLong = `${r.data.token.slice(0, 15)}${"a".repeat(101)}`;
    const refused = await t.db.asApiKey(tooLong, async () => "answered").catch((e: { code?: string; hint?: string }) => e);
    expect(refused).toMatchObject({ code: "28000", hint: "malformed" });
  });
});

describe("revoking and renaming", () => {
  it("revokes a key: the API refuses it from the next request, the list shows who and when", async () => {
    const r = await createKey(owner, { name: "Short-lived", scopes: ["people:read"], expiry: "never" });
    if (!r.ok) throw new Error(r.error);
    expect((await callApi(getMe, { token: r.data.token })).status).toBe(200);

    expect(await revokeKey(member, { id: r.data.id })).toEqual({ ok: false, code: "forbidden", error: "Only owners and admins manage API keys." });
    expect(await revokeKey(outsider, { id: r.data.id })).toEqual({
      ok: false,
      code: "not_found",
      error: "That key no longer exists or was already revoked.",
    });
    expect((await callApi(getMe, { token: r.data.token })).status).toBe(200);

    expect(await revokeKey(admin, { id: r.data.id })).toEqual({ ok: true, data: undefined });
    const me = await callApi(getMe, { token: r.data.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("unauthorized");

    const listed = (await keysOf(owner)).find((k) => k.id === r.data.id)!;
    expect(listed.status).toBe("revoked");
    expect(listed.revokedAt).toBeInstanceOf(Date);
    expect(listed.revokedBy).toBe("Test User");
    const [row] = await t.admin`select revoked_by from api_keys where id = ${r.data.id}`;
    expect(row.revoked_by).toBe(admin.user.id);

    expect((await revokeKey(owner, { id: r.data.id })).ok).toBe(false);
    expect((await renameKey(owner, { id: r.data.id, name: "Renamed" })).ok).toBe(false);
    // Revoked keys sort after live ones.
    const keys = await keysOf(owner);
    expect(keys.findIndex((k) => k.status === "revoked")).toBeGreaterThan(keys.findLastIndex((k) => k.status !== "revoked"));
  });

  it("renames a live key within the org only", async () => {
    const r = await createKey(owner, { name: "Old name", scopes: ["notes:read"], expiry: "never" });
    if (!r.ok) throw new Error(r.error);
    expect((await renameKey(outsider, { id: r.data.id, name: "Hijacked" })).ok).toBe(false);
    expect(await renameKey(owner, { id: r.data.id, name: "" })).toMatchObject({ ok: false, fieldErrors: { name: "Name the key" } });
    expect((await renameKey(owner, { id: r.data.id, name: "New name" })).ok).toBe(true);
    expect((await keysOf(owner)).find((k) => k.id === r.data.id)!.name).toBe("New name");
    expect(await keysOf(outsider)).toEqual([]);
  });

  it("refuses a malformed id with a field message", async () => {
    expect(await revokeKey(owner, { id: "not-a-uuid" })).toMatchObject({ ok: false, fieldErrors: { id: "Not a key id" } });
  });
});
