"use client";

import { PhoneCall, PhoneIncoming, PhoneOutgoing } from "lucide-react";
import type { ReactNode } from "react";
import { CALL_OUTCOMES, CALL_STATUS_LABELS, formatDuration, LiveCallRefresh } from "@/modules/calls/ui";
import type { TimelineCall } from "../queries";
import type { ItemProps } from "./timeline-items";

interface CallKindView {
  icon: typeof PhoneCall;
  tone?: string;
  summary: (p: ItemProps) => ReactNode;
  body?: (p: ItemProps) => ReactNode;
}

function facts(c: TimelineCall): string {
  const parts: string[] = [];
  if (c.source === "manual") parts.push(CALL_OUTCOMES[c.outcome as keyof typeof CALL_OUTCOMES] ?? c.outcome ?? "");
  else if (c.voicemail) parts.push("Voicemail");
  else parts.push(CALL_STATUS_LABELS[c.status] ?? c.status);
  const duration = formatDuration(c.durationSeconds);
  if (duration) parts.push(duration);
  if (c.answeredByName) parts.push(`answered by ${c.answeredByName}`);
  if (c.errorMessage) parts.push(`Twilio: ${c.errorMessage}`);
  return parts.filter(Boolean).join(" · ");
}

/** The call as it is now: how it went, how long, the notes, and a player for its recording or voicemail. */
function CallBody(p: ItemProps) {
  const c = p.item.call;
  if (!c) return null;
  return (
    <div className="grid gap-1.5" data-testid="timeline-call">
      {c.source === "twilio" ? <LiveCallRefresh status={c.status} since={p.item.occurredAt} /> : null}
      <p className="text-xs text-muted-foreground" data-testid="timeline-call-status">
        {facts(c)}
      </p>
      {c.notes ? <p className="rounded-md border bg-muted/40 px-3 py-2 text-sm whitespace-pre-wrap text-foreground">{c.notes}</p> : null}
      {c.recordingUrl ? (
        <figure className="grid gap-1">
          <figcaption className="text-xs text-muted-foreground">
            {c.voicemail ? "Voicemail" : "Recording"}
            {c.recordingDurationSeconds !== null ? ` · ${formatDuration(c.recordingDurationSeconds)}` : null}
          </figcaption>
          {/* Twilio keeps recordings behind the account's credentials: the app fetches the audio for the member. */}
          <audio controls preload="none" src={`/api/calls/${c.id}/recording`} className="h-9 w-full max-w-sm" aria-label={c.voicemail ? "Play voicemail" : "Play recording"} />
        </figure>
      ) : null}
    </div>
  );
}

const number = (p: ItemProps) => (p.item.call?.contactNumber ? <> at {p.item.call.contactNumber}</> : null);

/** Calls (modules/calls): logged by a member, received on an org number, or placed with click-to-call. */
export const CALL_KINDS: Record<string, CallKindView> = {
  call_logged: {
    icon: PhoneCall,
    summary: (p) => (
      <>
        logged {p.item.call?.direction === "inbound" ? "a call from" : "a call to"} this {p.item.via?.type ?? p.subject.type}
        {number(p)}
      </>
    ),
    body: CallBody,
  },
  call_received: {
    icon: PhoneIncoming,
    tone: "text-sky-600 dark:text-sky-400",
    summary: (p) => (
      <>
        {p.item.call?.voicemail ? "took a voicemail from" : "received a call from"} {p.item.call?.contactNumber ?? `this ${p.subject.type}`}
      </>
    ),
    body: CallBody,
  },
  call_placed: { icon: PhoneOutgoing, summary: (p) => <>called this {p.subject.type}{number(p)}</>, body: CallBody },
};

