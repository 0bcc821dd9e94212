// Input of "Log call" on a person or lead, checked the same in the browser
// and on the server.
import { z } from "zod";
import { parseIsoDateTime, zString } from "@/lib/validation";

export const CALL_OUTCOMES = {
  connected: "Connected",
  left_voicemail: "Left voicemail",
  no_answer: "No answer",
  busy: "Busy",
  wrong_number: "Wrong number",
} as const;
export type CallOutcome = keyof typeof CALL_OUTCOMES;

/** The Twilio-style status a logged outcome stands for, so every call reads the same in reports and events. */
export const OUTCOME_STATUS: Record<CallOutcome, string> = {
  connected: "completed",
  left_voicemail: "completed",
  no_answer: "no-answer",
  busy: "busy",
  wrong_number: "completed",
};

const MAX_MINUTES = 24 * 60;

export const logCallSchema = z.object({
  record: z.object({
    type: z.enum(["person", "lead"], { error: "Calls are logged on a person or a lead" }),
    id: z.uuid("Not a valid record"),
  }),
  direction: z.enum(["outbound", "inbound"], { error: "Choose who called" }),
  outcome: z.enum(Object.keys(CALL_OUTCOMES) as [CallOutcome, ...CallOutcome[]], { error: "Choose how the call went" }),
  /** Minutes, decimals allowed (2.5 is two and a half minutes); empty when unknown. */
  minutes: z
    .union([z.number(), z.string().trim()])
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = typeof v === "number" ? v : Number(v.replace(",", "."));
      if (!Number.isFinite(n) || n < 0 || n > MAX_MINUTES) {
        ctx.addIssue({ code: "custom", message: `Minutes between 0 and ${MAX_MINUTES}` });
        return z.NEVER;
      }
      return Math.round(n * 60);
    })
    .optional()
    .transform((v) => v ?? null),
  notes: zString("Notes").trim().max(5000, "Notes hold at most 5,000 characters").default(""),
  /** When the call happened; now when left out. */
  at: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      // With its offset: the server cannot know the zone a bare time was meant in.
      const d = parseIsoDateTime(v);
      if (!d) {
        ctx.addIssue({ code: "custom", message: "Not a date and time with its offset, e.g. 2026-12-07T15:00:00Z" });
        return z.NEVER;
      }
      if (d.getTime() > Date.now() + 5 * 60_000) {
        ctx.addIssue({ code: "custom", message: "A logged call cannot be in the future" });
        return z.NEVER;
      }
      return d.toISOString();
    }),
});
export type LogCallInput = z.input<typeof logCallSchema>;

/** How a call's duration reads: 4:05, 1:02:03. */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

export const CALL_STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  ringing: "Ringing",
  "in-progress": "In progress",
  completed: "Completed",
  busy: "Busy",
  "no-answer": "No answer",
  failed: "Failed",
  canceled: "Canceled",
};

/** Click-to-call on a person, lead or deal: the record's main phone, or one of its own numbers. */
export const placeCallSchema = z.object({
  record: z.object({
    type: z.enum(["person", "lead", "deal"], { error: "Calls are placed from a person, a lead or a deal" }),
    id: z.uuid("Not a valid record"),
  }),
  number: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{6,14}$/, "A phone number in E.164, e.g. +14155550100")
    .optional(),
});
export type PlaceCallInput = z.input<typeof placeCallSchema>;
