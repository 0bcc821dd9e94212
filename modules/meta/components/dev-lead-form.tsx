"use client";

import Link from "next/link";
import { useId, useState, useTransition } from "react";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { sendDevMetaLead } from "../dev-actions";

const FIELDS = [
  { name: "full_name", label: "Full name", autoComplete: "name" },
  { name: "email", label: "Email", autoComplete: "email", type: "email" },
  { name: "phone_number", label: "Phone number", autoComplete: "tel", type: "tel" },
  { name: "state", label: "State", autoComplete: "address-level1" },
  { name: "zip_code", label: "ZIP code", autoComplete: "postal-code" },
  { name: "how_did_you_hear", label: "How did you hear about us?" },
] as const;

/** Plays the Facebook user: fills in the demo page's lead form. */
export function DevMetaLeadForm(props: { forms: { id: string; name: string }[] }) {
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({ formId: props.forms[0]?.id ?? "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ leadgenId: string; status: number }[]>([]);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const r = await sendDevMetaLead(values);
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFormError(r.fieldErrors && Object.keys(r.fieldErrors).length ? null : r.error);
        return;
      }
      setErrors({});
      setFormError(null);
      setSent((s) => [r.data, ...s]);
      setValues((v) => ({ formId: v.formId }));
    });
  }

  return (
    <div className="grid gap-6">
      <form onSubmit={submit} className="grid gap-4 rounded-lg border bg-card p-4" noValidate>
        <FormError message={formError} />
        <div className="grid gap-2">
          <Label htmlFor={`${id}-form`}>Lead form</Label>
          <NativeSelect id={`${id}-form`} value={values.formId} onChange={(e) => setValues((v) => ({ ...v, formId: e.target.value }))}>
            {props.forms.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        {FIELDS.map((f) => (
          <div key={f.name} className="grid gap-2">
            <Label htmlFor={`${id}-${f.name}`}>{f.label}</Label>
            <Input
              id={`${id}-${f.name}`}
              type={"type" in f ? f.type : "text"}
              autoComplete={"autoComplete" in f ? f.autoComplete : "off"}
              value={values[f.name] ?? ""}
              aria-invalid={errors[f.name] ? true : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
            {errors[f.name] ? <p className="text-sm text-destructive">{errors[f.name]}</p> : null}
          </div>
        ))}
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? "Submitting…" : "Submit lead"}
          </Button>
        </div>
      </form>
      {sent.length ? (
        <ul className="grid gap-2 text-sm" aria-label="Leads sent">
          {sent.map((s) => (
            <li key={s.leadgenId} role="status">
              Lead <span className="font-mono">{s.leadgenId}</span> sent; the meta-webhook function answered {s.status}. It appears in{" "}
              <Link href="/leads" className="underline underline-offset-4">
                Leads
              </Link>{" "}
              once the fetch job has run.
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
