"use client";

import { CalendarClockIcon } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { type DuePreset, dueDatePresets, MAX_BUSINESS_DAYS } from "../due-presets";

/**
 * A button beside a due date box that offers Today, Tomorrow, Next week and
 * "in N business days" (N typed), counted in `timeZone`, the zone the task's
 * date and time are typed in.
 */
export function DuePresets({ timeZone, onPick, className }: { timeZone: string; onPick: (date: string) => void; className?: string }) {
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState("3");
  const id = useId();
  const pick = (p: DuePreset | null) => {
    if (!p) return;
    onPick(p.date);
    setOpen(false);
  };
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button type="button" variant="outline" size="icon" aria-label="Date presets" title="Date presets" className={className}>
          <CalendarClockIcon aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="grid w-64 gap-1 p-2" aria-label="Date presets">
        {open ? <PresetList timeZone={timeZone} days={days} setDays={setDays} pick={pick} inputId={`${id}-days`} /> : null}
      </PopoverContent>
    </Popover>
  );
}

// Mounted only while open, so "today" is the day the list is opened.
function PresetList(props: {
  timeZone: string;
  days: string;
  setDays: (v: string) => void;
  pick: (p: DuePreset | null) => void;
  inputId: string;
}) {
  const presets = dueDatePresets(props.timeZone, Number(props.days));
  return (
    <>
      {presets.fixed.map((p) => (
        <PresetButton key={p.label} preset={p} onClick={() => props.pick(p)} />
      ))}
      <div className="mt-1 flex items-center gap-2 border-t px-2 pt-2 text-sm">
        <label htmlFor={props.inputId}>Business days</label>
        <Input
          id={props.inputId}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_BUSINESS_DAYS}
          value={props.days}
          onChange={(e) => props.setDays(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            props.pick(presets.businessDays);
          }}
          className="h-8 w-20"
        />
      </div>
      {presets.businessDays ? (
        <PresetButton preset={presets.businessDays} onClick={() => props.pick(presets.businessDays)} />
      ) : (
        <p className="px-2 py-1.5 text-sm text-muted-foreground">Enter 1 to {MAX_BUSINESS_DAYS} business days</p>
      )}
    </>
  );
}

function PresetButton({ preset, onClick }: { preset: DuePreset; onClick: () => void }) {
  return (
    <Button type="button" variant="ghost" size="sm" className="justify-between font-normal" onClick={onClick}>
      <span>{preset.label}</span>
      <span className="text-muted-foreground">{preset.hint}</span>
    </Button>
  );
}
