"use client";

import { Send } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { TemplatePicker } from "@/modules/templates/ui";
import { countSegments } from "@/modules/twilio/ui";
import { sendSmsAction } from "../actions";
import { SMS_MAX_LENGTH } from "../schema";

export interface ComposerProps {
  record: { type: "person" | "lead" | "deal"; id: string };
  phones: { number: string; label: string }[];
  onSent: () => void;
}

/** Writes a text: one of the org's templates filled for the record to start from, the GSM-7/UCS-2 segment counter, the number to send from. */
export function SmsComposer(props: ComposerProps) {
  const id = useId();
  const [body, setBody] = useState("");
  const [from, setFrom] = useState(props.phones[0]?.number ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const count = countSegments(body);

  function send(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const result = await sendSmsAction({ record: props.record, body, from });
      if (result.ok) {
        setBody("");
        setErrors({});
        setFormError(null);
        props.onSent();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors?.body || result.fieldErrors?.from ? null : result.error);
    });
  }

  const fieldError = errors.to ?? errors.body ?? errors.from;
  return (
    <form onSubmit={send} className="grid gap-3" noValidate>
      <FormError message={formError ?? errors.to ?? null} />
      <div className="flex flex-wrap gap-3">
        <div className="min-w-40 flex-1">
          <TemplatePicker id={`${id}-template`} channel="sms" record={props.record} onApply={(t) => setBody(t.body)} />
        </div>
        {props.phones.length > 1 ? (
          <div className="grid min-w-40 flex-1 gap-1.5">
            <Label htmlFor={`${id}-from`}>From</Label>
            <NativeSelect id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={errors.from ? true : undefined}>
              {props.phones.map((p) => (
                <option key={p.number} value={p.number}>
                  {p.label ? `${p.label} (${p.number})` : p.number}
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-body`}>Message</Label>
        <Textarea
          id={`${id}-body`}
          rows={4}
          maxLength={SMS_MAX_LENGTH}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) send(e);
          }}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={`${id}-count${fieldError ? ` ${id}-error` : ""}`}
        />
        <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
          <span id={`${id}-count`} data-testid="sms-counter">
            {body.length}/{SMS_MAX_LENGTH} characters · {count.segments} {count.segments === 1 ? "segment" : "segments"} · {count.encoding}
            {count.segments > 0 ? ` · ${count.remaining} left in this segment` : null}
          </span>
          {errors.body || errors.from ? (
            <span id={`${id}-error`} className="text-destructive">
              {errors.body ?? errors.from}
            </span>
          ) : null}
        </div>
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending || props.phones.length === 0}>
          <Send aria-hidden />
          {pending ? "Sending…" : "Send text"}
        </Button>
      </div>
    </form>
  );
}
