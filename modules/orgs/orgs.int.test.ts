import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createMember, createUser, useTestDatabase } from "@/tests/support/db";
import { hashInviteToken, newInviteToken } from "./invites";

const t = useTestDatabase();

async function invite(orgId: string, invitedBy: string, email: string, opts: { role?: string; expiresAt?: Date } = {}) {
  const { token, hash } = newInviteToken();
  await t.admin`
    insert into org_invites (org_id, email, role, token_hash, invited_by, expires_at)
    values (${orgId}, ${email}, ${opts.role ?? "member"}, ${hash}, ${invitedBy}, ${opts.expiresAt ?? new Date(Date.now() + 86400e3)})`;
  return token;
}

const countUsers = async (email: string) =>
  Number((await t.admin`select count(*)::int as n from auth.users where lower(email) = lower(${email})`)[0].n);

describe("invitation tokens", () => {
  it("hashes the same way in the app and in the database", async () => {
    const { token, hash } = newInviteToken();
    const [row] = await t.admin`select encode(sha256(convert_to(${token}, 'UTF8')), 'hex') as h`;
    expect(row.h).toBe(hash);
    expect(hashInviteToken(token)).toBe(hash);
  });
});

describe("accepting invitations", () => {
  it("refuses an expired invitation and creates no account", async () => {
    const owner = await createUser(t);
    const email = `late-${Date.now()}@example.test`;
    const token = await invite(owner.orgId, owner.id, email, { expiresAt: new Date(Date.now() - 1000) });
    await expect(createUser(t, { email, inviteToken: token })).rejects.toThrow(/expired/);
    expect(await countUsers(email)).toBe(0);
  });

  it("is single use, and refuses revoked and mismatched invitations", async () => {
    const owner = await createUser(t);
    const email = `once-${Date.now()}@example.test`;
    const token = await invite(owner.orgId, owner.id, email);
    await createUser(t, { email, inviteToken: token });
    await expect(createUser(t, { email: `other-${email}`, inviteToken: token })).rejects.toThrow(/already been used/);

    const revokedEmail = `revoked-${Date.now()}@example.test`;
    const revoked = await invite(owner.orgId, owner.id, revokedEmail);
    await t.admin`update org_invites set revoked_at = now() where email = ${revokedEmail}`;
    await expect(createUser(t, { email: revokedEmail, inviteToken: revoked })).rejects.toThrow(/not valid/);

    const meant = await invite(owner.orgId, owner.id, `meant-${Date.now()}@example.test`);
    await expect(createUser(t, { email: `thief-${Date.now()}@example.test`, inviteToken: meant })).rejects.toThrow(
      /another address/,
    );
    await expect(createUser(t, { inviteToken: "not-a-real-token-at-all" })).rejects.toThrow(/not valid/);
  });

  it("applies the org's email domain allow-list", async () => {
    const owner = await createUser(t);
    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("orgs").set({ allowed_email_domains: ["@Acme.COM "] }).where("id", "=", owner.orgId).execute(),
    );
    const [org] = await t.admin`select allowed_email_domains from orgs where id = ${owner.orgId}`;
    expect(org.allowed_email_domains).toEqual(["acme.com"]);
    const { hash } = newInviteToken();
    await expect(
      t.db.asUser(owner.claims, (tx) =>
        tx
          .insertInto("org_invites")
          .values({ org_id: owner.orgId, email: "x@gmail.com", role: "member", token_hash: hash, invited_by: owner.id })
          .execute(),
      ),
    ).rejects.toThrow(/gmail.com is not allowed/);
    await t.db.asUser(owner.claims, (tx) =>
      tx
        .insertInto("org_invites")
        .values({ org_id: owner.orgId, email: "x@acme.com", role: "member", token_hash: hash, invited_by: owner.id })
        .execute(),
    );
  });

  it("keeps one open invitation per address", async () => {
    const owner = await createUser(t);
    const email = `dup-${Date.now()}@example.test`;
    await invite(owner.orgId, owner.id, email);
    await expect(invite(owner.orgId, owner.id, email.toUpperCase())).rejects.toThrow(/duplicate key/);
  });

  it("lets only owners and admins see and create invitations", async () => {
    const owner = await createUser(t);
    const member = await createMember(t, owner.orgId, "member");
    const admin = await createMember(t, owner.orgId, "admin");
    expect(await t.db.asUser(member.claims, (tx) => tx.selectFrom("org_invites").select("id").execute())).toEqual([]);
    expect((await t.db.asUser(admin.claims, (tx) => tx.selectFrom("org_invites").select("id").execute())).length).toBe(2);
    const { hash } = newInviteToken();
    await expect(
      t.db.asUser(member.claims, (tx) =>
        tx
          .insertInto("org_invites")
          .values({ org_id: owner.orgId, email: "m@example.test", role: "member", token_hash: hash, invited_by: member.id })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      t.db.asUser(admin.claims, (tx) =>
        tx
          .insertInto("org_invites")
          .values({ org_id: owner.orgId, email: "o@example.test", role: "owner", token_hash: hash, invited_by: admin.id })
          .execute(),
      ),
    ).rejects.toThrow(/Only an owner/);
  });
});

