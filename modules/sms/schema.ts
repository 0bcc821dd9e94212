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
export type SendSms = z.output<typeof sendSmsSchema>;

export const threadRefSchema = z.object({
  contact: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "Not a phone number"),
});
