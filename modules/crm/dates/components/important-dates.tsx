"use client";

import { BellIcon, CalendarDaysIcon, PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { formatCalendarDate } from "@/lib/time";
import { cn } from "@/lib/utils";
import { addDealDateAction, deleteDealDateAction, updateDealDateAction } from "../actions";
import { countdown, daysBetween } from "../countdown";
import type { DateKind, DealDate } from "../queries";
import { REMIND_CHOICES, remindLabel } from "../schema";

interface Values {
  kind: string;
  date: string;
  note: string;
  remindDaysBefore: string;
}

const blank: Values = { kind: "", date: "", note: "", remindDaysBefore: "" };

function DateForm(props: {
  title: string;
  initial: Values;
  kinds: DateKind[];
  submitLabel: string;
  submit: (v: Values) => Promise<{ ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string> }>;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const ids = useId();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = (k: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const field = (k: keyof Values) => ({
    id: `${ids}-${k}`,
    "aria-invalid": errors[k] ? true : undefined,
    "aria-describedby": errors[k] ? `${ids}-${k}-error` : undefined,
  });
  const error = (k: keyof Values) =>
    errors[k] ? (
      <p id={`${ids}-${k}-error`} className="text-sm text-destructive">
        {errors[k]}
      </p>
    ) : null;
  return (
    <form
      aria-label={props.title}
      className="grid gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await props.submit(values);
          if (r.ok) return props.onSaved();
          setErrors(r.fieldErrors ?? {});
          setFormError(r.fieldErrors && Object.keys(r.fieldErrors).some((k) => k !== "form") ? null : r.error);
        });
      }}
    >
      <FormError message={formError} />
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-kind`}>Kind</Label>
        <Input
          {...field("kind")}
          list={`${ids}-kinds`}
          value={values.kind}
          placeholder="e.g. Medical screening"
          autoComplete="off"
          onChange={(e) => {
            const name = e.target.value;
            // A suggested kind brings its usual reminder, unless one was chosen already.
            const known = props.kinds.find((k) => k.name.toLowerCase() === name.trim().toLowerCase());
            setValues((v) => ({
              ...v,
              kind: name,
              remindDaysBefore: known && v.remindDaysBefore === "" && known.remindDaysBefore !== null ? String(known.remindDaysBefore) : v.remindDaysBefore,
            }));
          }}
        />
        <datalist id={`${ids}-kinds`}>
          {props.kinds.map((k) => (
            <option key={k.name} value={k.name} />
          ))}
        </datalist>
        {error("kind")}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-date`}>Date</Label>
          <Input {...field("date")} type="date" value={values.date} onChange={set("date")} />
          {error("date")}
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-remindDaysBefore`}>Remind the owner</Label>
          <NativeSelect {...field("remindDaysBefore")} value={values.remindDaysBefore} onChange={set("remindDaysBefore")}>
            {REMIND_CHOICES.map((c) => (
              <option key={c.label} value={c.days === null ? "" : String(c.days)}>
                {c.label}
              </option>
            ))}
            {values.remindDaysBefore !== "" && !REMIND_CHOICES.some((c) => String(c.days) === values.remindDaysBefore) ? (
              <option value={values.remindDaysBefore}>{values.remindDaysBefore} days before</option>
            ) : null}
          </NativeSelect>
          {error("remindDaysBefore")}
        </div>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-note`}>Note</Label>
        <Textarea {...field("note")} rows={2} value={values.note} onChange={set("note")} placeholder="Where, who, what to bring" />
        {error("note")}
      </div>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {props.submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

const toInput = (values: Values) => ({
  kind: values.kind,
  date: values.date,
  note: values.note,
  remindDaysBefore: values.remindDaysBefore,
});

/**
 * The deal page's "Important dates": soonest first, past ones muted, each
 * with how far it is from the reader's today; add, edit and remove when the
 * member may change the deal (the database refuses otherwise anyway).
 */
export function ImportantDates(props: { dealId: string; dates: DealDate[]; kinds: DateKind[]; today: string; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<DealDate | "new" | null>(null);
  const [pending, start] = useTransition();
  const titleId = useId();
  const done = (message: string) => {
    toast.success(message);
    setEditing(null);
    router.refresh();
  };
  const remove = (d: DealDate) =>
    start(async () => {
      const r = await deleteDealDateAction(d.id);
      if (r.ok) done(`${d.kind} removed`);
      else toast.error(r.error);
    });
  return (
    <Card role="region" aria-labelledby={titleId}>
      <CardHeader className="flex flex-row items-center justify-between gap-2 space-y-0">
        <CardTitle id={titleId} className="text-base">
          Important dates
        </CardTitle>
        {props.canEdit ? (
          <Button variant="outline" size="sm" onClick={() => setEditing("new")}>
            <PlusIcon aria-hidden />
            Add date
          </Button>
        ) : null}
      </CardHeader>
      <CardContent>
        {props.dates.length ? (
          <ul className="grid gap-3" aria-label="Important dates">
            {props.dates.map((d) => {
              const past = daysBetween(props.today, d.date) < 0;
              return (
                <li key={d.id} data-testid="important-date" className={cn("grid gap-0.5 border-l-2 pl-3 text-sm", past ? "border-muted text-muted-foreground" : "border-primary/60")}>
                  <div className="flex items-start gap-2">
                    <div className="grid gap-0.5">
                      <span className={cn("font-medium", past ? null : "text-foreground")}>{d.kind}</span>
                      <span className="flex flex-wrap items-center gap-x-1.5">
                        <CalendarDaysIcon className="size-3.5" aria-hidden />
                        <time dateTime={d.date}>{formatCalendarDate(d.date)}</time>
                        <span aria-hidden>·</span>
                        <span className={past ? undefined : "font-medium text-foreground"}>{countdown(props.today, d.date)}</span>
                      </span>
                      {d.remindDaysBefore !== null && !past ? (
                        <span className="flex items-center gap-1 text-xs text-muted-foreground">
                          <BellIcon className="size-3" aria-hidden />
                          {remindLabel(d.remindDaysBefore)}
                        </span>
                      ) : null}
                      {d.note ? <span className="text-xs whitespace-pre-wrap">{d.note}</span> : null}
                    </div>
                    {props.canEdit ? (
                      <div className="ml-auto flex shrink-0">
                        <Button variant="ghost" size="icon" className="size-7" aria-label={`Edit ${d.kind} on ${formatCalendarDate(d.date)}`} onClick={() => setEditing(d)}>
                          <PencilIcon aria-hidden />
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon"
                          className="size-7"
                          disabled={pending}
                          aria-label={`Remove ${d.kind} on ${formatCalendarDate(d.date)}`}
                          onClick={() => remove(d)}
                        >
                          <Trash2Icon aria-hidden />
                        </Button>
                      </div>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-muted-foreground">No important dates yet.</p>
        )}
      </CardContent>
      <Dialog open={editing !== null} onOpenChange={(open) => (open ? null : setEditing(null))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{editing === "new" ? "Add an important date" : "Edit the date"}</DialogTitle>
            <DialogDescription>The owner is reminded in the bell and by email on the day you choose.</DialogDescription>
          </DialogHeader>
          {editing === "new" ? (
            <DateForm
              title="Add an important date"
              initial={blank}
              kinds={props.kinds}
              submitLabel="Add date"
              submit={(v) => addDealDateAction(props.dealId, toInput(v))}
              onSaved={() => done("Date added")}
              onCancel={() => setEditing(null)}
            />
          ) : editing ? (
            <DateForm
              title="Edit the date"
              initial={{
                kind: editing.kind,
                date: editing.date,
                note: editing.note ?? "",
                remindDaysBefore: editing.remindDaysBefore === null ? "" : String(editing.remindDaysBefore),
              }}
              kinds={props.kinds}
              submitLabel="Save date"
              submit={(v) => updateDealDateAction(editing.id, toInput(v))}
              onSaved={() => done("Date saved")}
              onCancel={() => setEditing(null)}
            />
          ) : null}
        </DialogContent>
      </Dialog>
    </Card>
  );
}
