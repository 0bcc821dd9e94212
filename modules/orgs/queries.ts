import type { Session } from "@/lib/auth/session";
import { asMember } from "@/lib/auth/session";

export type InviteStatus = "pending" | "expired" | "accepted" | "revoked";

export function inviteStatus(i: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }): InviteStatus {
  if (i.revoked_at) return "revoked";
  if (i.accepted_at) return "accepted";
  return i.expires_at <= new Date() ? "expired" : "pending";
}

export function listMembers(session: Session) {
  return asMember(session, (tx) =>
    tx
      .selectFrom("org_members as m")
      .innerJoin("profiles as p", "p.user_id", "m.user_id")
      .select(["m.id", "m.user_id", "m.role", "m.created_at", "p.full_name", "p.email"])
      .orderBy("p.full_name")
      .orderBy("p.email")
      .execute(),
  );
}

/** The member's own phone (E.164), which click-to-call rings first; null until they give one. */
export async function myPhone(session: Session): Promise<string | null> {
  const row = await asMember(session, (tx) => tx.selectFrom("profiles").select("phone").where("user_id", "=", session.user.id).executeTakeFirst());
  return row?.phone ?? null;
}

/** Open and recent invitations (accepted ones show on the member list instead). */
export async function listInvites(session: Session) {
  const rows = await asMember(session, (tx) =>
    tx
      .selectFrom("org_invites")
      .select(["id", "email", "role", "expires_at", "accepted_at", "revoked_at", "sent_count", "last_sent_at", "created_at"])
      .where("accepted_at", "is", null)
      .orderBy("created_at", "desc")
      .limit(100)
      .execute(),
  );
  return rows.map((r) => ({ ...r, status: inviteStatus(r) }));
}

export function getOrg(session: Session) {
  return asMember(session, (tx) =>
    tx
      .selectFrom("orgs")
      .select(["id", "name", "default_currency", "allowed_email_domains", "template", "created_at"])
      .where("id", "=", session.org.id)
      .executeTakeFirstOrThrow(),
  );
}

export function listAudit(session: Session, opts: { before?: string; limit?: number } = {}) {
  return asMember(session, (tx) => {
    let q = tx
      .selectFrom("audit_log as a")
      .leftJoin("profiles as p", "p.user_id", "a.actor_id")
      .select(["a.id", "a.actor_type", "a.table_name", "a.record_id", "a.action", "a.changes", "a.created_at", "p.full_name", "p.email"])
      .orderBy("a.id", "desc")
      .limit(opts.limit ?? 100);
    if (opts.before && /^\d+$/.test(opts.before)) q = q.where("a.id", "<", opts.before);
    return q.execute();
  });
}
