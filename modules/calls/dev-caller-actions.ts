"use server";

// The embedded runtime's stand-in for a customer calling one of the org's
// numbers: the Twilio stand-in asks the real twilio-voice function what to
// do (signed as Twilio signs) and plays its TwiML; these actions start the
// call, leave a message at the beep, hang up, and read what the caller
// heard. Refused anywhere but the embedded runtime.
import { z } from "zod";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { isEmbedded } from "@/lib/env";
import { DEMO_TWILIO } from "@/modules/twilio";

const E164 = /^\+[1-9][0-9]{6,14}$/;
const devCallSchema = z.object({
  from: z.string().trim().regex(E164, "Your number in E.164, e.g. +15125550201"),
  to: z.string().trim().regex(E164, "The org's number in E.164, e.g. +15125550100"),
  agentAnswers: z.boolean().default(false),
});
const voicemailSchema = z
  .object({
    sid: z.string().regex(/^CA[0-9a-f]{32}$/),
    words: z.string().trim().max(2000, "At most 2,000 characters").default(""),
    seconds: z.union([z.literal(""), z.coerce.number().int("Whole seconds").min(1, "At least 1 second").max(600, "At most 600 seconds")]).default(""),
  })
  .refine((v) => v.words !== "" || v.seconds !== "", { path: ["words"], message: "Say something, or give the message's length" });

/** What the caller heard and did, in order, as the stand-in tells it. */
export type DevHeard =
  | { kind: "say"; text: string }
  | { kind: "play"; url: string }
  | { kind: "dial"; number: string; timeout: number; answered: boolean }
  | { kind: "beep"; maxLength: number }
  | { kind: "message"; words: string; seconds: number }
  | { kind: "rejected" }
  | { kind: "hangup"; by: "caller" | "twilio" };

export interface DevCall {
  sid: string;
  from: string;
  to: string;
  status: "ringing" | "in-progress" | "completed" | "busy";
  waitingForMessage: boolean;
  maxLength: number | null;
  heard: DevHeard[];
  seconds: number;
  webhookStatuses: number[];
}

const NOT_HERE = "The dev phone exists only on the embedded runtime (npm start).";

function standIn(): string | null {
  return isEmbedded() ? (process.env.TWILIO_API_URL ?? null) : null;
}

const fieldErrorsOf = (e: z.ZodError) => Object.fromEntries(e.issues.map((i) => [i.path.join("."), i.message]));

async function post(url: string, path: string, body: unknown): Promise<ActionResult<DevCall>> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const answer = (await res.json()) as DevCall & { error?: string };
  if (!res.ok) return fail(`The Twilio stand-in refused: ${answer.error ?? res.status}`);
  if (answer.webhookStatuses.some((s) => s >= 400)) {
    return fail(`Covey's twilio-voice function answered ${answer.webhookStatuses.find((s) => s >= 400)}: the number is not registered or its signature was refused.`);
  }
  return ok(answer);
}

export async function startDevCall(input: unknown): Promise<ActionResult<DevCall>> {
  const url = standIn();
  if (!url) return fail(NOT_HERE);
  const parsed = devCallSchema.safeParse(input);
  if (!parsed.success) return fail("Please correct the highlighted fields.", fieldErrorsOf(parsed.error));
  return post(url, "/_dev/voice/calls", { accountSid: DEMO_TWILIO.accountSid, ...parsed.data });
}

export async function leaveDevVoicemail(input: unknown): Promise<ActionResult<DevCall>> {
  const url = standIn();
  if (!url) return fail(NOT_HERE);
  const parsed = voicemailSchema.safeParse(input);
  if (!parsed.success) return fail("Please correct the highlighted fields.", fieldErrorsOf(parsed.error));
  const { sid, words, seconds } = parsed.data;
  return post(url, "/_dev/voice/calls/voicemail", { sid, words, ...(seconds === "" ? {} : { seconds }) });
}

export async function hangUpDevCall(sid: unknown): Promise<ActionResult<DevCall>> {
  const url = standIn();
  if (!url) return fail(NOT_HERE);
  const parsed = z.string().regex(/^CA[0-9a-f]{32}$/).safeParse(sid);
  if (!parsed.success) return fail("No such call.");
  return post(url, "/_dev/voice/calls/hangup", { sid: parsed.data });
}
