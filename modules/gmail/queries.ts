// Mailboxes and emails as pages and the API read them, under RLS.
import { sql, type Tx } from "@/lib/db";

export interface MailboxState {
  id: string;
  userId: string;
  userName: string;
  email: string;
  status: "connected" | "revoked" | "disconnected";
  syncState: "pending" | "importing" | "synced" | "error";
  messagesImported: number;
  lastSyncedAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  connectedAt: string;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Mailboxes the member may see: their own, or (owners and admins) everyone's, RLS decides. */
export async function listMailboxes(tx: Tx): Promise<MailboxState[]> {
  const rows = await tx
    .selectFrom("gmail_mailboxes as m")
    .leftJoin("profiles as p", "p.user_id", "m.user_id")
    .select([
      "m.id",
      "m.user_id",
      "m.email",
      "m.status",
      "m.sync_state",
      "m.messages_imported",
      "m.last_synced_at",
      "m.last_error",
      "m.last_error_at",
      "m.connected_at",
      sql<string>`coalesce(nullif(p.full_name, ''), p.email, 'Former member')`.as("user_name"),
    ])
    .orderBy("m.email")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    userName: r.user_name,
    email: r.email,
    status: r.status as MailboxState["status"],
    syncState: r.sync_state as MailboxState["syncState"],
    messagesImported: r.messages_imported,
    lastSyncedAt: iso(r.last_synced_at),
    lastError: r.last_error,
    lastErrorAt: iso(r.last_error_at),
    connectedAt: iso(r.connected_at)!,
  }));
}

export async function myMailbox(tx: Tx, userId: string): Promise<MailboxState | null> {
  return (await listMailboxes(tx)).find((m) => m.userId === userId) ?? null;
}

/** The address an email from this record goes to by default: the person's (a deal's person's) or the lead's. */
export async function recipientAddress(tx: Tx, subject: { type: "person" | "lead" | "deal"; id: string }): Promise<string | null> {
  const q =
    subject.type === "person"
      ? sql<{ email: string | null }>`select email::text as email from people where id = ${subject.id}`
      : subject.type === "lead"
        ? sql<{ email: string | null }>`select email::text as email from leads where id = ${subject.id}`
        : sql<{ email: string | null }>`select p.email::text as email from deals d join people p on p.id = d.person_id where d.id = ${subject.id}`;
  const { rows } = await q.execute(tx);
  return rows[0]?.email ?? null;
}
