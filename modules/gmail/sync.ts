// Gmail sync, as jobs (the jobs Edge Function runs them under Deno):
//
// - `gmail.sync` {mailbox_id}: a mailbox without a history id imports its
//   recent mail first (IMPORT_DAYS, at most IMPORT_MAX messages, one page of
//   PAGE_SIZE per job, the next page queued PACE_MS later with the page
//   token kept on the mailbox, so an interrupted import resumes where it
//   stopped and Gmail's per-user quota is never hammered). The history id is
//   taken before the first page, so mail arriving during the import is
//   caught by incremental sync. Afterwards users.history.list from the
//   stored history id brings what was added; when Gmail answers 404 (it
//   keeps about a week of history) the mailbox imports again from scratch.
//   Every message is stored once per mailbox (private.store_gmail_message,
//   unique by Gmail id), so a resync or two runs at once make no duplicates.
// - `gmail.poll`: queues a sync for every connected mailbox (every 5 min),
//   in case a push was lost, and renews Gmail watches before they lapse.
//
// Google refusing the token marks the mailbox revoked and raises its alert
// (private.gmail_mailbox_failed); the job then ends, since retrying cannot
// help, and other mailboxes carry on. Google down → recorded, retried.
import PostalMime from "postal-mime";
import { type Keyring, openSecret, parseKeyring } from "../../lib/crypto/envelope.ts";
import { enqueueJob, type Job, type JobContext, type JobHandler, PermanentJobError } from "../jobs/edge.ts";
import { type GmailClient, gmailClient, type GoogleConfig, googleConfig, GoogleError } from "./google.ts";
import { emailHtmlToText, sanitizeEmailHtml, snippetOf } from "../../lib/mail/html.ts";

export const SYNC_JOB = "gmail.sync";
export const POLL_JOB = "gmail.poll";
export const IMPORT_DAYS = 30;
export const IMPORT_MAX = 2000;
export const PAGE_SIZE = 100;
const PACE_MS = 1000;

interface MailboxRow {
  id: string;
  org_id: string;
  user_id: string;
  email: string;
  status: string;
  sync_state: string;
  history_id: string | null;
  import_cursor: string | null;
  messages_imported: number;
  watch_expires_at: Date | null;
  secret: string | null;
}

let keyringCache: { spec: string; keyring: Promise<Keyring> } | null = null;
function keyringOf(spec: string): Promise<Keyring> {
  if (keyringCache?.spec !== spec) keyringCache = { spec, keyring: parseKeyring(spec) };
  return keyringCache.keyring;
}

/** The parts of one RFC 2822 message that Covey files. */
export async function parseMessage(raw: { id: string; threadId: string; raw: string; internalDate: number }) {
  const p = await PostalMime.parse(raw.raw);
  const html = p.html ? sanitizeEmailHtml(p.html) : null;
  const text = p.text ?? (html ? emailHtmlToText(html) : "");
  const addresses = (list: { address?: string }[] | undefined) => (list ?? []).map((a) => (a.address ?? "").toLowerCase()).filter(Boolean);
  return {
    id: raw.id,
    thread_id: raw.threadId,
    message_id: p.messageId ?? null,
    in_reply_to: p.inReplyTo ?? null,
    from: (p.from?.address ?? "").toLowerCase(),
    from_name: p.from?.name || null,
    to: addresses(p.to),
    cc: addresses(p.cc),
    subject: p.subject ?? "",
    html,
    text,
    snippet: snippetOf(text),
    date: new Date(raw.internalDate || (p.date ? Date.parse(p.date) : Date.now())).toISOString(),
  };
}

async function loadMailbox(ctx: JobContext, id: string): Promise<MailboxRow | null> {
  const [row] = await ctx.sql.unsafe(
    `select m.id, m.org_id, m.user_id, m.email, m.status, m.sync_state, m.history_id, m.import_cursor, m.messages_imported,
            m.watch_expires_at, s.secret
     from public.gmail_mailboxes m left join public.org_secrets s on s.id = m.token_secret_id and s.org_id = m.org_id
     where m.id = $1`,
    [id],
  );
  return (row as MailboxRow | undefined) ?? null;
}

async function store(ctx: JobContext, gmail: GmailClient, mailbox: MailboxRow, ids: string[], notify: boolean): Promise<number> {
  if (!ids.length) return 0;
  // Messages stored before (by an earlier run, or sent from Covey) are not fetched again.
  const known = new Set(
    (await ctx.sql.unsafe("select provider_message_id from public.emails where mailbox_id = $1 and provider_message_id = any($2::text[])", [mailbox.id, ids])).map(
      (r) => r.provider_message_id as string,
    ),
  );
  let stored = 0;
  for (const id of ids) {
    if (known.has(id)) continue;
    const raw = await gmail.getRaw(id);
    if (!raw) continue;
    const message = await parseMessage(raw);
    const [row] = await ctx.sql.unsafe("select private.store_gmail_message($1, $2::text::jsonb, $3) as id", [mailbox.id, JSON.stringify(message), notify]);
    if (row.id) stored++;
  }
  return stored;
}

