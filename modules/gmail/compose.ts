// An email as Gmail's messages.send takes it: an RFC 2822 message built by
// nodemailer's MailComposer (the HTML with a plain-text alternative, encoded
// headers, a Message-ID of our own so a reply can name it), threaded with
// In-Reply-To and References when it answers an earlier message.
import MailComposer from "nodemailer/lib/mail-composer";

export interface OutgoingEmail {
  from: { address: string; name?: string | null };
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html: string;
  text: string;
  /** The Message-ID being answered, and the References of that message. */
  inReplyTo?: string | null;
  references?: string[];
}

/** The Message-ID our message carries, e.g. `<3f1…@covey.mail>`. */
export function newMessageId(domain: string): string {
  return `<${crypto.randomUUID()}@${domain}>`;
}

export async function buildRawEmail(m: OutgoingEmail, messageId: string): Promise<string> {
  const references = [...(m.references ?? []), ...(m.inReplyTo ? [m.inReplyTo] : [])];
  const mail = new MailComposer({
    from: m.from.name ? { name: m.from.name, address: m.from.address } : m.from.address,
    to: m.to,
    cc: m.cc.length ? m.cc : undefined,
    // Gmail reads Bcc from the raw message to deliver it and removes it from what recipients get.
    bcc: m.bcc.length ? m.bcc : undefined,
    subject: m.subject,
    html: m.html,
    text: m.text,
    messageId,
    inReplyTo: m.inReplyTo ?? undefined,
    references: references.length ? [...new Set(references)] : undefined,
    date: new Date(),
  });
  const node = mail.compile();
  node.keepBcc = true;
  const buf = await node.build();
  return buf.toString("utf8");
}
