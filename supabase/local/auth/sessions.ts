import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import { newRefreshToken } from "./crypto.ts";
import { type AuthError, badRequest } from "./errors.ts";
import type { Context } from "./context.ts";
import { type Db, findUserById, loadUserJson, type UserJson, type UserRow } from "./store.ts";

/** How a session was established: its `amr` method (GoTrue's AuthenticationMethod). */
export type AuthMethod = "password" | "otp" | "magiclink" | "recovery" | "invite" | "email/signup" | "oauth";

/** GoTrue's AccessTokenResponse. */
export interface SessionJson {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: UserJson;
}

interface AmrRow {
  authentication_method: string;
  created_at: Date;
}

/** Claims as Supabase Auth writes them; iss/iat/exp are added by the signer. */
async function accessToken(ctx: Context, db: Db, user: UserRow, sessionId: string) {
  const amr = await db<AmrRow[]>`
    select authentication_method, created_at from auth.mfa_amr_claims
     where session_id = ${sessionId} order by created_at`;
  return ctx.signer.sign(
    {
      sub: user.id,
      aud: user.aud ?? "authenticated",
      email: user.email ?? "",
      phone: user.phone ?? "",
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
      role: user.role ?? "authenticated",
      aal: "aal1",
      amr: amr.map((a) => ({ method: a.authentication_method, timestamp: Math.floor(a.created_at.getTime() / 1000) })),
      session_id: sessionId,
      is_anonymous: user.is_anonymous,
    },
    ctx.config.jwtExpirySeconds,
  );
}

async function sessionJson(ctx: Context, db: Db, user: UserRow, sessionId: string, refreshToken: string): Promise<SessionJson> {
  const expiresIn = ctx.config.jwtExpirySeconds;
  return {
    access_token: await accessToken(ctx, db, user, sessionId),
    token_type: "bearer",
    expires_in: expiresIn,
    expires_at: Math.floor(Date.now() / 1000) + expiresIn,
    refresh_token: refreshToken,
    user: await loadUserJson(db, user),
  };
}

/** A new session with its first refresh token; records the sign-in time. */
export async function issueSession(ctx: Context, db: Db, user: UserRow, method: AuthMethod): Promise<SessionJson> {
  const sessionId = randomUUID();
  const ip = ctx.clientAddress && isIP(ctx.clientAddress) ? ctx.clientAddress : null;
  await db`
    insert into auth.sessions (id, user_id, aal, user_agent, ip, refreshed_at)
    values (${sessionId}, ${user.id}, 'aal1', ${ctx.req.headers.get("user-agent")}, ${ip}, now())`;
  await db`
    insert into auth.mfa_amr_claims (session_id, authentication_method)
    values (${sessionId}, ${method})`;
  const token = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, session_id)
    values ('00000000-0000-0000-0000-000000000000', ${token}, ${user.id}, false, ${sessionId})`;
  await db`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${user.id}`;
  await db`update auth.identities set last_sign_in_at = now() where user_id = ${user.id} and provider = 'email'`;
  const fresh = (await findUserById(db, user.id))!;
  return sessionJson(ctx, db, fresh, sessionId, token);
}

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  updated_at: Date;
}

/**
 * The refresh-token grant, with GoTrue's rotation rules: the used token is
 * revoked and a child issued. Presenting a revoked token again within the
 * reuse interval, while its child is still the live token, returns that child
 * (two tabs or a proxy and a page refreshing at once). Any other reuse of a
 * revoked token revokes the whole session's tokens: someone has a copy.
 */
export async function refreshSession(ctx: Context, db: Db, presented: string): Promise<SessionJson | AuthError> {
  const [token] = await db<RefreshTokenRow[]>`
    select id, token, user_id, revoked, parent, session_id, updated_at
      from auth.refresh_tokens where token = ${presented} for update`;
  if (!token || !token.session_id) {
    throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  }
  const [session] = await db<{ id: string; not_after: Date | null }[]>`
    select id, not_after from auth.sessions where id = ${token.session_id} for update`;
  if (!session) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  if (session.not_after && session.not_after.getTime() < Date.now()) {
    throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
  }
  const user = await findUserById(db, token.user_id);
  if (!user) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  if (user.banned_until && user.banned_until.getTime() > Date.now()) {
    throw badRequest("user_banned", "Invalid Refresh Token: User Banned");
  }

  let next: string;
  if (token.revoked) {
    const [child] = await db<{ token: string }[]>`
      select token from auth.refresh_tokens
       where session_id = ${token.session_id} and parent = ${token.token} and revoked = false`;
    const withinReuse = Date.now() < token.updated_at.getTime() + ctx.config.refreshTokenReuseIntervalSeconds * 1000;
    if (!child || !withinReuse) {
      // Returned, not thrown: the revocation must commit with the refusal.
      await db`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${token.session_id} and revoked = false`;
      return badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
    }
    next = child.token;
  } else {
    next = newRefreshToken();
    await db`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${token.id}`;
    await db`
      insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id)
      values ('00000000-0000-0000-0000-000000000000', ${next}, ${user.id}, false, ${token.token}, ${token.session_id})`;
  }
  await db`update auth.sessions set refreshed_at = now(), updated_at = now() where id = ${token.session_id}`;
  return sessionJson(ctx, db, user, token.session_id, next);
}
