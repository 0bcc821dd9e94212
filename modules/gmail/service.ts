// Gmail for a member: connecting (the consent screen's code → a sealed
// refresh token through public.connect_gmail_mailbox), disconnecting (revoked
// at Google, then deleted), and sending from a record's compose drawer.
//
// A send writes the email queued in the member's own transaction (so it is
// on the record's timeline at once), sends it through the Gmail API, then
// records Gmail's message and thread ids, or Google's refusal, in a second
// one. The token is read as service_role after the member's transaction has
// found their own connected mailbox.
import { sql } from "kysely";
import { type Keyring, openSecret, SecretDecryptError, SecretsNotConfiguredError, sealSecret, secretHint } from "@/lib/crypto/envelope";
import type { Database, Tx } from "@/lib/db";
import { conflict, DomainError, notFound } from "@/lib/errors";
import { fillForSend, recordValues } from "@/modules/templates";
import { buildRawEmail, newMessageId } from "./compose";
import { consentUrl, exchangeCode, type GmailClient, gmailClient, type GoogleConfig, GoogleError, GoogleNotConfiguredError, revokeToken } from "./google";
import { emailHtmlToText, sanitizeEmailHtml, snippetOf } from "@/lib/mail/html";
import type { Compose } from "./schema";

export interface GmailDeps {
  db: Database;
  keyring: () => Promise<Keyring>;
  google: () => GoogleConfig;
  /** The Gmail client for a refresh token (tests may count or fail calls). */
  client?: (config: GoogleConfig, refreshToken: string) => GmailClient;
}

/** Runs `fn` in one transaction as the acting member (their session, or their API key). */
export type MemberRun = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export const tokenPurpose = (userId: string) => `gmail.refresh_token:${userId}`;

function configured<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GoogleNotConfiguredError || e instanceof SecretsNotConfiguredError) throw new DomainError("not_configured", e.message);
    throw e;
  }
}

async function keyringOf(deps: GmailDeps): Promise<Keyring> {
  try {
    return await deps.keyring();
  } catch (e) {
    if (e instanceof SecretsNotConfiguredError) throw new DomainError("not_configured", e.message);
    throw e;
  }
}

/** The consent screen's address for this member. */
export function connectUrl(deps: GmailDeps, opts: { redirectUri: string; state: string }): string {
  return consentUrl(configured(deps.google), opts);
}

/**
 * The consent screen answered with `code`: tokens from Google, the address
 * they open, the refresh token sealed for the member's org and stored with
 * the mailbox; the initial import is queued by the database in the same
 * transaction.
 */
export async function finishConnect(deps: GmailDeps, run: MemberRun, input: { code: string; redirectUri: string; orgId: string; userId: string }) {
  const config = configured(deps.google);
  const keyring = await keyringOf(deps);
  let tokens;
  let email: string;
  try {
    tokens = await exchangeCode(config, input.code, input.redirectUri);
    email = (await (deps.client ?? gmailClient)(config, tokens.refreshToken).profile()).emailAddress;
  } catch (e) {
    if (e instanceof GoogleError) {
      if (e.reason === "insufficient_scope") {
        throw new DomainError("validation_failed", "Google did not grant Covey both sending and reading your mail. Connect again and leave both boxes ticked.");
      }
      if (e.transient) throw new DomainError("provider_unavailable", "Google could not be reached. Try connecting again in a moment.");
      throw new DomainError("validation_failed", `Google refused the connection: ${e.message}. Try connecting again.`);
    }
    throw e;
  }
  const sealed = await sealSecret(keyring, tokens.refreshToken, { orgId: input.orgId, purpose: tokenPurpose(input.userId) });
  try {
    return await run(async (tx) => {
      const { rows } = await sql<{ id: string }>`select public.connect_gmail_mailbox(${email}, ${sealed}, ${secretHint(tokens.refreshToken)}) as id`.execute(tx);
      return { mailboxId: rows[0].id, email };
    });
  } catch (e) {
    if ((e as { code?: string }).code === "23505") throw conflict(`${email} is already connected to another Covey account.`);
    throw e;
  }
}

interface MailboxRow {
  id: string;
  org_id: string;
  user_id: string;
  email: string;
  status: string;
}

