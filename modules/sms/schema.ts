// Input of the compose drawer and POST /api/v1/messages, checked the same in
// the browser and on the server.
import { z } from "zod";
import { zString } from "@/lib/validation";

export const SMS_MAX_LENGTH = 1600;

export const sendSmsSchema = z.object({
  record: z.object({
    type: z.enum(["person", "lead", "deal"], { error: "Texts go to a person, a lead or a deal" }),
    id: z.uuid("Not a valid record"),
  }),
  body: zString("The message", { error: "Write the message" })
    .trim()
    .min(1, "Write the message")
    .max(SMS_MAX_LENGTH, `A text holds at most ${SMS_MAX_LENGTH} characters`),
  /** The org's number to send from; the contact's last number, else the first texting number, when left out. */
  from: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{6,14}$/, "Choose one of your numbers")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type SendSmsInput = z.input<typeof sendSmsSchema>;

export const threadRefSchema = z.object({
  contact: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "Not a phone number"),
});

/** Starter templates: `{{first_name}}`, `{{last_name}}`, `{{full_name}}`, `{{my_first_name}}` are filled from the record and the sender. */
export const SMS_TEMPLATES = [
  { id: "intro", label: "Introduction", body: "Hi {{first_name}}, this is {{my_first_name}}. Thanks for reaching out! When is a good time to talk?" },
  { id: "follow_up", label: "Follow-up", body: "Hi {{first_name}}, just following up on our conversation. Any questions I can answer?" },
  { id: "missed_call", label: "Missed call", body: "Hi {{first_name}}, sorry I missed your call. I'll try you again shortly. – {{my_first_name}}" },
  { id: "appointment", label: "Appointment reminder", body: "Hi {{first_name}}, a reminder of our appointment tomorrow. Reply to confirm or reschedule." },
] as const;

export interface TemplateValues {
  first_name?: string | null;
  last_name?: string | null;
  my_first_name?: string | null;
}

/** A template with its variables filled; an unknown or empty variable becomes "" so no braces reach the customer. */
export function fillTemplate(body: string, values: TemplateValues): string {
  const full = [values.first_name, values.last_name].filter(Boolean).join(" ");
  const all: Record<string, string> = {
    first_name: values.first_name ?? "",
    last_name: values.last_name ?? "",
    full_name: full,
    my_first_name: values.my_first_name ?? "",
  };
  return body
    .replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, key: string) => all[key] ?? "")
    .replace(/ +([,.!?])/g, "$1")
    .replace(/ {2,}/g, " ")
    .trim();
}
