"use client";

import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { saveMetaFormMapping, setMetaFormCreatesLeads } from "../actions";
import { type FieldMapping, LEAD_TARGETS, type MappingTarget, TARGET_LABELS, targetOf } from "../mapping";

export function CreatesLeadsToggle(props: { id: string; name: string; checked: boolean }) {
  const router = useRouter();
  const id = useId();
  const [checked, setChecked] = useState(props.checked);
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <Checkbox
        id={id}
        checked={checked}
        disabled={pending}
        aria-label={`${props.name} creates leads`}
        onCheckedChange={(value) => {
          const next = value === true;
          setChecked(next);
          start(async () => {
            const r = await setMetaFormCreatesLeads({ id: props.id, createsLeads: next });
            if (!r.ok) {
              setChecked(!next);
              return void toast.error(r.error);
            }
            toast.success(next ? `${props.name} now creates leads` : `${props.name} no longer creates leads`);
            router.refresh();
          });
        }}
      />
      <Label htmlFor={id} className="font-normal">
        {checked ? "Creates leads" : "Off"}
      </Label>
    </div>
  );
}

type Choice = "lead" | "custom";
const choiceOf = (t: MappingTarget): Choice => (t.startsWith("custom:") ? "custom" : "lead");

/** Edits where each question of a form goes. */
export function MappingDialog(props: { id: string; name: string; questions: { key: string; label: string }[]; mapping: FieldMapping }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [mapping, setMapping] = useState<Record<string, MappingTarget>>(() =>
    Object.fromEntries(props.questions.map((q) => [q.key, targetOf(q.key, props.mapping)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function save(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const r = await saveMetaFormMapping({ id: props.id, mapping });
      if (r.ok) {
        toast.success("Mapping saved");
        setOpen(false);
        router.refresh();
        return;
      }
      setErrors(r.fieldErrors ?? {});
      setFormError(r.fieldErrors && Object.keys(r.fieldErrors).length ? null : r.error);
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        <Pencil aria-hidden />
        Mapping
      </Button>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Field mapping: {props.name}</DialogTitle>
          <DialogDescription>
            Where each answer of this form goes on the lead. Answers mapped to Message are kept as &ldquo;Question: answer&rdquo; lines.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={save} className="grid gap-4" noValidate>
          <FormError message={formError} />
          {props.questions.length === 0 ? <p className="text-sm text-muted-foreground">Meta lists no questions for this form.</p> : null}
          {props.questions.map((q) => {
            const target = mapping[q.key];
            const choice = choiceOf(target);
            const error = errors[`mapping.${q.key}`];
            return (
              <div key={q.key} className="grid gap-2 sm:grid-cols-[1fr_1fr] sm:items-start">
                <Label htmlFor={`${id}-${q.key}`} className="pt-2">
                  {q.label} <span className="font-mono text-xs text-muted-foreground">{q.key}</span>
                </Label>
                <div className="grid gap-2">
                  <NativeSelect
                    id={`${id}-${q.key}`}
                    value={choice === "custom" ? "custom" : target}
                    aria-invalid={error ? true : undefined}
                    onChange={(e) =>
                      setMapping((m) => ({ ...m, [q.key]: e.target.value === "custom" ? `custom:${q.key.toLowerCase().replace(/[^a-z0-9_]/g, "_")}` : (e.target.value as MappingTarget) }))
                    }
                  >
                    {LEAD_TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {TARGET_LABELS[t]}
                      </option>
                    ))}
                    <option value="custom">Custom field…</option>
                    <option value="ignore">{TARGET_LABELS.ignore}</option>
                  </NativeSelect>
                  {choice === "custom" ? (
                    <Input
                      aria-label={`Custom field key for ${q.label}`}
                      value={target.slice("custom:".length)}
                      onChange={(e) => setMapping((m) => ({ ...m, [q.key]: `custom:${e.target.value}` }))}
                    />
                  ) : null}
                  {error ? <p className="text-sm text-destructive">{error}</p> : null}
                </div>
              </div>
            );
          })}
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save mapping"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
