"use client";
// Add or edit a fulfillment partner: who they are, where offers go (email,
// a signed webhook, or both), which states they serve, how many leads they
// take and how long they have to answer. A partner given a webhook gets its
// signing secret once, here.
import { Pencil, Plus, Trash2 } from "lucide-react";
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
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf } from "@/lib/action-result";
import { deletePartnerAction, savePartnerAction } from "../actions";
import type { Partner } from "../queries";
import { PARTNER_CHANNEL_LABELS, PARTNER_CHANNELS, type PartnerChannel, partnerSchema } from "../schema";
import { SecretShownOnce } from "./partner-secret";

const whole = (text: string) => (text.trim() === "" ? null : Number(text));

function PartnerForm({ partner, onDone, onSecret }: { partner?: Partner; onDone: () => void; onSecret: (secret: string) => void }) {
  const router = useRouter();
  const id = useId();
  const [v, setV] = useState({
    name: partner?.name ?? "",
    contactEmail: partner?.contact_email ?? "",
    phone: partner?.phone ?? "",
    states: (partner?.states ?? []).join(", "),
    capacityPerDay: partner?.capacity_per_day?.toString() ?? "",
    capacityPerWeek: partner?.capacity_per_week?.toString() ?? "",
    responseHours: String(partner?.response_hours ?? 24),
    notes: partner?.notes ?? "",
    active: partner?.active ?? true,
    channel: (partner?.channel ?? "email") as PartnerChannel,
    webhookUrl: partner?.webhook_url ?? "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setV({ ...v, [k]: e.target.value });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = {
      name: v.name,
      contactEmail: v.contactEmail,
      phone: v.phone,
      states: v.states.split(/[,\s]+/).filter(Boolean),
      capacityPerDay: whole(v.capacityPerDay),
      capacityPerWeek: whole(v.capacityPerWeek),
      responseHours: whole(v.responseHours) ?? Number.NaN,
      notes: v.notes,
      active: v.active,
      channel: v.channel,
      webhookUrl: v.channel === "email" ? null : v.webhookUrl,
    };
    const local = partnerSchema.safeParse(input);
    if (!local.success) {
      const errs = fieldErrorsOf(local.error.issues);
      const statesError = Object.entries(errs).find(([k]) => k.startsWith("states"))?.[1];
      setErrors(statesError ? { ...errs, states: statesError } : errs);
      setFormError("Check the fields marked below.");
      return;
    }
    start(async () => {
      const result = await savePartnerAction(input, partner?.id);
      if (result.ok) {
        toast.success(partner ? "Partner saved" : "Partner added");
        router.refresh();
        if (result.data.secret) onSecret(result.data.secret);
        else onDone();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
    });
  }

  const field = (k: string, label: string, input: React.ReactNode) => (
    <div className="grid gap-2">
      <Label htmlFor={`${id}-${k}`}>{label}</Label>
      {input}
      {errors[k] ? (
        <p id={`${id}-${k}-error`} className="text-sm text-destructive">
          {errors[k]}
        </p>
      ) : null}
    </div>
  );
  const aria = (k: string) => ({
    id: `${id}-${k}`,
    "aria-invalid": errors[k] ? true : undefined,
    "aria-describedby": errors[k] ? `${id}-${k}-error` : undefined,
  });

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError message={formError} />
      {field("name", "Name", <Input {...aria("name")} autoFocus value={v.name} onChange={set("name")} />)}
      <div className="grid gap-4 sm:grid-cols-2">
        {field("contactEmail", "Contact email (offers go here)", <Input {...aria("contactEmail")} type="email" value={v.contactEmail} onChange={set("contactEmail")} />)}
        {field("phone", "Phone (optional)", <Input {...aria("phone")} type="tel" placeholder="+14155550100" value={v.phone} onChange={set("phone")} />)}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {field(
          "channel",
          "Offers are sent by",
          <NativeSelect {...aria("channel")} value={v.channel} onChange={(e) => setV({ ...v, channel: e.target.value as PartnerChannel })}>
            {PARTNER_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {PARTNER_CHANNEL_LABELS[c]}
              </option>
            ))}
          </NativeSelect>,
        )}
        {v.channel === "email"
          ? null
          : field("webhookUrl", "Webhook URL", <Input {...aria("webhookUrl")} type="url" placeholder="https://partner.example/covey-offers" value={v.webhookUrl} onChange={set("webhookUrl")} />)}
      </div>
      {field("states", "States served (empty: any)", <Input {...aria("states")} placeholder="e.g. CA, NV" value={v.states} onChange={set("states")} />)}
      <div className="grid gap-4 sm:grid-cols-3">
        {field("capacityPerDay", "Leads per day (empty: no limit)", <Input {...aria("capacityPerDay")} inputMode="numeric" value={v.capacityPerDay} onChange={set("capacityPerDay")} />)}
        {field("capacityPerWeek", "Leads per week (empty: no limit)", <Input {...aria("capacityPerWeek")} inputMode="numeric" value={v.capacityPerWeek} onChange={set("capacityPerWeek")} />)}
        {field("responseHours", "Hours to answer", <Input {...aria("responseHours")} inputMode="numeric" value={v.responseHours} onChange={set("responseHours")} />)}
      </div>
      {field("notes", "Notes (optional)", <Textarea {...aria("notes")} rows={2} value={v.notes} onChange={set("notes")} />)}
      <div className="flex items-center gap-2">
        <Checkbox id={`${id}-active`} checked={v.active} onCheckedChange={(c) => setV({ ...v, active: c === true })} />
        <Label htmlFor={`${id}-active`} className="font-normal">
          Active (offered leads)
        </Label>
      </div>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : partner ? "Save partner" : "Add partner"}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function PartnerDialog({ partner }: { partner?: Partner }) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const openChange = (o: boolean) => {
    setOpen(o);
    if (!o) setSecret(null);
  };
  return (
    <Dialog open={open} onOpenChange={openChange}>
      {partner ? (
        <Button variant="ghost" size="icon" aria-label={`Edit ${partner.name}`} onClick={() => setOpen(true)}>
          <Pencil aria-hidden />
        </Button>
      ) : (
        <Button onClick={() => setOpen(true)}>
          <Plus aria-hidden />
          Add partner
        </Button>
      )}
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{partner ? `Edit ${partner.name}` : "Add a partner"}</DialogTitle>
          <DialogDescription>
            A partner gets each offered lead by email with a link to accept or decline it, or as a signed webhook its own system answers;
            no account needed.
          </DialogDescription>
        </DialogHeader>
        {secret ? (
          <SecretShownOnce secret={secret} onDone={() => openChange(false)} />
        ) : open ? (
          <PartnerForm partner={partner} onDone={() => openChange(false)} onSecret={setSecret} />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

export function DeletePartnerButton({ partner }: { partner: Partner }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={`Delete ${partner.name}`}
      disabled={pending}
      onClick={() => {
        if (!window.confirm(`Delete the partner "${partner.name}"?`)) return;
        start(async () => {
          const r = await deletePartnerAction(partner.id);
          if (!r.ok) toast.error(r.error);
          else router.refresh();
        });
      }}
    >
      <Trash2 aria-hidden />
    </Button>
  );
}
