"use server";

// The embedded runtime's stand-in for the member's own phone: the calls
// click-to-call asked the Twilio stand-in to place, and the phone's
// buttons (answer, decline, hang up), which make the stand-in send Twilio's
// signed status callbacks to the real twilio-voice function. Refused
// anywhere but the embedded runtime.
import { z } from "zod";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { isEmbedded } from "@/lib/env";

export interface DevPlacedCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  /** Where its TwiML's <Dial> connects the answered call, and the caller id it shows. */
  dial: { number: string; callerId: string | null } | null;
  duration: number | null;
  createdAt: string;
}

function standIn(): string | null {
  return isEmbedded() ? (process.env.TWILIO_API_URL ?? null) : null;
}

/** The latest calls placed to a phone through the stand-in, newest first. */
export async function devPlacedCalls(): Promise<ActionResult<DevPlacedCall[]>> {
  const url = standIn();
  if (!url) return fail("The dev phone exists only on the embedded runtime (npm start).");
  const res = await fetch(`${url}/_dev/calls`, { cache: "no-store" });
  const { calls } = (await res.json()) as {
    calls: { sid: string; direction: string; from: string; to: string; status: string; duration: string | null; date_created: string; dial: DevPlacedCall["dial"] }[];
  };
  return ok(
    calls
      .filter((c) => c.direction === "outbound-api")
      .slice(0, 5)
      .map((c) => ({
        sid: c.sid,
        from: c.from,
        to: c.to,
        status: c.status,
        dial: c.dial,
        duration: c.duration === null ? null : Number(c.duration),
        createdAt: new Date(c.date_created).toISOString(),
      })),
  );
}

const actSchema = z.object({ sid: z.string().regex(/^CA[0-9a-f]{32}$/), act: z.enum(["answer", "decline", "hangup"]) });

/** The phone answers, declines or hangs up the call. */
export async function devActOnCall(input: unknown): Promise<ActionResult> {
  const url = standIn();
  if (!url) return fail("The dev phone exists only on the embedded runtime (npm start).");
  const parsed = actSchema.safeParse(input);
  if (!parsed.success) return fail("Not a call the stand-in placed.");
  const res = await fetch(`${url}/_dev/calls/${parsed.data.act}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sid: parsed.data.sid }),
  });
  if (!res.ok) return fail(`The Twilio stand-in refused: ${((await res.json()) as { error?: string }).error ?? res.status}`);
  return ok();
}
