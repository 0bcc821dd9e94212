import { Resend } from "resend";
import { database, sql } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** What kind of email this is (invite, magiclink, recovery, ...). */
  tag: string;
  /** The org it is sent for; without one it is logged under the recipient's org, if they have one. */
  orgId?: string | null;
}

export interface MailDriver {
  send(message: MailMessage & { from: string }): Promise<void>;
}

/** Production: Resend. */
export function resendDriver(apiKey: string): MailDriver {
  const resend = new Resend(apiKey);
  return {
    async send(m) {
      const { error } = await resend.emails.send({
        from: m.from,
        to: m.to,
        subject: m.subject,
        html: m.html,
        text: m.text,
        tags: [{ name: "type", value: m.tag }],
      });
      if (error) throw new Error(`Resend refused the email: ${error.message}`);
    },
  };
}

/** Embedded runtime: the local mailbox shown at /dev/mailbox. */
export const devMailboxDriver: MailDriver = {
  async send(m) {
    await database().asService((tx) =>
      sql`insert into local_dev.mailbox (to_address, from_address, subject, html, text, tag)
          values (${m.to}, ${m.from}, ${m.subject}, ${m.html}, ${m.text}, ${m.tag})`.execute(tx),
    );
  },
};

export async function sendMail(message: MailMessage): Promise<void> {
  const e = env();
  const driver = e.MAIL_DRIVER === "resend" ? resendDriver(e.RESEND_API_KEY!) : devMailboxDriver;
  await driver.send({ ...message, from: e.MAIL_FROM });
  log.info({ event: "mail.sent", tag: message.tag, driver: e.MAIL_DRIVER }, "email sent");
  // Every email that went out is logged with its org (never its body: it may hold a sign-in link).
  await database().asService((tx) =>
    sql`select private.log_system_email(${message.orgId ?? null}, ${message.to}, ${e.MAIL_FROM}, ${message.subject}, ${message.tag},
                                        ${e.MAIL_DRIVER === "resend" ? "resend" : "dev_mailbox"})`.execute(tx),
  );
}
