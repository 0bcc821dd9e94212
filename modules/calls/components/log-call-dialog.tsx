"use client";

import { PhoneCall } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf } from "@/lib/action-result";
import { logCallAction } from "../actions";
import { CALL_OUTCOMES, logCallSchema } from "../schema";

const EMPTY = { direction: "outbound", outcome: "connected", minutes: "", notes: "" };

function FieldMessage(props: { id: string; message?: string }) {
  return props.message ? (
    <p id={props.id} className="text-sm text-destructive">
      {props.message}
    </p>
  ) : null;
}

/** "Log call" on a person or lead: a call made outside Covey (a desk phone, a mobile), with how it went, how long and notes. */
export function LogCallDialog(props: { record: { type: "person" | "lead"; id: string } }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // Editing a refused field takes its message away: it described the old value.
  const set = (name: keyof typeof EMPTY) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    setErrors((errs) => {
      if (!(name in errs)) return errs;
      const next = { ...errs };
      delete next[name];
      return next;
    });
  };
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${id}-${name}-error` } : {});

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { record: props.record, ...values };
    const local = logCallSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const result = await logCallAction(input);
      if (result.ok) {
        toast.success("Call logged");
        setOpen(false);
        setValues(EMPTY);
        setErrors({});
        setFormError(null);
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors && Object.keys(result.fieldErrors).length ? null : result.error);
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" onClick={() => setOpen(true)}>
        <PhoneCall aria-hidden />
        Log call
      </Button>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Log a call</DialogTitle>
          <DialogDescription>A call made outside Covey, for the record&apos;s timeline.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormError message={formError} />
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor={`${id}-direction`}>Who called</Label>
              <NativeSelect id={`${id}-direction`} value={values.direction} onChange={set("direction")} {...invalid("direction")}>
                <option value="outbound">I called them</option>
                <option value="inbound">They called me</option>
              </NativeSelect>
              <FieldMessage id={`${id}-direction-error`} message={errors.direction} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor={`${id}-outcome`}>Outcome</Label>
              <NativeSelect id={`${id}-outcome`} value={values.outcome} onChange={set("outcome")} {...invalid("outcome")}>
                {Object.entries(CALL_OUTCOMES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </NativeSelect>
              <FieldMessage id={`${id}-outcome-error`} message={errors.outcome} />
            </div>
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-minutes`}>Duration (minutes)</Label>
            <Input id={`${id}-minutes`} inputMode="decimal" placeholder="5" value={values.minutes} onChange={set("minutes")} {...invalid("minutes")} />
            <FieldMessage id={`${id}-minutes-error`} message={errors.minutes} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-notes`}>Notes</Label>
            <Textarea id={`${id}-notes`} rows={4} value={values.notes} onChange={set("notes")} {...invalid("notes")} />
            <FieldMessage id={`${id}-notes-error`} message={errors.notes} />
          </div>
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Log call"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
