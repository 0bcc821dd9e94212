"use client";

import { parsePhoneNumberFromString } from "libphonenumber-js";
import { Phone, PhoneOff } from "lucide-react";
import { useCallback, useEffect, useState, useTransition } from "react";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { type DevPlacedCall, devActOnCall, devPlacedCalls } from "../dev-actions";
import { CALL_STATUS_LABELS, formatDuration } from "../schema";

const readable = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

function Placed(props: { call: DevPlacedCall; onAct: (act: "answer" | "decline" | "hangup") => void; pending: boolean }) {
  const c = props.call;
  const to = c.dial ? readable(c.dial.number) : "nobody";
  if (c.status === "ringing" || c.status === "queued" || c.status === "initiated") {
    return (
      <li className="grid gap-3 rounded-lg border border-sky-600/40 bg-sky-50 p-4 dark:bg-sky-950/30" data-testid="dev-placed-call" data-status={c.status}>
        <p className="font-medium">
          <Phone aria-hidden className="mr-1 inline size-4 animate-pulse" />
          {readable(c.to)} is ringing
        </p>
        <p className="text-sm text-muted-foreground">
          Covey is calling you from {readable(c.from)}; answer and it connects you to {to}.
        </p>
        <div className="flex gap-2">
          <Button type="button" size="sm" disabled={props.pending || c.status !== "ringing"} onClick={() => props.onAct("answer")}>
            <Phone aria-hidden />
            Answer
          </Button>
          <Button type="button" size="sm" variant="outline" disabled={props.pending || c.status !== "ringing"} onClick={() => props.onAct("decline")}>
            <PhoneOff aria-hidden />
            Decline
          </Button>
        </div>
      </li>
    );
  }
  if (c.status === "in-progress") {
    return (
      <li className="grid gap-3 rounded-lg border border-emerald-600/40 bg-emerald-50 p-4 dark:bg-emerald-950/30" data-testid="dev-placed-call" data-status={c.status}>
        <p className="font-medium">Connected to {to}</p>
        <p className="text-sm text-muted-foreground">They see {readable(c.dial?.callerId ?? c.from)} calling. Hang up to end the call.</p>
        <div>
          <Button type="button" size="sm" variant="destructive" disabled={props.pending} onClick={() => props.onAct("hangup")}>
            <PhoneOff aria-hidden />
            Hang up
          </Button>
        </div>
      </li>
    );
  }
  return (
    <li className="flex flex-wrap justify-between gap-2 rounded-lg border p-3 text-sm" data-testid="dev-placed-call" data-status={c.status}>
      <span>
        To {to} from {readable(c.to)}
      </span>
      <span className="text-muted-foreground">
        {c.status === "busy" ? "Declined" : (CALL_STATUS_LABELS[c.status] ?? c.status)}
        {c.status === "completed" && c.duration !== null ? ` · ${formatDuration(c.duration)}` : null}
      </span>
    </li>
  );
}

/** The member's own phone for click-to-call: the calls Covey placed to it, ringing, connected or over. */
export function DevAgentPhone() {
  const [calls, setCalls] = useState<DevPlacedCall[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const load = useCallback(async () => {
    const r = await devPlacedCalls();
    if (r.ok) setCalls(r.data);
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(load, 1500);
    return () => clearInterval(timer);
  }, [load]);

  const act = (sid: string) => (what: "answer" | "decline" | "hangup") =>
    start(async () => {
      const r = await devActOnCall({ sid, act: what });
      setError(r.ok ? null : r.error);
      await load();
    });

  return (
    <div className="grid gap-3">
      <FormError message={error} />
      {calls.length === 0 ? <p className="text-sm text-muted-foreground">No calls yet. Press Call on a person or lead in Covey.</p> : null}
      <ol className="grid gap-2" aria-label="Calls to your phone">
        {calls.map((c) => (
          <Placed key={c.sid} call={c} onAct={act(c.sid)} pending={pending} />
        ))}
      </ol>
    </div>
  );
}
