"use client";

import { PhoneIncoming } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf } from "@/lib/action-result";
import { timeZoneChoices, zoneLabel } from "@/lib/time";
import { updatePhoneVoice } from "../actions";
import type { PhoneVoice } from "../queries";
import { phoneVoiceSchema, WEEKDAYS } from "../schema";
import { Field, invalidProps } from "./field";

type Values = Omit<PhoneVoice, "greetingUrl" | "forwardTimeoutSeconds" | "voicemailMaxSeconds"> & {
  greetingUrl: string;
  forwardTimeoutSeconds: string;
  voicemailMaxSeconds: string;
};

function VoiceForm(props: { id: string; voice: PhoneVoice; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState<Values>({
    ...props.voice,
    greetingUrl: props.voice.greetingUrl ?? "",
    forwardTimeoutSeconds: String(props.voice.forwardTimeoutSeconds),
    voicemailMaxSeconds: String(props.voice.voicemailMaxSeconds),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const zones = useMemo(() => timeZoneChoices(props.voice.timeZone), [props.voice.timeZone]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const text = (key: "greeting" | "voicemailGreeting" | "afterHoursGreeting", label: string, hint: string) => (
    <Field id={`${id}-${key}`} name={key} label={label} error={errors[key]} hint={hint}>
      <Textarea {...invalidProps(`${id}-${key}`, errors[key])} rows={2} value={values[key]} onChange={(e) => set(key, e.target.value)} />
    </Field>
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { id: props.id, ...values };
    const local = phoneVoiceSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError("Please correct the highlighted fields.");
      return;
    }
    start(async () => {
      const result = await updatePhoneVoice(input);
      if (result.ok) {
        toast.success("Call answering saved");
        props.onDone();
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError message={formError} />
      {text("greeting", "Greeting", "Spoken to every caller first (text-to-speech).")}
      <Field id={`${id}-greetingUrl`} name="greetingUrl" label="Greeting audio file (optional)" error={errors.greetingUrl} hint="Played instead of the spoken greeting: an MP3 or WAV address.">
        <Input
          {...invalidProps(`${id}-greetingUrl`, errors.greetingUrl)}
          type="url"
          placeholder="https://example.com/greeting.mp3"
          value={values.greetingUrl}
          onChange={(e) => set("greetingUrl", e.target.value)}
        />
      </Field>
      <Field
        id={`${id}-forward`}
        name="forwardTimeoutSeconds"
        label="Ring the default owner for (seconds)"
        error={errors.forwardTimeoutSeconds}
        hint="Calls are forwarded to the default owner's own phone (Settings → Profile), then go to voicemail. Without one, straight to voicemail."
      >
        <Input
          {...invalidProps(`${id}-forward`, errors.forwardTimeoutSeconds)}
          inputMode="numeric"
          value={values.forwardTimeoutSeconds}
          onChange={(e) => set("forwardTimeoutSeconds", e.target.value)}
        />
      </Field>
      {text("voicemailGreeting", "Voicemail greeting", "Spoken before the beep when nobody answers.")}
      <Field id={`${id}-max`} name="voicemailMaxSeconds" label="Longest voicemail (seconds)" error={errors.voicemailMaxSeconds}>
        <Input
          {...invalidProps(`${id}-max`, errors.voicemailMaxSeconds)}
          inputMode="numeric"
          value={values.voicemailMaxSeconds}
          onChange={(e) => set("voicemailMaxSeconds", e.target.value)}
        />
      </Field>
      <div className="flex items-center gap-2">
        <Checkbox id={`${id}-hours`} checked={values.businessHoursEnabled} onCheckedChange={(c) => set("businessHoursEnabled", c === true)} />
        <Label htmlFor={`${id}-hours`}>Answer differently outside business hours</Label>
      </div>
      {values.businessHoursEnabled ? (
        <div className="grid gap-4 rounded-md border p-3">
          <Field id={`${id}-zone`} name="timeZone" label="Time zone" error={errors.timeZone}>
            <NativeSelect {...invalidProps(`${id}-zone`, errors.timeZone)} value={values.timeZone} onChange={(e) => set("timeZone", e.target.value)}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {zoneLabel(z)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <fieldset className="grid gap-2" aria-describedby={errors.days ? `${id}-days-error` : undefined}>
            <legend className="mb-2 text-sm font-medium">Open on</legend>
            <div className="flex flex-wrap gap-3">
              {WEEKDAYS.map(([day, label]) => (
                <div key={day} className="flex items-center gap-1.5">
                  <Checkbox
                    id={`${id}-day-${day}`}
                    checked={values.days.includes(day)}
                    onCheckedChange={(c) => set("days", c === true ? [...values.days, day] : values.days.filter((d) => d !== day))}
                  />
                  <Label htmlFor={`${id}-day-${day}`}>{label}</Label>
                </div>
              ))}
            </div>
            {errors.days ? (
              <p id={`${id}-days-error`} className="text-sm text-destructive">
                {errors.days}
              </p>
            ) : null}
          </fieldset>
          <div className="grid grid-cols-2 gap-3">
            <Field id={`${id}-opens`} name="opens" label="Opens" error={errors.opens}>
              <Input {...invalidProps(`${id}-opens`, errors.opens)} type="time" value={values.opens} onChange={(e) => set("opens", e.target.value)} />
            </Field>
            <Field id={`${id}-closes`} name="closes" label="Closes" error={errors.closes}>
              <Input {...invalidProps(`${id}-closes`, errors.closes)} type="time" value={values.closes} onChange={(e) => set("closes", e.target.value)} />
            </Field>
          </div>
          {text("afterHoursGreeting", "After-hours greeting", "Spoken before the beep outside these hours: calls go straight to voicemail.")}
        </div>
      ) : null}
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save call answering"}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Settings → Numbers: how one number answers calls. */
export function VoiceSettingsDialog(props: { id: string; number: string; voice: PhoneVoice }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Call answering for ${props.number}`}>
        <PhoneIncoming aria-hidden />
        Calls
      </Button>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>How {props.number} answers calls</DialogTitle>
          <DialogDescription>
            Point the number&apos;s voice webhook in the Twilio Console at Covey&apos;s twilio-voice function (and its call status changes at
            twilio-voice/status); Covey then answers as set here.
          </DialogDescription>
        </DialogHeader>
        <VoiceForm id={props.id} voice={props.voice} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