describe("roles and membership", () => {
  it("lets owners and admins change roles, never members", async () => {
    const owner = await createUser(t);
    const member = await createMember(t, owner.orgId, "member");
    const admin = await createMember(t, owner.orgId, "admin");
    const setRole = (claims: typeof owner.claims, userId: string, role: "manager" | "owner" | "member") =>
      t.db.asUser(claims, (tx) =>
        tx.updateTable("org_members").set({ role }).where("user_id", "=", userId).executeTakeFirst(),
      );
    expect(Number((await setRole(member.claims, member.id, "manager")).numUpdatedRows)).toBe(0);
    expect(Number((await setRole(admin.claims, member.id, "manager")).numUpdatedRows)).toBe(1);
    await expect(setRole(admin.claims, member.id, "owner")).rejects.toThrow(/Only an owner/);
    await expect(setRole(admin.claims, owner.id, "member")).rejects.toThrow(/Only an owner/);
    expect(Number((await setRole(owner.claims, member.id, "owner")).numUpdatedRows)).toBe(1);
  });

  it("never leaves an org without an owner", async () => {
    const owner = await createUser(t);
    await expect(
      t.db.asUser(owner.claims, (tx) =>
        tx.updateTable("org_members").set({ role: "admin" }).where("user_id", "=", owner.id).execute(),
      ),
    ).rejects.toThrow(/at least one owner/);
    await expect(
      t.db.asUser(owner.claims, (tx) => tx.deleteFrom("org_members").where("user_id", "=", owner.id).execute()),
    ).rejects.toThrow(/at least one owner/);
  });

  it("removing a member deletes their account, membership and profile", async () => {
    const owner = await createUser(t);
    const member = await createMember(t, owner.orgId, "member");
    const [m] = await t.admin`select id from org_members where user_id = ${member.id}`;
    await expect(
      t.db.asUser(member.claims, (tx) => sql`select public.remove_member(${m.id})`.execute(tx)),
    ).rejects.toThrow(/not found|yourself/);
    await t.db.asUser(owner.claims, (tx) => sql`select public.remove_member(${m.id})`.execute(tx));
    expect(await countUsers(member.email)).toBe(0);
    expect((await t.admin`select 1 from profiles where user_id = ${member.id}`).length).toBe(0);
  });
});

describe("audit log", () => {
  it("records who changed which fields, readable by admins only", async () => {
    const owner = await createUser(t, { orgName: "Before" });
    const member = await createMember(t, owner.orgId, "member");
    await t.db.asUser(owner.claims, (tx) =>
      tx.updateTable("orgs").set({ name: "After" }).where("id", "=", owner.orgId).execute(),
    );
    const rows = await t.db.asUser(owner.claims, (tx) =>
      tx.selectFrom("audit_log").selectAll().where("table_name", "=", "orgs").where("action", "=", "update").execute(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: owner.id, actor_type: "user", record_id: owner.orgId });
    expect(rows[0].changes).toEqual({ name: ["Before", "After"] });
    expect(await t.db.asUser(member.claims, (tx) => tx.selectFrom("audit_log").select("id").execute())).toEqual([]);
    const secrets = await t.admin`select 1 from audit_log where changes ? 'token_hash'`;
    expect(secrets).toHaveLength(0);
  });
});

describe("invite-only deployments", () => {
  it("refuses to create a new org on sign-up but still accepts invitations", async () => {
    const owner = await createUser(t);
    await t.admin`update private.settings set value = 'invite_only' where key = 'signup_mode'`;
    try {
      const email = `closed-${Date.now()}@example.test`;
      await expect(createUser(t, { email })).rejects.toThrow(/invitation only/);
      expect(await countUsers(email)).toBe(0);
      const member = await createMember(t, owner.orgId, "member");
      expect(member.orgId).toBe(owner.orgId);
    } finally {
      await t.admin`update private.settings set value = 'open' where key = 'signup_mode'`;
    }
  });
});
