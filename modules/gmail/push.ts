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
// A verified delivery is stored once (private.inbound_events, by Pub/Sub's
// messageId: Pub/Sub redelivers until acknowledged), one gmail.sync job is
// queued for the mailbox (keyed by its history id, so redeliveries and
// duplicates queue nothing more) and the answer is 204 at once: Gmail is
// called by the job, never while Pub/Sub waits.
import { sameSecret } from "../../lib/crypto/compare.ts";
import { enqueueJob, type SqlClient } from "../jobs/edge.ts";
import { SYNC_JOB } from "./sync.ts";

const MAX_BODY_BYTES = 64_000;

export interface GmailPushDeps {
  sql: SqlClient & { begin<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> };
  token: string;
  log?: (line: string) => void;
}

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function handleGmailPush(req: Request, deps: GmailPushDeps): Promise<Response> {
  if (req.method !== "POST") return json({ error: "method_not_allowed" }, 405);
  const given = new URL(req.url).searchParams.get("token") ?? "";
  if (!deps.token || !sameSecret(given, deps.token)) {
    deps.log?.("refused a push without the subscription's token");
    return json({ error: "unauthorized", message: "The push endpoint's token is missing or wrong." }, 401);
  }
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) return json({ error: "payload_too_large" }, 413);
  let envelope: { message?: { data?: string; messageId?: string; message_id?: string } };
  let note: { emailAddress?: unknown; historyId?: unknown };
  try {
    envelope = JSON.parse(text);
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
  const queued = await deps.sql.begin(async (tx) => {
    const [stored] = await tx.unsafe(
      `insert into private.inbound_events (provider, dedupe_key, body) values ('gmail', $1, $2)
       on conflict (provider, dedupe_key) do nothing returning id`,
      [String(messageId).slice(0, 200), text],
    );
    if (!stored) return false;
    const [mailbox] = await tx.unsafe("select id, org_id from public.gmail_mailboxes where lower(email) = $1 and status = 'connected'", [email]);
    if (!mailbox) return false;
    await enqueueJob(tx, { kind: SYNC_JOB, payload: { mailbox_id: mailbox.id }, orgId: mailbox.org_id as string, key: `gmail-sync:${mailbox.id}:push:${historyId}` });
    return true;
  });
  return new Response(null, { status: queued ? 204 : 202 });
}
