"use server";

// The embedded runtime's stand-in for a customer's phone: a text to one of
// the org's numbers goes through the Twilio stand-in, which signs Twilio's
// webhook exactly as Twilio does (the SDK's getExpectedTwilioSignature with
// the account's auth token) and POSTs it to the real twilio-sms function.
// Refused anywhere but the embedded runtime.
import { z } from "zod";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { isEmbedded } from "@/lib/env";
import { DEMO_TWILIO } from "@/modules/twilio";

const E164 = /^\+[1-9][0-9]{6,14}$/;
const devTextSchema = z.object({
  from: z.string().trim().regex(E164, "Your number in E.164, e.g. +15125550201"),
  to: z.string().trim().regex(E164, "The org's number in E.164, e.g. +15125550100"),
  body: z.string().trim().min(1, "Write a message").max(1600, "At most 1,600 characters"),
});

export interface DevPhoneMessage {
  sid: string;
  direction: "inbound" | "outbound-api";
  from: string;
  to: string;
  body: string;
  status: string;
  date: string;
}

function standIn(): string | null {
  return isEmbedded() ? (process.env.TWILIO_API_URL ?? null) : null;
}

export async function sendDevText(input: unknown): Promise<ActionResult<{ sid: string; webhookStatus: number }>> {
  const url = standIn();
  if (!url) return fail("The dev phone exists only on the embedded runtime (npm start).");
  const parsed = devTextSchema.safeParse(input);
  if (!parsed.success) return fail("Please correct the highlighted fields.", Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
  const res = await fetch(`${url}/_dev/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accountSid: DEMO_TWILIO.accountSid, ...parsed.data }),
  });
  const answer = (await res.json()) as { sid?: string; webhookStatus?: number; error?: string };
  if (!res.ok || !answer.sid) return fail(`The Twilio stand-in refused the text: ${answer.error ?? res.status}`);
  if (answer.webhookStatus !== 200) return fail(`Covey's twilio-sms function answered ${answer.webhookStatus}: the number is not registered or its signature was refused.`);
  return ok({ sid: answer.sid, webhookStatus: answer.webhookStatus });
}

/** Every text to or from the customer's number at the stand-in, oldest first: what the phone's screen shows. */
export async function devPhoneMessages(input: unknown): Promise<ActionResult<DevPhoneMessage[]>> {
  const url = standIn();
  if (!url) return fail("The dev phone exists only on the embedded runtime (npm start).");
  const number = z.string().regex(E164).safeParse(input);
  if (!number.success) return ok([]);
  const res = await fetch(`${url}/_dev/messages?number=${encodeURIComponent(number.data)}`, { cache: "no-store" });
  const { messages } = (await res.json()) as { messages: { sid: string; direction: DevPhoneMessage["direction"]; from: string; to: string; body: string; status: string; date_created: string }[] };
  return ok(messages.map((m) => ({ sid: m.sid, direction: m.direction, from: m.from, to: m.to, body: m.body, status: m.status, date: new Date(m.date_created).toISOString() })));
}
