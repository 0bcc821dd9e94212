import { randomUUID } from "node:crypto";
import type postgres from "postgres";

/** A connection or a transaction: every helper works in either. */
export type Db = postgres.ISql;

type Json = Record<string, unknown>;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  phone_confirmed_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  email: string | null;
}

const USER_COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
  confirmation_sent_at, recovery_sent_at, email_change, email_change_sent_at, last_sign_in_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, phone, phone_confirmed_at,
  banned_until, deleted_at, is_anonymous`;

export async function findUserById(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  const rows = await db.unsafe<UserRow[]>(
    `select ${USER_COLUMNS} from auth.users where id = $1${opts.forUpdate ? " for update" : ""}`,
    [id],
  );
  return rows[0] ?? null;
}

/** GoTrue's lookup: case-insensitive, SSO users excluded (they may share an address). */
export async function findUserByEmail(db: Db, email: string) {
  const rows = await db.unsafe<UserRow[]>(
    `select ${USER_COLUMNS} from auth.users where lower(email) = lower($1) and is_sso_user = false`,
    [email],
  );
  return rows[0] ?? null;
}

export function identitiesOf(db: Db, userId: string) {
  return db<IdentityRow[]>`
    select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
    from auth.identities where user_id = ${userId} order by created_at`;
}

export function isBanned(user: UserRow) {
  return !!user.banned_until && user.banned_until.getTime() > Date.now();
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

function identityJson(i: IdentityRow) {
  return {
    identity_id: i.id,
    id: i.provider_id,
    user_id: i.user_id,
    identity_data: i.identity_data,
    provider: i.provider,
    last_sign_in_at: iso(i.last_sign_in_at),
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
    email: i.email ?? undefined,
  };
}

/** The user object GoTrue returns (its `omitempty` fields left out when unset). */
export function userJson(u: UserRow, identities: IdentityRow[]) {
  const confirmedAt = [u.email_confirmed_at, u.phone_confirmed_at]
    .filter((d): d is Date => !!d)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    id: u.id,
    aud: u.aud ?? "authenticated",
    role: u.role ?? "authenticated",
    email: u.email ?? "",
    email_confirmed_at: iso(u.email_confirmed_at),
    phone: u.phone ?? "",
    phone_confirmed_at: iso(u.phone_confirmed_at),
    confirmation_sent_at: iso(u.confirmation_sent_at),
    confirmed_at: iso(confirmedAt),
    recovery_sent_at: iso(u.recovery_sent_at),
    new_email: u.email_change || undefined,
    email_change_sent_at: iso(u.email_change_sent_at),
    invited_at: iso(u.invited_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    banned_until: iso(u.banned_until),
    deleted_at: iso(u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
}
export type UserJson = ReturnType<typeof userJson>;

export async function loadUserJson(db: Db, user: UserRow) {
  return userJson(user, await identitiesOf(db, user.id));
}

/** GoTrue's metadata update: keys with null are removed, others set. */
export function mergeMetadata(current: Json | null, updates: Json | null | undefined): Json {
  const out: Json = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates ?? {})) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

export interface NewUser {
  email: string;
  encryptedPassword: string | null;
  userMetadata: Json;
  appMetadata?: Json;
  confirmed: boolean;
  invited?: boolean;
  role?: string;
  bannedUntil?: Date | null;
  /** Default `email`; an OAuth provider's user carries that provider's identity instead. */
  provider?: string;
  identity?: { providerId: string; data: Json };
}

/**
 * Inserts the user and its `email` identity the way GoTrue's sign-up does:
 * the identity data (sub, email, email_verified, phone_verified) is merged
 * into user_metadata. The on_auth_user_created trigger runs on this insert
 * and may refuse it (P0001 with a HINT); callers map that error.
 */
export async function insertUser(db: Db, u: NewUser): Promise<UserRow> {
  const id = randomUUID();
  const provider = u.provider ?? "email";
  const identityData = u.identity?.data ?? { sub: id, email: u.email, email_verified: u.confirmed, phone_verified: false };
  const userMetadata = { ...u.userMetadata, ...identityData };
  const appMetadata = { ...(u.appMetadata ?? {}), provider, providers: [provider] };
  const [row] = await db.unsafe<UserRow[]>(
    `insert into auth.users
       (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
        raw_app_meta_data, raw_user_meta_data, banned_until, is_sso_user, is_anonymous)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4,
             case when $5::boolean then now() end, case when $6::boolean then now() end,
             $7::jsonb, $8::jsonb, $9, false, false)
     returning ${USER_COLUMNS}`,
    [
      id,
      u.role ?? "authenticated",
      u.email,
      u.encryptedPassword,
      u.confirmed,
      u.invited ?? false,
      db.json(appMetadata as postgres.JSONValue),
      db.json(userMetadata as postgres.JSONValue),
      u.bannedUntil ?? null,
    ],
  );
  await db`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)
    values (${u.identity?.providerId ?? id}, ${id}, ${db.json(identityData as postgres.JSONValue)}, ${provider}, now())`;
  return row;
}

/** Marks the email confirmed, in the user and its identity (email_verified). */
export async function confirmEmail(db: Db, user: UserRow): Promise<UserRow> {
  if (user.email_confirmed_at && user.raw_user_meta_data?.email_verified !== false) return user;
  const [row] = await db.unsafe<UserRow[]>(
    `update auth.users
        set email_confirmed_at = coalesce(email_confirmed_at, now()),
            raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
            confirmation_token = '', updated_at = now()
      where id = $1 returning ${USER_COLUMNS}`,
    [user.id],
  );
  await db`
    update auth.identities
       set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
     where user_id = ${user.id} and provider = 'email'`;
  return row;
}

export async function updateUser(db: Db, id: string, set: Partial<Record<string, unknown>>): Promise<UserRow> {
  const entries = Object.entries(set).filter(([, v]) => v !== undefined);
  const assignments = entries.map(([column], i) => `${column} = $${i + 2}`).join(", ");
  // Objects are metadata columns (jsonb); everything else binds as is.
  const values = entries.map(([, v]) => (v !== null && typeof v === "object" && !(v instanceof Date) ? db.json(v as postgres.JSONValue) : v));
  const [row] = await db.unsafe<UserRow[]>(
    `update auth.users set ${assignments}${assignments ? ", " : ""}updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
    [id, ...(values as postgres.ParameterOrJSON<never>[])],
  );
  return row;
}