/** The member's connected mailbox and its refresh token, opened. */
async function mailboxWithToken(deps: GmailDeps, mailbox: MailboxRow): Promise<string> {
  const keyring = await keyringOf(deps);
  const sealed = await deps.db.asService(async (tx) => {
    const { rows } = await sql<{ secret: string }>`
      select s.secret from org_secrets s join gmail_mailboxes m on m.token_secret_id = s.id and m.org_id = s.org_id
      where m.id = ${mailbox.id}`.execute(tx);
    return rows[0]?.secret;
  });
  if (!sealed) throw conflict("Your Gmail is not connected. Connect it in Settings → Integrations → Gmail.");
  try {
    return await openSecret(keyring, sealed, { orgId: mailbox.org_id, purpose: tokenPurpose(mailbox.user_id) });
  } catch (e) {
    if (e instanceof SecretDecryptError) {
      throw new DomainError("not_configured", "The stored Gmail token cannot be decrypted with this deployment's COVEY_SECRET_KEYS. Connect Gmail again.");
    }
    throw e;
  }
}

async function ownMailbox(tx: Tx, userId: string): Promise<MailboxRow | undefined> {
  return tx
    .selectFrom("gmail_mailboxes")
    .select(["id", "org_id", "user_id", "email", "status"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** Revokes the grant at Google (best effort: a grant Google no longer knows is gone already) and forgets the token. */
export async function disconnect(deps: GmailDeps, run: MemberRun, userId: string): Promise<void> {
  const mailbox = await run((tx) => ownMailbox(tx, userId));
  if (!mailbox || mailbox.status === "disconnected") return;
  try {
    const token = await mailboxWithToken(deps, mailbox);
    await revokeToken(configured(deps.google), token);
  } catch (e) {
    // Disconnecting must work even when Google is down or the token is unreadable; the token is deleted below either way.
    if (!(e instanceof GoogleError) && !(e instanceof DomainError)) throw e;
  }
  await run((tx) => sql`select public.disconnect_gmail_mailbox()`.execute(tx));
}

/** Records a failed call on the mailbox (revoked → marked, alerted). */
export function recordFailure(db: Database, mailboxId: string, e: GoogleError) {
  return db.asService((tx) => sql`select private.gmail_mailbox_failed(${mailboxId}, ${e.revoked}, ${e.message})`.execute(tx));
}

interface Recipient {
  personId: string | null;
  leadId: string | null;
  dealId: string | null;
  defaultTo: string | null;
}

/** The record the email is sent from, under RLS, and the people it links. */
async function recipientOf(tx: Tx, subject: Compose["subject"]): Promise<Recipient> {
  if (subject.type === "person") {
    const { rows } = await sql<{ email: string | null }>`select p.email::text as email from people p where p.id = ${subject.id}`.execute(tx);
    if (!rows[0]) throw notFound("That person no longer exists or is not in your organization.");
    return { personId: subject.id, leadId: null, dealId: null, defaultTo: rows[0].email };
  }
  if (subject.type === "lead") {
    const { rows } = await sql<{ email: string | null; person_id: string | null }>`
      select l.email::text as email, l.person_id from leads l where l.id = ${subject.id}`.execute(tx);
    if (!rows[0]) throw notFound("That lead no longer exists or is not in your organization.");
    return { personId: rows[0].person_id, leadId: subject.id, dealId: null, defaultTo: rows[0].email };
  }
  const { rows } = await sql<{ email: string | null; person_id: string | null }>`
    select p.email::text as email, d.person_id from deals d left join people p on p.id = d.person_id where d.id = ${subject.id}`.execute(tx);
  if (!rows[0]) throw notFound("That deal no longer exists or is not in your organization.");
  return { personId: rows[0].person_id, leadId: null, dealId: subject.id, defaultTo: rows[0].email };
}

export interface SentEmail {
  id: string;
  status: "sent";
  providerMessageId: string;
  providerThreadId: string;
}

/**
 * Sends `input` from the member's Gmail. Refusals the member can act on are
 * DomainErrors: no connected mailbox (409), a record gone (404), Google
 * refusing the message (422) or unreachable (502, the email kept as failed).
 */
export async function sendEmail(deps: GmailDeps, run: MemberRun, sender: { userId: string; name: string }, input: Compose): Promise<SentEmail> {
  const config = configured(deps.google);
  const messageId = newMessageId(config.clientId.includes("covey-local") ? "covey.local" : "covey.mail");
  const prepared = await run(async (tx) => {
    const mailbox = await ownMailbox(tx, sender.userId);
    if (!mailbox || mailbox.status === "disconnected") throw conflict("Connect your Gmail in Settings → Integrations → Gmail to send email.");
    if (mailbox.status === "revoked") throw conflict(`Google no longer accepts Covey's access to ${mailbox.email}. Connect it again in Settings → Integrations → Gmail.`);
    const recipient = await recipientOf(tx, input.subject);
    const values = await recordValues(tx, input.subject, sender.userId);
    const fill = (text: string, field: string, label: string, html = false) =>
      fillForSend(text, values, { field, label, html, record: input.subject.type });
    let thread: { thread: string | null; header: string | null; references: string[] } = { thread: null, header: null, references: [] };
    if (input.replyTo) {
      const { rows } = await sql<{ provider_thread_id: string | null; message_id_header: string | null; in_reply_to: string | null }>`
        select provider_thread_id, message_id_header, in_reply_to from emails where id = ${input.replyTo}`.execute(tx);
      if (!rows[0]) throw notFound("The email you are replying to no longer exists.");
      thread = { thread: rows[0].provider_thread_id, header: rows[0].message_id_header, references: rows[0].in_reply_to ? [rows[0].in_reply_to] : [] };
    }
    const html = sanitizeEmailHtml(fill(input.html, "html", "The email", true));
    const generated = emailHtmlToText(html);
    if (!generated) throw new DomainError("validation_failed", "Write the email before sending it.", { details: { html: ["Write the email before sending it."] } });
    // The plain-text alternative: the template's own when the drawer brings one, else the HTML's text.
    const text = input.text?.trim() ? fill(input.text, "text", "The plain text") : generated;
    const subject = fill(input.title, "title", "The subject");
    const row = await tx
      .insertInto("emails")
      .values({
        org_id: mailbox.org_id,
        mailbox_id: mailbox.id,
        user_id: sender.userId,
        direction: "outbound",
        provider: "gmail",
        from_address: mailbox.email,
        from_name: sender.name,
        to_addresses: input.to,
        cc_addresses: input.cc,
        bcc_addresses: input.bcc,
        subject,
        body_html: html,
        body_text: text,
        snippet: snippetOf(text),
        status: "queued",
        in_reply_to: thread.header,
        provider_thread_id: thread.thread,
        person_id: recipient.personId,
        lead_id: recipient.leadId,
        deal_id: recipient.dealId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { mailbox, emailId: row.id, html, text, subject, thread };
  });

  const { mailbox, emailId } = prepared;
  const fail = (error: string) =>
    run((tx) => tx.updateTable("emails").set({ status: "failed", error: error.slice(0, 1000) }).where("id", "=", emailId).execute());
  let sent;
  try {
    const token = await mailboxWithToken(deps, mailbox);
    const raw = await buildRawEmail(
      {
        from: { address: mailbox.email, name: sender.name },
        to: input.to,
        cc: input.cc,
        bcc: input.bcc,
        subject: prepared.subject,
        html: prepared.html,
        text: prepared.text,
        inReplyTo: prepared.thread.header,
        references: prepared.thread.references,
      },
      messageId,
    );
    sent = await (deps.client ?? gmailClient)(config, token).send(raw, prepared.thread.thread);
  } catch (e) {
    if (e instanceof GoogleError) {
      await fail(e.message);
      await recordFailure(deps.db, mailbox.id, e);
      if (e.revoked) throw conflict(`Google no longer accepts Covey's access to ${mailbox.email}. Connect it again in Settings → Integrations → Gmail.`);
      if (e.transient) throw new DomainError("provider_unavailable", "Gmail could not be reached; the email was not sent. Try again in a moment.");
      throw new DomainError("validation_failed", `Gmail refused the email: ${e.message}`);
    }
    await fail(e instanceof DomainError ? e.message : "The email could not be sent");
    throw e;
  }
  await run((tx) =>
    tx
      .updateTable("emails")
      .set({ status: "sent", provider_message_id: sent.id, provider_thread_id: sent.threadId, message_id_header: messageId, sent_at: new Date() })
      .where("id", "=", emailId)
      .execute(),
  );
  await deps.db.asService((tx) => sql`select private.gmail_mailbox_ok(${mailbox.id})`.execute(tx));
  return { id: emailId, status: "sent", providerMessageId: sent.id, providerThreadId: sent.threadId };
}
