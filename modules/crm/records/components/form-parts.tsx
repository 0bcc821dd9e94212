"use client";

import type { Control, FieldPath, FieldValues } from "react-hook-form";
import { TextField } from "@/components/forms/text-field";
import { Button } from "@/components/ui/button";
import { FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { type CustomFieldDef, CustomFieldInputs, customFormDefaults } from "@/modules/crm/custom-fields/ui";

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

/** The stored fields people and companies both hold: address, tags, owner, last contacted and custom values. */
export interface SharedRecordFields {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  tags: string[];
  owner_id: string | null;
  last_contacted_at: Date | null;
  custom: Record<string, unknown>;
}

/** The stored fields both record forms start from: address, tags, owner (the member themself for a new record), last contacted and custom values. */
export function recordFormDefaults(
  r: SharedRecordFields | null,
  defs: CustomFieldDef[],
  me: string,
) {
  return {
    address_line1: r?.address_line1 ?? "",
    address_line2: r?.address_line2 ?? "",
    city: r?.city ?? "",
    state: r?.state ?? "",
    postal_code: r?.postal_code ?? "",
    country: r?.country ?? "",
    tags: (r?.tags ?? []).join(", "),
    owner_id: r ? (r.owner_id ?? "") : me,
    last_contacted_at: dateInputValue(r?.last_contacted_at),
    custom: customFormDefaults(defs, r?.custom),
  };
}

/** The address rows of a record form. */
export function AddressSection<T extends FieldValues>(props: { control: AnyControl<T> }) {
  const c = props.control;
  const name = (n: string) => n as FieldPath<T>;
  return (
    <FormSection title="Address">
      <TextField control={c} name={name("address_line1")} label="Street address" />
      <TextField control={c} name={name("address_line2")} label="Address line 2" />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField control={c} name={name("city")} label="City" />
        <TextField control={c} name={name("state")} label="State" description="US states become 2-letter codes." />
        <TextField control={c} name={name("postal_code")} label="Postal code" />
        <TextField control={c} name={name("country")} label="Country" />
      </div>
    </FormSection>
  );
}

/** The org's custom fields, when it has any, and the save and cancel buttons that end a record form. */
export function RecordFormEnd(props: { defs: CustomFieldDef[]; submitting: boolean; noun: string; editing: boolean; onDone?: () => void }) {
  return (
    <>
      {props.defs.length ? (
        <FormSection title="More fields">
          <CustomFieldInputs defs={props.defs} />
        </FormSection>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={props.submitting}>
          {props.submitting ? "Saving…" : props.editing ? `Save ${props.noun}` : `Create ${props.noun}`}
        </Button>
        {props.onDone ? (
          <Button type="button" variant="outline" onClick={props.onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
    </>
  );
}
