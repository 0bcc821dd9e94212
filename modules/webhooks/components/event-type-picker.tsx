"use client";

import { useId } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { ALL_EVENTS, normalizeEventTypes, WEBHOOK_EVENT_CATALOG } from "../schema";

type Family = (typeof WEBHOOK_EVENT_CATALOG)[number];

function Choice(props: { id: string; label: React.ReactNode; checked: boolean; disabled?: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="flex items-center gap-2">
      <Checkbox
        id={props.id}
        checked={props.checked}
        disabled={props.disabled}
        onCheckedChange={(on) => props.onChange(on === true)}
      />
      <Label htmlFor={props.id} className="font-normal">
        {props.label}
      </Label>
    </div>
  );
}

/**
 * Event types per family. A family's wildcard (`deal.*`) covers its types,
 * including ones added later; "All events" covers every family.
 */
export function EventTypePicker(props: {
  value: string[];
  onChange: (types: string[]) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const id = useId();
  const chosen = new Set(props.value);
  const all = chosen.has(ALL_EVENTS);
  const emit = (next: Set<string>) => props.onChange(normalizeEventTypes([...next]));

  function toggleFamily(f: Family, on: boolean) {
    const next = new Set(chosen);
    for (const t of f.types) next.delete(t);
    if (on) next.add(`${f.family}.*`);
    else next.delete(`${f.family}.*`);
    emit(next);
  }

  function toggleType(t: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(t);
    else next.delete(t);
    emit(next);
  }

  return (
    <fieldset
      className="grid gap-3"
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
    >
      <legend className="mb-2 text-sm font-medium">Events to send</legend>
      <Choice
        id={`${id}-all`}
        label={
          <>
            All events <code className="text-xs text-muted-foreground">*</code>
          </>
        }
        checked={all}
        onChange={(on) => emit(on ? new Set([ALL_EVENTS]) : new Set())}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        {WEBHOOK_EVENT_CATALOG.map((f) => {
          const wildcard = all || chosen.has(`${f.family}.*`);
          return (
            <div key={f.family} role="group" aria-labelledby={`${id}-${f.family}`} className="grid content-start gap-1.5 rounded-md border p-3">
              <p id={`${id}-${f.family}`} className="text-sm font-medium">
                {f.label}
              </p>
              <Choice
                id={`${id}-${f.family}-all`}
                label={
                  <>
                    All {f.noun} events <code className="text-xs text-muted-foreground">{f.family}.*</code>
                  </>
                }
                checked={wildcard}
                disabled={all}
                onChange={(on) => toggleFamily(f, on)}
              />
              {f.types.map((t) => (
                <div key={t} className="pl-6">
                  <Choice
                    id={`${id}-${t}`}
                    label={<code className="text-xs">{t}</code>}
                    checked={wildcard || chosen.has(t)}
                    disabled={wildcard}
                    onChange={(on) => toggleType(t, on)}
                  />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
