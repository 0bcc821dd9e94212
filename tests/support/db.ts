import { randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { createDatabase, type Claims, type Database } from "@/lib/db";
import { LOCAL_DB_PASSWORD, LOCAL_ROLE_PASSWORDS } from "./constants.ts";

export interface TestDatabase {
  name: string;
  /** Superuser connection: set-up and assertions only, bypasses RLS. */
  admin: postgres.Sql;
  /** Superuser URL of this database. */
  adminUrl: string;
  /** URL of the app's login role for this database. */
  appUrl: string;
  /** The app's database layer on this database. */
  db: Database;
}

function url(user: string, password: string, database: string) {
  return `postgres://${user}:${password}@127.0.0.1:${inject("pgPort")}/${database}`;
}

/**
 * A fresh database for this test file, cloned from the migrated template.
 * Also points DATABASE_URL at it, so app code under test uses it.
 */
export function useTestDatabase(): TestDatabase {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const t = {} as TestDatabase;
  beforeAll(async () => {
    const root = postgres(url(inject("pgAdminUser"), LOCAL_DB_PASSWORD, "postgres"), { max: 1, onnotice: () => {} });
    await root.unsafe(`create database ${name} template covey_template owner postgres`);
    await root.end();
    t.name = name;
    t.adminUrl = url(inject("pgAdminUser"), LOCAL_DB_PASSWORD, name);
    t.admin = postgres(t.adminUrl, { max: 2, onnotice: () => {} });
    t.appUrl = url("covey_app", LOCAL_ROLE_PASSWORDS.covey_app, name);
    process.env.DATABASE_URL = t.appUrl;
    t.db = createDatabase(t.appUrl, { max: 4 });
  });
  afterAll(async () => {
    await t.db?.destroy();
    await t.admin?.end();
    const root = postgres(url(inject("pgAdminUser"), LOCAL_DB_PASSWORD, "postgres"), { max: 1, onnotice: () => {} });
    await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  });
  return t;
}

export interface TestUser {
  id: string;
  email: string;
  orgId: string;
  claims: Claims;
}

/**
 * Signs a user up the way Supabase Auth does (an auth.users insert, which
 * the sign-up trigger turns into an org + owner, or an invited member).
 */
export async function createUser(
  t: TestDatabase,
  opts: { email?: string; orgName?: string; fullName?: string; inviteToken?: string; template?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? `user-${randomUUID().slice(0, 8)}@example.test`;
  const meta: Record<string, string> = { full_name: opts.fullName ?? "Test User" };
  if (opts.orgName) meta.org_name = opts.orgName;
  if (opts.inviteToken) meta.invite_token = opts.inviteToken;
  if (opts.template) meta.org_template = opts.template;
  const [user] = await t.admin`
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
    values (${email}, extensions.crypt('password123', extensions.gen_salt('bf', 4)), now(), ${t.admin.json(meta)}, 'authenticated', 'authenticated')
    returning id`;
  const [member] = await t.admin`select org_id from public.org_members where user_id = ${user.id}`;
  return {
    id: user.id,
    email,
    orgId: member.org_id,
    claims: { sub: user.id, email, role: "authenticated", aud: "authenticated" },
  };
}

/** Creates a member of `orgId` with `role` directly (set-up shortcut). */
export async function createMember(
  t: TestDatabase,
  orgId: string,
  role: "owner" | "admin" | "manager" | "member",
): Promise<TestUser> {
  const token = randomBytes(16).toString("hex");
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const [owner] = await t.admin`select user_id from org_members where org_id = ${orgId} and role = 'owner' limit 1`;
  await t.admin`
    insert into org_invites (org_id, email, role, token_hash, invited_by)
    values (${orgId}, ${email}, ${role}, encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), ${owner.user_id})`;
  return createUser(t, { email, inviteToken: token });
}
