// What the compose drawer, the send action and POST /api/v1/emails accept.
import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";
import { zString } from "@/lib/validation";

export const EMAIL_SUBJECTS = ["person", "lead", "deal"] as const;
export const MAX_RECIPIENTS = 50;
export const MAX_BODY_HTML = 200_000;

const EMAIL = /^[^@\s<>(),;:"]+@[^@\s<>(),;:"]+\.[^@\s<>(),;:"]+$/;

/** "Ada <ada@x.com>, bob@y.com" or a list of either → plain addresses, each checked. */
const addressList = (label: string) =>
  z
    .union([zString(label), z.array(zString(label))])
    .optional()
    .transform((v, ctx) => {
      const raw = Array.isArray(v) ? v.join(",") : (v ?? "");
      const parsed = addressparser(raw, { flatten: true }) as { address?: string; name?: string }[];
      const out: string[] = [];
      for (const a of parsed) {
        const address = (a.address ?? "").trim().toLowerCase();
        if (!address && !a.name) continue;
        if (!EMAIL.test(address)) {
          ctx.addIssue({ code: "custom", message: `${label}: “${a.address || a.name}” is not an email address` });
          return z.NEVER;
        }
        if (!out.includes(address)) out.push(address);
      }
      if (out.length > MAX_RECIPIENTS) {
        ctx.addIssue({ code: "custom", message: `${label}: ${MAX_RECIPIENTS} addresses at most` });
        return z.NEVER;
      }
      return out;
    });

export const composeSchema = z
  .object({
    subject: z.object({ type: z.enum(EMAIL_SUBJECTS, { error: "Emails are sent from a person, lead or deal" }), id: z.uuid("Not a valid record") }),
    to: addressList("To"),
    cc: addressList("Cc"),
    bcc: addressList("Bcc"),
    title: zString("The subject", { error: "Enter a subject" }).trim().min(1, "Enter a subject").max(500, "The subject is too long (500 characters at most)"),
    html: zString("The email", { error: "Write the email" }).max(MAX_BODY_HTML, "The email is too long"),
    /** The plain-text alternative (a template's own); generated from the HTML when left out. */
    text: zString("The plain text").max(MAX_BODY_HTML, "The plain text is too long").nullish(),
    /** The email this one answers: it goes in the same Gmail thread. */
    replyTo: z.uuid("Not a valid email").nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.to.length) ctx.addIssue({ code: "custom", path: ["to"], message: "Add at least one recipient" });
  });
export type ComposeInput = z.input<typeof composeSchema>;
export type Compose = z.output<typeof composeSchema>;
