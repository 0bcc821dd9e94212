// What Settings → Templates saves and what the compose drawers and the
// preview ask for, checked the same in the browser and on the server. The
// variables themselves are checked by the engine (engine.ts).
import { z } from "zod";
import { zString } from "@/lib/validation";
import { describeProblems, problemsOf } from "./engine";

export const TEMPLATE_CHANNELS = ["sms", "email"] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export const CHANNEL_LABELS: Record<TemplateChannel, string> = { sms: "SMS", email: "Email" };

export const SMS_TEMPLATE_MAX = 1600;
export const EMAIL_TEMPLATE_MAX = 200_000;

const FIELD_LABELS = { subject: "The subject", body: "The message", textBody: "The plain text" } as const;

export const templateInputSchema = z
  .object({
    channel: z.enum(TEMPLATE_CHANNELS, { error: "Choose SMS or email" }),
    name: zString("The name", { error: "Name the template" }).trim().min(1, "Name the template").max(100, "A name holds at most 100 characters"),
    subject: zString("The subject").trim().max(500, "The subject is too long (500 characters at most)").nullish(),
    body: zString("The message", { error: "Write the message" }).max(EMAIL_TEMPLATE_MAX, "The message is too long"),
    /** The email's plain-text alternative; null or left out: generated from the HTML. */
    textBody: zString("The plain text").max(EMAIL_TEMPLATE_MAX, "The plain text is too long").nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.channel === "email" && !v.subject) ctx.addIssue({ code: "custom", path: ["subject"], message: "Enter a subject" });
    if (v.channel === "sms" && v.body.length > SMS_TEMPLATE_MAX) {
      ctx.addIssue({ code: "custom", path: ["body"], message: `A text holds at most ${SMS_TEMPLATE_MAX} characters` });
    }
    if (!v.body.trim()) ctx.addIssue({ code: "custom", path: ["body"], message: "Write the message" });
    for (const field of ["subject", "body", "textBody"] as const) {
      const text = v[field];
      const problems = text ? problemsOf(text) : null;
      if (problems) ctx.addIssue({ code: "custom", path: [field], message: describeProblems(problems, FIELD_LABELS[field]) });
    }
  });
export type TemplateInput = z.input<typeof templateInputSchema>;

export const recordRefSchema = z.object({
  type: z.enum(["person", "lead", "deal"], { error: "Pick a person, lead or deal" }),
  id: z.uuid("Not a valid record"),
});
export type TemplateRecordRef = z.output<typeof recordRefSchema>;

export const previewInputSchema = z.object({
  channel: z.enum(TEMPLATE_CHANNELS),
  subject: zString().max(500).nullish(),
  body: zString().max(EMAIL_TEMPLATE_MAX),
  textBody: zString().max(EMAIL_TEMPLATE_MAX).nullish(),
  record: recordRefSchema.nullish(),
});

export const useTemplateSchema = z.object({ templateId: z.uuid("Not a valid template"), record: recordRefSchema });
