"use client";

import type { Control, FieldPath, FieldValues } from "react-hook-form";
import { FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";

export const nativeSelectClass =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-base shadow-xs outline-none md:text-sm dark:bg-input/30 focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive";

// Any transformed output: record schemas transform their values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyControl<T extends FieldValues> = Control<T, any, any>;

/** The owner picker: the org's members, "me" first. */
export function OwnerField<T extends FieldValues>(props: {
  control: AnyControl<T>;
  name: FieldPath<T>;
  members: { id: string; name: string }[];
  disabled?: boolean;
}) {
  return (
    <FormField
      control={props.control}
      name={props.name}
      render={({ field }) => (
        <FormItem>
          <FormLabel>Owner</FormLabel>
          <FormControl>
            <select
              className={nativeSelectClass}
              {...field}
              value={field.value ?? ""}
              disabled={props.disabled}
            >
              <option value="">No owner</option>
              {props.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

export function TextAreaField<T extends FieldValues>(props: { control: AnyControl<T>; name: FieldPath<T>; label: string; rows?: number }) {
  return (
    <FormField
      control={props.control}
      name={props.name}
      render={({ field }) => (
        <FormItem>
          <FormLabel>{props.label}</FormLabel>
          <FormControl>
            <Textarea {...field} value={field.value ?? ""} rows={props.rows ?? 3} />
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

/** A titled group of form rows. */
export function FormSection(props: { title: string; children: React.ReactNode; className?: string }) {
  return (
    <fieldset className={cn("grid gap-4", props.className)}>
      <legend className="mb-2 text-sm font-medium text-muted-foreground">{props.title}</legend>
      {props.children}
    </fieldset>
  );
}

/** A date for an `<input type="date">`. */
export function dateInputValue(d: Date | string | null | undefined): string {
  if (!d) return "";
  const date = typeof d === "string" ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 10);
}
