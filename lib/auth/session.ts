import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { type Claims, type Database, database, type Tx } from "@/lib/db";
import { isSessionEnded } from "@/lib/db/errors";
import { verifiedCookieClaims } from "@/lib/supabase/claims";
import { createClient } from "@/lib/supabase/server";
import { can, type Permission, type Role } from "./permissions";

export interface Session {
  claims: Claims;
  /** `timeZone`: the profile's, null when the member follows their browser's. */
  user: { id: string; email: string; name: string; timeZone: string | null };
  org: { id: string; name: string };
  role: Role;
}

/**
 * The request's verified claims: from the cookie's token when it verifies on
 * its own, else through the auth client. Cached for the request. A page may
 * start its reads with them (RLS scopes them) while getSession reads the
 * membership.
 */
export const getVerifiedClaims = cache(async (): Promise<Claims | undefined> => {
  const cookieStore = await cookies();
  const fast = await verifiedCookieClaims((name) => cookieStore.get(name)?.value);
  if (fast) return fast as Claims;
  const supabase = await createClient();
  const { data } = await supabase.auth.getClaims();
  return data?.claims as Claims | undefined;
});

/**
 * The signed-in member, from verified claims (signature checked against the
 * project's signing keys) and their membership read under RLS; null when
 * the token's session has ended. Cached for the request.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const claims = await getVerifiedClaims();
  if (!claims?.sub) return null;
  return sessionOf(database(), claims);
});

/** The member whose claims these are (verified), read under RLS; null when the token's session has ended. */
export async function sessionOf(db: Database, claims: Claims): Promise<Session | null> {
  const row = await db
    .asUser(claims, (tx) =>
      tx
        .selectFrom("org_members as m")
        .innerJoin("orgs as o", "o.id", "m.org_id")
        .innerJoin("profiles as p", "p.user_id", "m.user_id")
        .select(["m.role", "o.id as org_id", "o.name as org_name", "p.full_name", "p.email", "p.time_zone"])
        .where("m.user_id", "=", claims.sub)
        .executeTakeFirst(),
    )
    // A token whose session was signed out still verifies: the database says it has ended.
    .catch((e) => {
      if (isSessionEnded(e)) return null;
      throw e;
    });
  if (!row) return null;
  return {
    claims,
    user: { id: claims.sub, email: row.email, name: row.full_name || row.email, timeZone: row.time_zone },
    org: { id: row.org_id, name: row.org_name },
    role: row.role,
  };
}

export async function requireSession(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  return session;
}

/** Renders the 403 page when the member's role lacks `permission`. */
export async function requirePermission(permission: Permission): Promise<Session> {
  const session = await requireSession();
  if (!can(session.role, permission)) forbidden();
  return session;
}

/** Runs `fn` under RLS as the signed-in member. */
export function asMember<T>(session: Session, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return database().asUser(session.claims, fn);
}
