// supabase.auth.admin.*: user management with the secret key.
import { z } from "zod";
import { type Context, metadata, optString, parseBody, requireAdmin, validateEmail, validatePassword } from "./context.ts";
import { hashPassword } from "./crypto.ts";
import { badRequest, DUPLICATE_EMAIL, fromDatabaseError, notFound, unprocessable } from "./errors.ts";
import {
  confirmEmail,
  type Db,
  findUserByEmail,
  findUserById,
  identitiesOf,
  insertUser,
  loadUserJson,
  mergeMetadata,
  updateUser,
  userJson,
  type UserRow,
} from "./store.ts";

const UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** ban_duration is a Go duration ("24h", "1h30m") or "none" to lift a ban. */
function banUntil(duration: string): Date | null {
  if (duration === "none") return null;
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== duration) {
    throw badRequest("validation_failed", "invalid format for ban duration: time: invalid duration " + JSON.stringify(duration));
  }
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS_MS[unit], 0);
  return new Date(Date.now() + ms);
}

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

async function passwordColumn(ctx: Context, password?: string | null, passwordHash?: string | null) {
  if (passwordHash) {
    if (!BCRYPT_HASH.test(passwordHash)) throw badRequest("validation_failed", "Invalid password hash format");
    return passwordHash;
  }
  if (password == null || password === "") return undefined;
  validatePassword(ctx, password);
  return hashPassword(password);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function userOr404(db: Db, id: string, forUpdate = false): Promise<UserRow> {
  const user = UUID.test(id) ? await findUserById(db, id, { forUpdate }) : null;
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

const CreateBody = z.object({
  email: optString,
  phone: optString,
  password: optString,
  password_hash: optString,
  email_confirm: z.boolean().nullish(),
  user_metadata: metadata,
  app_metadata: metadata,
  role: optString,
  ban_duration: optString,
});

/** POST /admin/users: admin.createUser(); password_hash accepts an existing bcrypt hash. */
export async function createUser(ctx: Context): Promise<Response> {
  requireAdmin(ctx);
  const body = await parseBody(ctx, CreateBody);
  if (body.phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  if (!body.email) throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  const email = validateEmail(body.email);
  const encryptedPassword = (await passwordColumn(ctx, body.password, body.password_hash)) ?? null;
  const bannedUntil = body.ban_duration ? banUntil(body.ban_duration) : null;
  const json = await ctx.db.begin(async (tx) => {
    if (await findUserByEmail(tx, email)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
    let user;
    try {
      user = await insertUser(tx, {
        email,
        encryptedPassword,
        userMetadata: body.user_metadata ?? {},
        appMetadata: body.app_metadata ?? {},
        confirmed: body.email_confirm === true,
        role: body.role ?? undefined,
        bannedUntil,
      });
    } catch (e) {
      throw fromDatabaseError(e, "Database error creating new user", unprocessable("email_exists", DUPLICATE_EMAIL));
    }
    return loadUserJson(tx, user);
  });
  return Response.json(json);
}

/** GET /admin/users?page=1&per_page=50: admin.listUsers(). */
export async function listUsers(ctx: Context): Promise<Response> {
  requireAdmin(ctx);
  const page = Math.max(1, Number(ctx.url.searchParams.get("page")) || 1);
  const perPage = Math.min(1000, Math.max(1, Number(ctx.url.searchParams.get("per_page")) || 50));
  const [{ count }] = await ctx.db<{ count: number }[]>`select count(*)::int as count from auth.users`;
  const ids = await ctx.db<{ id: string }[]>`
    select id from auth.users order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`;
  const users = [];
  for (const { id } of ids) {
    const user = (await findUserById(ctx.db, id))!;
    users.push(userJson(user, await identitiesOf(ctx.db, id)));
  }
  // supabase-js reads the total and the next/last pages from these headers.
  const lastPage = Math.max(1, Math.ceil(count / perPage));
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set("page", String(p));
    url.searchParams.set("per_page", String(perPage));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [...(page < lastPage ? [link(page + 1, "next")] : []), link(lastPage, "last")];
  return Response.json(
    { users, aud: "authenticated" },
    { headers: { "x-total-count": String(count), link: links.join(", ") } },
  );
}

export async function getUserById(ctx: Context, id: string): Promise<Response> {
  requireAdmin(ctx);
  return Response.json(await loadUserJson(ctx.db, await userOr404(ctx.db, id)));
}

// GoTrue accepts the same fields on update as on create.
const UpdateBody = CreateBody;

/**
 * PUT /admin/users/:id: admin.updateUserById(). A new password or a ban
 * ends all of the user's sessions, as in GoTrue.
 */
export async function updateUserById(ctx: Context, id: string): Promise<Response> {
  requireAdmin(ctx);
  const body = await parseBody(ctx, UpdateBody);
  if (body.phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  const encryptedPassword = await passwordColumn(ctx, body.password, body.password_hash);
  const bannedUntil = body.ban_duration ? banUntil(body.ban_duration) : undefined;
  const json = await ctx.db.begin(async (tx) => {
    let user = await userOr404(tx, id, true);
    if (body.email && body.email.toLowerCase() !== user.email?.toLowerCase()) {
      const email = validateEmail(body.email);
      const other = await findUserByEmail(tx, email);
      if (other && other.id !== user.id) throw unprocessable("email_exists", DUPLICATE_EMAIL);
      user = await updateUser(tx, user.id, {
        email,
        raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, { email }),
      });
      await tx`
        update auth.identities set identity_data = identity_data || ${tx.json({ email })}, updated_at = now()
         where user_id = ${user.id} and provider = 'email'`;
    }
    if (body.email_confirm === true) user = await confirmEmail(tx, user);
    if (body.user_metadata) {
      user = await updateUser(tx, user.id, { raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, body.user_metadata) });
    }
    if (body.app_metadata) {
      user = await updateUser(tx, user.id, { raw_app_meta_data: mergeMetadata(user.raw_app_meta_data, body.app_metadata) });
    }
    if (body.role) user = await updateUser(tx, user.id, { role: body.role });
    if (encryptedPassword !== undefined || bannedUntil !== undefined) {
      user = await updateUser(tx, user.id, { encrypted_password: encryptedPassword, banned_until: bannedUntil });
      if (encryptedPassword !== undefined || bannedUntil) {
        await tx`delete from auth.sessions where user_id = ${user.id}`;
      }
    }
    return loadUserJson(tx, user);
  });
  return Response.json(json);
}

const DeleteBody = z.object({ should_soft_delete: z.boolean().nullish() });

/**
 * DELETE /admin/users/:id. A hard delete cascades through the app's tables
 * (org_members, profiles); when a trigger refuses (e.g. an org's last
 * owner), GoTrue's 500 "Database error deleting user" comes back.
 */
export async function deleteUserById(ctx: Context, id: string): Promise<Response> {
  requireAdmin(ctx);
  const body = await parseBody(ctx, DeleteBody);
  await ctx.db.begin(async (tx) => {
    const user = await userOr404(tx, id, true);
    try {
      if (body.should_soft_delete) {
        // GoTrue's soft delete: the row stays (for references) but can no
        // longer sign in or be found by address.
        await tx`delete from auth.sessions where user_id = ${user.id}`;
        await tx`delete from auth.identities where user_id = ${user.id}`;
        await tx`delete from auth.one_time_tokens where user_id = ${user.id}`;
        await tx`
          update auth.users
             set deleted_at = now(), email = null, phone = null, encrypted_password = null,
                 raw_user_meta_data = '{}', raw_app_meta_data = '{}', updated_at = now()
           where id = ${user.id}`;
      } else {
        await tx`delete from auth.users where id = ${user.id}`;
      }
    } catch (e) {
      throw fromDatabaseError(e, "Database error deleting user");
    }
  });
  return Response.json({});
}
