"use client";

import { Phone, PhoneOff, Voicemail } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { type DevCall, type DevHeard, hangUpDevCall, leaveDevVoicemail, startDevCall } from "../dev-caller-actions";
import { formatDuration } from "../schema";

function HeardLine({ h }: { h: DevHeard }) {
  switch (h.kind) {
    case "say":
      return <>“{h.text}”</>;
    case "play":
      return <>A recording plays ({h.url})</>;
    case "dial":
      return h.answered ? <>Ringing {h.number}… the agent answers.</> : <>Ringing {h.number} for {h.timeout} seconds… no answer.</>;
    case "beep":
      return <>Beep. Leave your message (up to {formatDuration(h.maxLength)}).</>;
    case "message":
      return <>You leave a {formatDuration(h.seconds)} message{h.words ? <>: “{h.words}”</> : null}</>;
    case "rejected":
      return <>Busy: the number takes no calls.</>;
    case "hangup":
      return <>{h.by === "caller" ? "You hang up." : "The call ends."}</>;
  }
}

/** A customer's phone calling the org's number: what the caller hears, the beep, the message, hanging up. */
export function DevCaller(props: { defaultFrom: string; defaultTo: string }) {
  const id = useId();
  const [from, setFrom] = useState(props.defaultFrom);
  const [to, setTo] = useState(props.defaultTo);
  const [agentAnswers, setAgentAnswers] = useState(false);
  const [words, setWords] = useState("");
  const [seconds, setSeconds] = useState("");
  const [call, setCall] = useState<DevCall | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const live = call !== null && (call.status === "ringing" || call.status === "in-progress");

  function run(action: () => Promise<Awaited<ReturnType<typeof startDevCall>>>) {
    start(async () => {
      const r = await action();
      if (r.ok) {
        setCall(r.data);
        setErrors({});
        setFormError(null);
        return;
      }
      setErrors(r.fieldErrors ?? {});
      setFormError(r.error);
    });
  }

  function dial(e: React.FormEvent) {
    e.preventDefault();
    setWords("");
    setSeconds("");
    run(() => startDevCall({ from, to, agentAnswers }));
  }

  return (
    <div className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
      <form onSubmit={dial} className="grid content-start gap-4" noValidate>
        <FormError message={formError} />
        <div className="grid gap-2">
          <Label htmlFor={`${id}-from`}>Calling from</Label>
          <Input id={`${id}-from`} type="tel" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={errors.from ? true : undefined} />
          {errors.from ? <p className="text-sm text-destructive">{errors.from}</p> : null}
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-to`}>Number to call</Label>
          <Input id={`${id}-to`} type="tel" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={errors.to ? true : undefined} />
          {errors.to ? <p className="text-sm text-destructive">{errors.to}</p> : null}
        </div>
        <div className="flex items-center gap-2">
          <Checkbox id={`${id}-answers`} checked={agentAnswers} onCheckedChange={(v) => setAgentAnswers(v === true)} />
          <Label htmlFor={`${id}-answers`}>The agent answers when the call is forwarded</Label>
        </div>
        <div>
          <Button type="submit" disabled={pending || live}>
            <Phone aria-hidden />
            {pending && !call ? "Calling…" : "Call"}
          </Button>
        </div>
      </form>
      <section aria-label="Call screen" className="flex min-h-96 flex-col gap-3 rounded-3xl border-8 border-foreground/80 bg-background p-3">
        <p className="border-b pb-2 text-center text-xs text-muted-foreground" data-testid="dev-call-status">
          {call ? `${live ? "On a call with" : "Called"} ${call.to}${live ? "" : ` · ${formatDuration(call.seconds)}`}` : "No call yet."}
        </p>
        {call ? (
          <ol className="grid content-start gap-2 text-sm" aria-label="What you hear">
            {call.heard.map((h, i) => (
              <li key={i} data-testid="dev-call-heard" data-kind={h.kind} className={h.kind === "say" ? "rounded-2xl bg-muted px-3 py-2" : "text-muted-foreground"}>
                <HeardLine h={h} />
              </li>
            ))}
          </ol>
        ) : null}
        {call?.waitingForMessage ? (
          <div className="grid gap-2 border-t pt-3">
            <Label htmlFor={`${id}-words`}>Your message</Label>
            <Textarea id={`${id}-words`} rows={3} value={words} onChange={(e) => setWords(e.target.value)} aria-invalid={errors.words ? true : undefined} />
            {errors.words ? <p className="text-sm text-destructive">{errors.words}</p> : null}
            <Label htmlFor={`${id}-seconds`}>Or just its length, in seconds</Label>
            <Input id={`${id}-seconds`} inputMode="numeric" value={seconds} onChange={(e) => setSeconds(e.target.value)} aria-invalid={errors.seconds ? true : undefined} />
            {errors.seconds ? <p className="text-sm text-destructive">{errors.seconds}</p> : null}
            <Button type="button" disabled={pending} onClick={() => run(() => leaveDevVoicemail({ sid: call.sid, words, seconds }))}>
              <Voicemail aria-hidden />
              Leave voicemail
            </Button>
          </div>
        ) : null}
        {live ? (
          <Button type="button" variant="destructive" className="mt-auto" disabled={pending} onClick={() => run(() => hangUpDevCall(call.sid))}>
            <PhoneOff aria-hidden />
            Hang up
          </Button>
        ) : null}
      </section>
    </div>
  );
}
