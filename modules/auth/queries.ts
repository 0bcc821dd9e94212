import { type Claims, database, sql } from "@/lib/db";
import type { GoogleIntent } from "./google-intent";

export interface InvitePreview {
  orgName: string;
  email: string;
  role: "owner" | "admin" | "manager" | "member";
  status: "pending" | "expired" | "used" | "revoked";
  domainAllowed: boolean;
}

/** What a token's invitation says, before its holder has an account. */
export async function previewInvite(token: string): Promise<InvitePreview | null> {
  const { rows } = await database().asService((tx) =>
    sql<{ org_name: string; email: string; role: InvitePreview["role"]; status: InvitePreview["status"]; domain_allowed: boolean }>`
      select * from public.invite_preview(${token})`.execute(tx),
  );
  const r = rows[0];
  return r ? { orgName: r.org_name, email: r.email, role: r.role, status: r.status, domainAllowed: r.domain_allowed } : null;
}

export async function emailHasAccount(address: string): Promise<boolean> {
  const { rows } = await database().asService((tx) =>
    sql<{ taken: boolean }>`select public.email_has_account(${address}) as taken`.execute(tx),
  );
  return rows[0].taken;
}

export async function signupMode(): Promise<"open" | "invite_only"> {
  const { rows } = await database().asService((tx) =>
    sql<{ mode: string | null }>`select private.setting('signup_mode') as mode`.execute(tx),
  );
  return rows[0].mode === "invite_only" ? "invite_only" : "open";
}

export const INVITE_STATUS_MESSAGES: Record<Exclude<InvitePreview["status"], "pending">, string> = {
  expired: "This invitation has expired. Ask your administrator to send a new one.",
  used: "This invitation has already been used. Sign in instead.",
  revoked: "This invitation was revoked. Ask your administrator for a new one.",
};

/**
 * The OAuth user's first step: 'member', 'joined' or 'founded' when they may
 * go on; any other answer is why their new account was removed again
 * (public.finish_oauth_sign_in).
 */
export async function finishOAuthSignIn(claims: Claims, intent: GoogleIntent): Promise<string> {
  const { rows } = await database().asUser(claims, (tx) =>
    sql<{ outcome: string }>`
      select public.finish_oauth_sign_in(${intent.inviteToken ?? null}, ${intent.orgName ?? null}, ${intent.template ?? null}) as outcome`.execute(tx),
  );
  return rows[0].outcome;
}