/** One page of the initial import; queues the next page while there is one. */
async function importPage(ctx: JobContext, gmail: GmailClient, mailbox: MailboxRow, listed = 0): Promise<void> {
  if (!mailbox.history_id) {
    const { historyId } = await gmail.profile();
    await ctx.sql.unsafe("update public.gmail_mailboxes set history_id = $2, sync_state = 'importing', import_cursor = null, messages_imported = 0 where id = $1", [
      mailbox.id,
      historyId,
    ]);
    mailbox.history_id = historyId;
    mailbox.messages_imported = 0;
    mailbox.import_cursor = null;
    listed = 0;
  }
  const page = await gmail.listMessages({ q: `newer_than:${IMPORT_DAYS}d`, pageToken: mailbox.import_cursor, maxResults: PAGE_SIZE });
  const stored = await store(ctx, gmail, mailbox, page.messages.map((m) => m.id), false);
  const seen = listed + page.messages.length;
  const more = page.nextPageToken && seen < IMPORT_MAX;
  await ctx.sql.unsafe(
    `update public.gmail_mailboxes
        set import_cursor = $2, messages_imported = messages_imported + $3,
            sync_state = case when $2::text is null then 'synced' else 'importing' end,
            last_synced_at = now(), last_error = null
      where id = $1`,
    [mailbox.id, more ? page.nextPageToken : null, stored],
  );
  if (more) {
    await enqueueJob(ctx.sql, {
      kind: SYNC_JOB,
      payload: { mailbox_id: mailbox.id, listed: seen },
      orgId: mailbox.org_id,
      key: `gmail-sync:${mailbox.id}:import:${page.nextPageToken}:${mailbox.history_id ?? "start"}`,
      runAt: new Date(Date.now() + PACE_MS),
    });
  }
}

/** What was added since the stored history id; a 404 (history expired) starts the import again. */
async function incremental(ctx: JobContext, gmail: GmailClient, mailbox: MailboxRow): Promise<void> {
  let pageToken: string | null = null;
  let latest = mailbox.history_id!;
  let stored = 0;
  try {
    do {
      const page = await gmail.history(mailbox.history_id!, pageToken);
      stored += await store(ctx, gmail, mailbox, [...new Set(page.added.map((m) => m.id))], true);
      latest = page.historyId;
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (e) {
    if (e instanceof GoogleError && e.status === 404) {
      await ctx.sql.unsafe("update public.gmail_mailboxes set history_id = null, import_cursor = null, sync_state = 'pending' where id = $1", [mailbox.id]);
      mailbox.history_id = null;
      mailbox.import_cursor = null;
      await importPage(ctx, gmail, mailbox);
      return;
    }
    throw e;
  }
  // Two runs at once (a push and the poll) each move the id forward only.
  await ctx.sql.unsafe(
    `update public.gmail_mailboxes
        set history_id = case when history_id is null or history_id::numeric < $2::text::numeric then $2::text else history_id end,
            messages_imported = messages_imported + $3, sync_state = 'synced', last_synced_at = now(), last_error = null
      where id = $1`,
    [mailbox.id, latest, stored],
  );
}

/** Asks Gmail to push this mailbox's changes (a watch lasts 7 days; renewed a day before it lapses). */
async function renewWatch(ctx: JobContext, gmail: GmailClient, config: GoogleConfig, mailbox: MailboxRow): Promise<void> {
  if (!config.pushTopic) return;
  if (mailbox.watch_expires_at && new Date(mailbox.watch_expires_at).getTime() > Date.now() + 86400_000) return;
  const watch = await gmail.watch(config.pushTopic);
  const expires = Number(watch.expiration) || Date.now() + 7 * 86400_000;
  await ctx.sql.unsafe("update public.gmail_mailboxes set watch_expires_at = $2 where id = $1", [mailbox.id, new Date(expires).toISOString()]);
}

export const syncGmailMailbox: JobHandler = async (job: Job, ctx: JobContext) => {
  const payload = (job.payload ?? {}) as { mailbox_id?: unknown; listed?: unknown };
  const id = payload.mailbox_id;
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/.test(id)) throw new PermanentJobError("The job's payload has no mailbox id");
  const mailbox = await loadMailbox(ctx, id);
  // Disconnected or revoked since the job was queued: nothing to do until the member connects again.
  if (!mailbox || mailbox.status !== "connected" || !mailbox.secret) return;
  const config = googleConfig((n) => ctx.env(n) || undefined);
  const keyring = await keyringOf(ctx.env("COVEY_SECRET_KEYS"));
  const token = await openSecret(keyring, mailbox.secret, { orgId: mailbox.org_id, purpose: `gmail.refresh_token:${mailbox.user_id}` });
  const gmail = gmailClient(config, token);
  try {
    if (!mailbox.history_id || mailbox.sync_state === "importing" || mailbox.sync_state === "pending") {
      await importPage(ctx, gmail, mailbox, typeof payload.listed === "number" ? payload.listed : 0);
    }
    else await incremental(ctx, gmail, mailbox);
    await renewWatch(ctx, gmail, config, mailbox);
  } catch (e) {
    if (!(e instanceof GoogleError)) throw e;
    await ctx.sql.unsafe("select private.gmail_mailbox_failed($1, $2, $3)", [mailbox.id, e.revoked, e.message]);
    if (e.revoked) return;
    throw e;
  }
  await ctx.sql.unsafe("select private.gmail_mailbox_ok($1)", [mailbox.id]);
};

export const pollGmailMailboxes: JobHandler = async (job, ctx) => {
  const rows = await ctx.sql.unsafe("select id, org_id from public.gmail_mailboxes where status = 'connected'");
  for (const r of rows) {
    await enqueueJob(ctx.sql, { kind: SYNC_JOB, payload: { mailbox_id: r.id }, orgId: r.org_id as string, key: `gmail-sync:${r.id}:poll:${job.id}` });
  }
};
