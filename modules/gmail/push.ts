// Gmail's push notifications, as the gmail-push Edge Function serves them.
// users.watch makes Gmail publish `{ emailAddress, historyId }` to a Pub/Sub
// topic whose push subscription POSTs it here in Pub/Sub's envelope
// (`{ message: { data: base64, messageId, publishTime }, subscription }`).
//
// Verification: the subscription's endpoint carries a shared secret,
// `?token=<GMAIL_PUSH_TOKEN>` (Google documents this for push endpoints);
// a missing or wrong token is refused (401) before anything is stored. (An
// OIDC token from the subscription's service account is the alternative;
// the shared secret needs no Google key fetch on every delivery.)
// Through the shared inbound pipeline (modules/jobs' receiveInbound), a
// verified delivery is stored once (private.inbound_events, by Pub/Sub's
// messageId: Pub/Sub redelivers until acknowledged), one gmail.sync job is
// queued for the mailbox (keyed by its history id, so redeliveries and
// duplicates queue nothing more) and the answer is 204 at once: Gmail is
// called by the job, never while Pub/Sub waits.
import { sameSecret } from "../../lib/crypto/compare.ts";
import { enqueueJob, receiveInbound, type TransactionalSql } from "../jobs/edge.ts";
import { SYNC_JOB } from "./sync.ts";

const MAX_BODY_BYTES = 64_000;

export interface GmailPushDeps {
  sql: TransactionalSql;
  token: string;
  log?: (line: string) => void;
}

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

interface Verified {
  messageId: string;
  email: string;
  historyId: string;
  mailbox?: { id: string; orgId: string };
}

export function handleGmailPush(req: Request, deps: GmailPushDeps): Promise<Response> {
  return receiveInbound<Verified>(req, {
    sql: deps.sql,
    maxBodyBytes: MAX_BODY_BYTES,

    async verify(raw) {
      const given = new URL(req.url).searchParams.get("token") ?? "";
      if (!deps.token || !sameSecret(given, deps.token)) {
        deps.log?.("refused a push without the subscription's token");
        return json({ error: "unauthorized", message: "The push endpoint's token is missing or wrong." }, 401);
      }
      let envelope: { message?: { data?: string; messageId?: string; message_id?: string } };
      let note: { emailAddress?: unknown; historyId?: unknown };
      try {
        envelope = JSON.parse(raw.text);
        note = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(envelope.message?.data ?? ""), (c) => c.charCodeAt(0))));
      } catch {
        return json({ error: "invalid_message", message: "The message is not a Gmail notification." }, 400);
      }
      const messageId = envelope.message?.messageId ?? envelope.message?.message_id;
      const email = typeof note.emailAddress === "string" ? note.emailAddress.toLowerCase() : null;
      const historyId = typeof note.historyId === "number" || typeof note.historyId === "string" ? String(note.historyId) : null;
      if (!messageId || !email || !historyId || !/^[0-9]{1,20}$/.test(historyId)) {
        return json({ error: "invalid_message", message: "The message has no messageId, emailAddress or historyId." }, 400);
      }
      return { messageId: String(messageId), email, historyId };
    },

    event: (v) => ({ provider: "gmail", key: v.messageId.slice(0, 200) }),

    async onFirst(tx, v) {
      const [mailbox] = await tx.unsafe("select id, org_id from public.gmail_mailboxes where lower(email) = $1 and status = 'connected'", [v.email]);
      if (!mailbox) return;
      v.mailbox = { id: mailbox.id, orgId: mailbox.org_id };
      await enqueueJob(tx, { kind: SYNC_JOB, payload: { mailbox_id: mailbox.id }, orgId: mailbox.org_id as string, key: `gmail-sync:${mailbox.id}:push:${v.historyId}` });
    },

    answer: (v) => new Response(null, { status: v.mailbox ? 204 : 202 }),
  });
}
