"use client";

import { Send } from "lucide-react";
import { useCallback, useEffect, useId, useState, useTransition } from "react";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { type DevPhoneMessage, devPhoneMessages, sendDevText } from "../dev-actions";

/** A customer's phone: texts the org's number through the Twilio stand-in and shows the agent's replies as they arrive. */
export function DevPhone(props: { defaultFrom: string; defaultTo: string }) {
  const id = useId();
  const [from, setFrom] = useState(props.defaultFrom);
  const [to, setTo] = useState(props.defaultTo);
  const [body, setBody] = useState("");
  const [messages, setMessages] = useState<DevPhoneMessage[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const load = useCallback(async () => {
    const r = await devPhoneMessages(from);
    if (r.ok) setMessages(r.data);
  }, [from]);
  useEffect(() => {
    void load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [load]);

  function send(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const r = await sendDevText({ from, to, body });
      if (r.ok) {
        setBody("");
        setErrors({});
        setFormError(null);
        await load();
        return;
      }
      setErrors(r.fieldErrors ?? {});
      setFormError(r.error);
    });
  }

  return (
    <div className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
      <form onSubmit={send} className="grid content-start gap-4" noValidate>
        <FormError message={formError} />
        <div className="grid gap-2">
          <Label htmlFor={`${id}-from`}>Your phone number</Label>
          <Input id={`${id}-from`} type="tel" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={errors.from ? true : undefined} />
          {errors.from ? <p className="text-sm text-destructive">{errors.from}</p> : null}
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-to`}>Texting</Label>
          <Input id={`${id}-to`} type="tel" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={errors.to ? true : undefined} />
          {errors.to ? <p className="text-sm text-destructive">{errors.to}</p> : null}
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-body`}>Message</Label>
          <Textarea id={`${id}-body`} rows={3} value={body} onChange={(e) => setBody(e.target.value)} aria-invalid={errors.body ? true : undefined} />
          {errors.body ? <p className="text-sm text-destructive">{errors.body}</p> : null}
        </div>
        <div>
          <Button type="submit" disabled={pending}>
            <Send aria-hidden />
            {pending ? "Sending…" : "Send text"}
          </Button>
        </div>
      </form>
      <section aria-label="Phone screen" className="flex min-h-96 flex-col rounded-3xl border-8 border-foreground/80 bg-background p-3">
        <p className="border-b pb-2 text-center text-xs text-muted-foreground">{from}</p>
        <ol className="grid content-start gap-2 overflow-y-auto pt-3" aria-label="Texts on this phone">
          {messages.length === 0 ? <li className="text-center text-sm text-muted-foreground">No texts yet.</li> : null}
          {messages.map((m) => {
            const mine = m.direction === "inbound";
            return (
              <li key={m.sid} className={cn("flex flex-col", mine ? "items-end" : "items-start")} data-testid="dev-phone-message" data-mine={mine}>
                <span className={cn("max-w-[85%] rounded-2xl px-3 py-2 text-sm whitespace-pre-wrap", mine ? "bg-sky-700 text-white" : "bg-muted")}>{m.body}</span>
                <span className="text-[11px] text-muted-foreground">{mine ? `to ${m.to}` : `from ${m.from}`}</span>
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
