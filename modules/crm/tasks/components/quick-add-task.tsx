"use client";

import { Plus } from "lucide-react";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { useTimeZone } from "@/components/time-zone";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { RecordRef } from "@/modules/crm/records/ui";
import { addTask } from "../actions";
import { DuePresets } from "./due-presets";
import { HALF_TYPED_MESSAGES, halfTypedField } from "./half-typed";

/** Title and an optional due date and time, Enter to add; assigned to the author. */
export function QuickAddTask({ link, label = "Add a task" }: { link?: RecordRef; label?: string }) {
  const [title, setTitle] = useState("");
  const [dueDate, setDueDate] = useState("");
  const [dueTime, setDueTime] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const titleRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const timeZone = useTimeZone();

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const half = halfTypedField(e.currentTarget);
    if (half) {
      setError(HALF_TYPED_MESSAGES[half]);
      return;
    }
    setError(null);
    start(async () => {
      const result = await addTask({
        title,
        dueDate: dueDate || null,
        dueTime: dueTime || null,
        link: link ?? null,
      });
      if (result.ok) {
        setTitle("");
        setDueDate("");
        setDueTime("");
        titleRef.current?.focus();
        toast.success("Task added");
      } else {
        setError(result.fieldErrors?.title ?? result.fieldErrors?.dueDate ?? result.fieldErrors?.dueTime ?? result.error);
      }
    });
  };

  return (
    <form onSubmit={submit} className="grid gap-1" noValidate>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-title`} className="sr-only">
          {label}
        </label>
        <Input
          ref={titleRef}
          id={`${id}-title`}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={`${label}…`}
          maxLength={200}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          className="min-w-40 flex-1"
        />
        <label htmlFor={`${id}-due`} className="sr-only">
          Due date
        </label>
        <Input
          id={`${id}-due`}
          name="dueDate"
          type="date"
          value={dueDate}
          onChange={(e) => setDueDate(e.target.value)}
          className="w-40"
        />
        <DuePresets timeZone={timeZone} onPick={setDueDate} />
        <label htmlFor={`${id}-time`} className="sr-only">
          Due time
        </label>
        <Input
          id={`${id}-time`}
          name="dueTime"
          type="time"
          value={dueTime}
          onChange={(e) => setDueTime(e.target.value)}
          className="w-32"
        />
        <Button type="submit" variant="secondary" disabled={pending || !title.trim()}>
          <Plus aria-hidden />
          Add
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </form>
  );
}
