// The signed-in user's own endpoints: GET/PUT /user and POST /logout.
import { z } from "zod";
import { type Context, metadata, optString, parseBody, requireUser, validatePassword } from "./context.ts";
import { hashPassword, verifyPassword } from "./crypto.ts";
import { badRequest, unprocessable } from "./errors.ts";
import { findUserById, loadUserJson, mergeMetadata, updateUser } from "./store.ts";

export async function getUser(ctx: Context): Promise<Response> {
  const { user } = await requireUser(ctx);
  return Response.json(await loadUserJson(ctx.db, user));
}

const UserUpdateBody = z.object({
  email: optString,
  phone: optString,
  password: optString,
  data: metadata,
  nonce: optString,
  current_password: optString,
});

/**
 * PUT /user: password and user_metadata changes. A new password signs out
 * every other session of the user, as GoTrue does, and must differ from the
 * old one.
 */
export async function putUser(ctx: Context): Promise<Response> {
  const body = await parseBody(ctx, UserUpdateBody);
  const json = await ctx.db.begin(async (tx) => {
    const { user: current, sessionId } = await requireUser(ctx, tx);
    let user = (await findUserById(tx, current.id, { forUpdate: true }))!;
    if (body.phone && body.phone !== user.phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
    if (body.email && body.email.toLowerCase() !== user.email?.toLowerCase()) {
      throw unprocessable("validation_failed", "Email change is not supported by the local auth server");
    }
    if (body.password != null) {
      validatePassword(ctx, body.password);
      if (await verifyPassword(body.password, user.encrypted_password)) {
        throw unprocessable("same_password", "New password should be different from the old password.");
      }
      user = await updateUser(tx, user.id, { encrypted_password: await hashPassword(body.password) });
      await tx`delete from auth.sessions where user_id = ${user.id} and id <> ${sessionId}`;
      // Emailed links issued before must not outlive the password (GoTrue clears them too).
      await tx`delete from auth.one_time_tokens where user_id = ${user.id}`;
    }
    if (body.data) {
      user = await updateUser(tx, user.id, { raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, body.data) });
    }
    return loadUserJson(tx, user);
  });
  return Response.json(json);
}

/** POST /logout?scope=global|local|others (global by default, as in GoTrue). */
export async function logout(ctx: Context): Promise<Response> {
  const scope = ctx.url.searchParams.get("scope") || "global";
  if (!["global", "local", "others"].includes(scope)) {
    throw badRequest("validation_failed", `Unsupported logout scope "${scope}"`);
  }
  const { user, sessionId } = await requireUser(ctx);
  // Deleting sessions takes their refresh tokens with them (cascade).
  if (scope === "local") await ctx.db`delete from auth.sessions where id = ${sessionId}`;
  else if (scope === "others") await ctx.db`delete from auth.sessions where user_id = ${user.id} and id <> ${sessionId}`;
  else await ctx.db`delete from auth.sessions where user_id = ${user.id}`;
  return new Response(null, { status: 204 });
}
