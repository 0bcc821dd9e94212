"use client";

import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf } from "@/lib/action-result";
import { createWebForm, updateWebForm } from "../actions";
import { FIELD_TYPES, type FieldType, type FormField, type FormInput, formInputSchema, LEAD_FIELDS } from "../schema";

export interface CustomFieldChoice {
  key: string;
  label: string;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

/** A label typed by an admin as a field name: `Company size` → `company_size`. */
const nameOf = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+|_+$/g, "")
    .slice(0, 40);

/** Creates a form (no `formId`) or edits the one `formId` names, starting from `initial`. */
export function FormEditor(props: { formId?: string; initial: FormInput; customFields: CustomFieldChoice[] }) {
  const router = useRouter();
  const id = useId();
  const [form, setForm] = useState<FormInput>(props.initial);
  const [origins, setOrigins] = useState(form.allowed_origins.join("\n"));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const editing = !!props.formId;

  const set = <K extends keyof FormInput>(key: K, value: FormInput[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setField = (i: number, patch: Partial<FormField>) =>
    setForm((f) => ({ ...f, fields: f.fields.map((field, j) => (j === i ? { ...field, ...patch } : field)) }));
  const move = (i: number, by: number) =>
    setForm((f) => {
      const fields = [...f.fields];
      const [field] = fields.splice(i, 1);
      fields.splice(i + by, 0, field);
      return { ...f, fields };
    });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = {
      ...form,
      allowed_origins: origins
        .split(/[\s,]+/)
        .map((o) => o.trim())
        .filter(Boolean),
      redirect_url: form.redirect_url?.trim() ? form.redirect_url.trim() : null,
    };
    const local = formInputSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError("Please correct the highlighted fields.");
      return;
    }
    start(async () => {
      const result = editing ? await updateWebForm({ id: props.formId, ...input }) : await createWebForm(input);
      if (result.ok) {
        setErrors({});
        setFormError(null);
        toast.success(editing ? "Form saved" : "Form created");
        if (!editing && result.data) router.push(`/settings/forms/${(result.data as { id: string }).id}`);
        else router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
    });
  }

  const err = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id}-${name.replace(/\./g, "-")}-error` : undefined,
  });
  const errId = (name: string) => `${id}-${name.replace(/\./g, "-")}-error`;

  return (
    <form onSubmit={submit} className="grid gap-6" noValidate aria-label={editing ? "Edit form" : "New form"}>
      <FormError message={formError} />
      <Card>
        <CardHeader>
          <CardTitle>Form</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-name`}>Form name</Label>
            <Input id={`${id}-name`} value={form.name} onChange={(e) => set("name", e.target.value)} {...err("name")} />
            <FieldError id={errId("name")} message={errors.name} />
          </div>
          <div className="flex items-center gap-2">
            <Checkbox id={`${id}-enabled`} checked={form.enabled} onCheckedChange={(v) => set("enabled", v === true)} />
            <Label htmlFor={`${id}-enabled`}>Accepting submissions</Label>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Fields</CardTitle>
          <CardDescription>
            In the order visitors see them. Each may fill a field of the lead or one of its custom fields; a field that fills
            nothing is kept with the submission.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <FieldError id={errId("fields")} message={errors.fields} />
          <ol className="grid gap-3">
            {form.fields.map((field, i) => {
              const p = `fields.${i}`;
              return (
                <li key={i} className="grid gap-3 rounded-md border p-3" aria-label={`Field ${i + 1}`}>
                  <div className="grid gap-3 sm:grid-cols-[2fr_1.5fr_1fr_1.5fr]">
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-${i}-label`}>Label</Label>
                      <Input
                        id={`${id}-${i}-label`}
                        value={field.label}
                        onChange={(e) => {
                          const label = e.target.value;
                          const renamed = field.name === nameOf(field.label) || !field.name;
                          setField(i, { label, ...(renamed ? { name: nameOf(label) } : {}) });
                        }}
                        {...err(`${p}.label`)}
                      />
                      <FieldError id={errId(`${p}.label`)} message={errors[`${p}.label`]} />
                    </div>
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-${i}-name`}>Name</Label>
                      <Input
                        id={`${id}-${i}-name`}
                        className="font-mono"
                        value={field.name}
                        onChange={(e) => setField(i, { name: e.target.value })}
                        {...err(`${p}.name`)}
                      />
                      <FieldError id={errId(`${p}.name`)} message={errors[`${p}.name`]} />
                    </div>
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-${i}-type`}>Type</Label>
                      <NativeSelect
                        id={`${id}-${i}-type`}
                        value={field.type}
                        onChange={(e) => {
                          const type = e.target.value as FieldType;
                          setField(i, { type, options: type === "select" ? (field.options ?? ["Option 1"]) : undefined });
                        }}
                      >
                        {Object.entries(FIELD_TYPES).map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                      </NativeSelect>
                    </div>
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-${i}-maps`}>Fills</Label>
                      <NativeSelect
                        id={`${id}-${i}-maps`}
                        value={field.maps_to ?? ""}
                        onChange={(e) => setField(i, { maps_to: (e.target.value || null) as FormField["maps_to"] })}
                        {...err(`${p}.maps_to`)}
                      >
                        <option value="">Nothing (kept with the submission)</option>
                        <optgroup label="Lead">
                          {Object.entries(LEAD_FIELDS).map(([value, label]) => (
                            <option key={value} value={value}>
                              {label}
                            </option>
                          ))}
                        </optgroup>
                        {props.customFields.length ? (
                          <optgroup label="Custom fields">
                            {props.customFields.map((c) => (
                              <option key={c.key} value={`custom.${c.key}`}>
                                {c.label}
                              </option>
                            ))}
                          </optgroup>
                        ) : null}
                      </NativeSelect>
                      <FieldError id={errId(`${p}.maps_to`)} message={errors[`${p}.maps_to`]} />
                    </div>
                  </div>
                  {field.type === "select" ? (
                    <div className="grid gap-1">
                      <Label htmlFor={`${id}-${i}-options`}>Choices, one per line</Label>
                      <Textarea
                        id={`${id}-${i}-options`}
                        rows={3}
                        value={(field.options ?? []).join("\n")}
                        onChange={(e) => setField(i, { options: e.target.value.split("\n") })}
                        onBlur={() => setField(i, { options: (field.options ?? []).map((o) => o.trim()).filter(Boolean) })}
                        {...err(`${p}.options`)}
                      />
                      <FieldError id={errId(`${p}.options`)} message={errors[`${p}.options`]} />
                    </div>
                  ) : null}
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <div className="flex items-center gap-2">
                      <Checkbox
                        id={`${id}-${i}-required`}
                        checked={field.required}
                        onCheckedChange={(v) => setField(i, { required: v === true })}
                      />
                      <Label htmlFor={`${id}-${i}-required`}>Required</Label>
                    </div>
                    <div className="flex gap-1">
                      <Button type="button" variant="ghost" size="icon" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${field.label || `field ${i + 1}`} up`}>
                        <ArrowUp aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        disabled={i === form.fields.length - 1}
                        onClick={() => move(i, 1)}
                        aria-label={`Move ${field.label || `field ${i + 1}`} down`}
                      >
                        <ArrowDown aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        disabled={form.fields.length === 1}
                        onClick={() => set("fields", form.fields.filter((_, j) => j !== i))}
                        aria-label={`Remove ${field.label || `field ${i + 1}`}`}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                  </div>
                </li>
              );
            })}
          </ol>
          <div>
            <Button
              type="button"
              variant="outline"
              onClick={() => set("fields", [...form.fields, { name: "", label: "", type: "text", required: false, maps_to: null }])}
            >
              <Plus aria-hidden /> Add field
            </Button>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>After a submission</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-thanks`}>Thank-you message</Label>
            <Textarea id={`${id}-thanks`} rows={2} value={form.thank_you_message} onChange={(e) => set("thank_you_message", e.target.value)} {...err("thank_you_message")} />
            <FieldError id={errId("thank_you_message")} message={errors.thank_you_message} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-redirect`}>Or send visitors to this page (optional)</Label>
            <Input
              id={`${id}-redirect`}
              type="url"
              placeholder="https://www.example.com/thank-you"
              value={form.redirect_url ?? ""}
              onChange={(e) => set("redirect_url", e.target.value)}
              {...err("redirect_url")}
            />
            <FieldError id={errId("redirect_url")} message={errors.redirect_url} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Where it may be used</CardTitle>
          <CardDescription>
            The sites allowed to embed this form, one origin per line (scheme and host, like https://www.example.com). Covey&apos;s
            own hosted page always works.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-2">
          <Label htmlFor={`${id}-origins`}>Allowed origins</Label>
          <Textarea
            id={`${id}-origins`}
            rows={3}
            className="font-mono"
            value={origins}
            onChange={(e) => setOrigins(e.target.value)}
            {...err(Object.keys(errors).find((k) => k.startsWith("allowed_origins")) ?? "allowed_origins")}
          />
          <FieldError
            id={errId(Object.keys(errors).find((k) => k.startsWith("allowed_origins")) ?? "allowed_origins")}
            message={Object.entries(errors).find(([k]) => k.startsWith("allowed_origins"))?.[1]}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Spam protection</CardTitle>
          <CardDescription>Spam is never turned into a lead; it is counted with the reason it was caught.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-honeypot`}>Hidden trap field name</Label>
            <Input id={`${id}-honeypot`} className="font-mono" value={form.honeypot_field} onChange={(e) => set("honeypot_field", e.target.value)} {...err("honeypot_field")} />
            <FieldError id={errId("honeypot_field")} message={errors.honeypot_field} />
          </div>
          <NumberField id={`${id}-fill`} label="Minimum seconds to fill in" value={form.min_fill_seconds} onChange={(v) => set("min_fill_seconds", v)} error={errors.min_fill_seconds} errorId={errId("min_fill_seconds")} />
          <NumberField id={`${id}-ip`} label="Submissions per minute from one address" value={form.ip_rate_limit_per_minute} onChange={(v) => set("ip_rate_limit_per_minute", v)} error={errors.ip_rate_limit_per_minute} errorId={errId("ip_rate_limit_per_minute")} />
          <NumberField id={`${id}-rate`} label="Submissions per minute in all" value={form.rate_limit_per_minute} onChange={(v) => set("rate_limit_per_minute", v)} error={errors.rate_limit_per_minute} errorId={errId("rate_limit_per_minute")} />
          <div className="flex items-center gap-2 sm:col-span-2">
            <Checkbox id={`${id}-turnstile`} checked={form.turnstile_enabled} onCheckedChange={(v) => set("turnstile_enabled", v === true)} />
            <Label htmlFor={`${id}-turnstile`}>Check with Cloudflare Turnstile (when the server has a Turnstile secret)</Label>
          </div>
        </CardContent>
      </Card>

      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save form" : "Create form"}
        </Button>
      </div>
    </form>
  );
}

function NumberField(props: { id: string; label: string; value: number; onChange: (v: number) => void; error?: string; errorId: string }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={0}
        value={Number.isNaN(props.value) ? "" : props.value}
        onChange={(e) => props.onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? props.errorId : undefined}
      />
      <FieldError id={props.errorId} message={props.error} />
    </div>
  );
}
