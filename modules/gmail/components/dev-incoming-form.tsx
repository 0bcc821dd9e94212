"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { writeDevIncomingMail } from "../dev-actions";

export interface DevThread {
  messageId: string;
  subject: string;
  to: string;
}

/** Plays a contact writing to the member's Gmail: a new email, or a reply to one the member sent. */
export function DevIncomingMailForm({ sent }: { sent: DevThread[] }) {
  const id = useId();
  const router = useRouter();
  const [v, setV] = useState({ from: sent[0]?.to ?? "", fromName: "", subject: sent[0] ? `Re: ${sent[0].subject}` : "", text: "", inReplyTo: sent[0]?.messageId ?? "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => setV((s) => ({ ...s, [k]: e.target.value }));

  return (
    <form
      className="grid gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await writeDevIncomingMail(v);
          if (!r.ok) {
            setErrors({ ...(r.fieldErrors ?? {}), form: r.error });
            setDone(null);
            return;
          }
          setErrors({});
          setDone(`Delivered (Gmail message ${r.data.id}, thread ${r.data.threadId}).`);
          setV((s) => ({ ...s, text: "" }));
          router.refresh();
        });
      }}
    >
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-reply`}>Replying to</Label>
        <NativeSelect
          id={`${id}-reply`}
          value={v.inReplyTo}
          onChange={(e) => {
            const t = sent.find((s) => s.messageId === e.target.value);
            setV((s) => ({ ...s, inReplyTo: e.target.value, ...(t ? { from: t.to, subject: `Re: ${t.subject}` } : {}) }));
          }}
        >
          <option value="">Nothing: a new email</option>
          {sent.map((s) => (
            <option key={s.messageId} value={s.messageId}>
              {s.subject} (to {s.to})
            </option>
          ))}
        </NativeSelect>
      </div>
      {(
        [
          ["from", "From (the contact's email)"],
          ["fromName", "From name"],
          ["subject", "Subject"],
        ] as const
      ).map(([k, label]) => (
        <div key={k} className="grid gap-1.5">
          <Label htmlFor={`${id}-${k}`}>{label}</Label>
          <Input id={`${id}-${k}`} value={v[k]} onChange={set(k)} aria-invalid={!!errors[k]} />
          {errors[k] ? <p className="text-sm text-destructive">{errors[k]}</p> : null}
        </div>
      ))}
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-text`}>Message</Label>
        <Textarea id={`${id}-text`} value={v.text} onChange={set("text")} rows={5} aria-invalid={!!errors.text} />
        {errors.text ? <p className="text-sm text-destructive">{errors.text}</p> : null}
      </div>
      {errors.form ? (
        <p role="alert" className="text-sm text-destructive">
          {errors.form}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {done}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Delivering…" : "Deliver to the mailbox"}
        </Button>
      </div>
    </form>
  );
}
