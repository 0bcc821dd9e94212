"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { fieldErrorsOf } from "@/lib/action-result";
import { addPhone, removePhone, updatePhone } from "../actions";
import { defaultChoice, defaultsOf, phoneSchema } from "../schema";
import { Field, invalidProps } from "./field";

export interface PhoneFormValues {
  id?: string;
  number: string;
  label: string;
  smsEnabled: boolean;
  voiceEnabled: boolean;
  defaultOwnerId: string;
  defaultTeamId: string;
}

type Option = { id: string; name: string };

function PhoneForm(props: { initial: PhoneFormValues; members: Option[]; teams: Option[]; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const editing = !!props.initial.id;
  const defaultError = errors.defaultOwnerId ?? errors.defaultTeamId;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const local = phoneSchema.safeParse(values);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const { number, id: phoneId, ...rest } = values;
      const result = editing ? await updatePhone({ id: phoneId, ...rest }) : await addPhone({ number, ...rest });
      if (result.ok) {
        toast.success(editing ? "Number saved" : "Number added");
        props.onDone();
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors && Object.keys(result.fieldErrors).length ? null : result.error);
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError message={formError} />
      <Field id={`${id}-number`} name="number" label="Phone number" error={errors.number} hint="The Twilio number, with its country code.">
        <Input
          {...invalidProps(`${id}-number`, errors.number)}
          type="tel"
          autoComplete="off"
          autoFocus={!editing}
          readOnly={editing}
          placeholder="+1 512 555 0100"
          value={values.number}
          onChange={(e) => setValues((v) => ({ ...v, number: e.target.value }))}
        />
      </Field>
      <Field id={`${id}-label`} name="label" label="Label" error={errors.label}>
        <Input
          {...invalidProps(`${id}-label`, errors.label)}
          autoFocus={editing}
          placeholder="Main line"
          value={values.label}
          onChange={(e) => setValues((v) => ({ ...v, label: e.target.value }))}
        />
      </Field>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">Used for</legend>
        <div className="flex items-center gap-2">
          <Checkbox
            id={`${id}-sms`}
            checked={values.smsEnabled}
            aria-invalid={errors.smsEnabled ? true : undefined}
            onCheckedChange={(c) => setValues((v) => ({ ...v, smsEnabled: c === true }))}
          />
          <Label htmlFor={`${id}-sms`}>Text messages</Label>
        </div>
        <div className="flex items-center gap-2">
          <Checkbox id={`${id}-voice`} checked={values.voiceEnabled} onCheckedChange={(c) => setValues((v) => ({ ...v, voiceEnabled: c === true }))} />
          <Label htmlFor={`${id}-voice`}>Calls</Label>
        </div>
        {errors.smsEnabled ? <p className="text-sm text-destructive">{errors.smsEnabled}</p> : null}
      </fieldset>
      <Field
        id={`${id}-owner`}
        name="defaultOwnerId"
        label="Default owner or team"
        error={defaultError}
        hint="Who gets texts from people Covey does not know: one member owns the new lead, or a team shares the number and every member of it is told until someone owns the lead."
      >
        <NativeSelect
          {...invalidProps(`${id}-owner`, defaultError)}
          value={defaultChoice({ defaultOwnerId: values.defaultOwnerId || null, defaultTeamId: values.defaultTeamId || null })}
          onChange={(e) => setValues((v) => ({ ...v, ...defaultsOf(e.target.value) }))}
        >
          <option value="">Nobody (lead routing decides)</option>
          <optgroup label="Members">
            {props.members.map((m) => (
              <option key={m.id} value={`user:${m.id}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
          {props.teams.length ? (
            <optgroup label="Teams">
              {props.teams.map((t) => (
                <option key={t.id} value={`team:${t.id}`}>
                  {t.name} (team)
                </option>
              ))}
            </optgroup>
          ) : null}
        </NativeSelect>
      </Field>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save number" : "Add number"}
        </Button>
      </DialogFooter>
    </form>
  );
}

const EMPTY: PhoneFormValues = { number: "", label: "", smsEnabled: true, voiceEnabled: true, defaultOwnerId: "", defaultTeamId: "" };

/** Adds a number, or (given `phone`) edits one. */
export function PhoneDialog(props: { phone?: PhoneFormValues; members: Option[]; teams: Option[] }) {
  const [open, setOpen] = useState(false);
  const editing = !!props.phone;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {editing ? (
        <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Edit ${props.phone!.number}`}>
          <Pencil aria-hidden />
          Edit
        </Button>
      ) : (
        <Button onClick={() => setOpen(true)}>
          <Plus aria-hidden />
          Add number
        </Button>
      )}
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{editing ? `Edit ${props.phone!.number}` : "Add a Twilio number"}</DialogTitle>
          <DialogDescription>
            Point the number&apos;s messaging webhook in the Twilio Console at Covey&apos;s twilio-sms function; texts to it then land on the sender&apos;s record.
          </DialogDescription>
        </DialogHeader>
        <PhoneForm initial={props.phone ?? EMPTY} members={props.members} teams={props.teams} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function RemovePhoneButton(props: { id: string; number: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Remove ${props.number}`}>
        <Trash2 aria-hidden />
        Remove
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Remove {props.number}?</AlertDialogTitle>
          <AlertDialogDescription>Texts already in Covey stay. Texts to this number are refused until it is added again.</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await removePhone({ id: props.id });
                if (r.ok) {
                  toast.success("Number removed");
                  setOpen(false);
                  router.refresh();
                } else toast.error(r.error);
              });
            }}
          >
            Remove
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