export type OneTimeTokenType = "confirmation_token" | "recovery_token";

/** Replaces the user's live token of this type (one per user and type, as in GoTrue). */
export async function saveOneTimeToken(db: Db, userId: string, type: OneTimeTokenType, hash: string, relatesTo: string) {
  await db`
    insert into auth.one_time_tokens (user_id, token_type, token_hash, relates_to)
    values (${userId}, ${type}, ${hash}, ${relatesTo})
    on conflict (user_id, token_type)
    do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
                  created_at = now(), updated_at = now()`;
  const column = type === "confirmation_token" ? "confirmation" : "recovery";
  await db.unsafe(`update auth.users set ${column}_token = $2, ${column}_sent_at = now() where id = $1`, [userId, hash]);
}

export interface OneTimeTokenRow {
  id: string;
  user_id: string;
  token_type: OneTimeTokenType;
  token_hash: string;
  created_at: Date;
}

/**
 * Takes a token out of the table: single use. Expiry is the caller's check;
 * a refusal rolls the removal back with the caller's transaction.
 */
export async function consumeOneTimeToken(db: Db, where: { hash: string; types: OneTimeTokenType[]; userId?: string }) {
  const rows = await db<OneTimeTokenRow[]>`
    delete from auth.one_time_tokens
     where id = (
       select id from auth.one_time_tokens
        where token_hash = ${where.hash} and token_type in ${db(where.types)}
          ${where.userId ? db`and user_id = ${where.userId}` : db``}
        order by created_at desc limit 1
        for update)
    returning id, user_id, token_type, token_hash, created_at`;
  const token = rows[0];
  if (token) {
    const column = token.token_type === "confirmation_token" ? "confirmation_token" : "recovery_token";
    await db.unsafe(`update auth.users set ${column} = '' where id = $1`, [token.user_id]);
  }
  return token ?? null;
}

export async function findOneTimeTokenOfUser(db: Db, userId: string, types: OneTimeTokenType[]) {
  return db<OneTimeTokenRow[]>`
    select id, user_id, token_type, token_hash, created_at from auth.one_time_tokens
     where user_id = ${userId} and token_type in ${db(types)}`;
}
