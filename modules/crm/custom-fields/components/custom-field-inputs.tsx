"use client";

import { Controller, useFormContext, type FieldValues, type UseFormReturn } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import type { CustomFieldDef, CustomValue } from "../types";

type Def = Pick<CustomFieldDef, "key" | "label" | "type" | "options" | "required">;

const nativeSelect =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-base shadow-xs outline-none md:text-sm dark:bg-input/30 focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive [&>option]:bg-background [&>option]:text-foreground";

/**
 * Form values for react-hook-form `defaultValues.custom`: every field as the
 * input shows it (strings, booleans for checkboxes, string[] for
 * multi-selects).
 */
export function customFormDefaults(defs: readonly Def[], values?: Record<string, unknown> | null) {
  const out: Record<string, string | boolean | string[]> = {};
  for (const d of defs) {
    const v = values?.[d.key];
    if (d.type === "checkbox") out[d.key] = v === true;
    else if (d.type === "multi_select") out[d.key] = Array.isArray(v) ? v.map(String) : [];
    else out[d.key] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}

function errorOf(form: UseFormReturn<FieldValues> | null, errors: Record<string, string> | undefined, key: string) {
  const fromProp = errors?.[`custom.${key}`];
  if (fromProp) return fromProp;
  const e = (form?.formState.errors.custom as Record<string, { message?: string }> | undefined)?.[key];
  return e?.message;
}

/**
 * Inputs for a record's custom fields, each named `custom.<key>`.
 *
 * Inside a react-hook-form `<Form {...form}>` they register themselves
 * (give `defaultValues.custom = customFormDefaults(defs, record.custom)`)
 * and show the form's errors at `custom.<key>`. Outside one they are plain
 * uncontrolled inputs pre-filled from `values`, to be read with
 * `customValuesFromFormData`. `errors` (e.g. an action's fieldErrors, keys
 * `custom.<key>`) is shown in both cases.
 */
export function CustomFieldInputs({
  defs,
  values,
  errors,
  disabled,
  className,
}: {
  defs: readonly Def[];
  values?: Record<string, CustomValue | unknown> | null;
  errors?: Record<string, string>;
  disabled?: boolean;
  className?: string;
}) {
  const form = useFormContext() as UseFormReturn<FieldValues> | null;
  if (!defs.length) return null;
  const defaults = customFormDefaults(defs, values as Record<string, unknown> | null);

  return (
    <div className={cn("grid gap-4", className)}>
      {defs.map((d) => {
        const name = `custom.${d.key}`;
        const id = `custom-field-${d.key}`;
        const error = errorOf(form, errors, d.key);
        const describedBy = error ? `${id}-error` : undefined;
        const common = {
          id,
          disabled,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": describedBy,
          "aria-required": d.required || undefined,
        };
        const bind = (extra?: object) =>
          form ? { ...form.register(name), ...extra } : { name, defaultValue: defaults[d.key] as string, ...extra };

        let control: React.ReactNode;
        switch (d.type) {
          case "checkbox":
            control = (
              <div className="flex h-9 items-center gap-2">
                {form ? null : <input type="hidden" name={`${name}.present`} value="1" />}
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  {...common}
                  {...(form ? form.register(name) : { name, defaultChecked: defaults[d.key] === true })}
                />
                <span className="text-sm text-muted-foreground">Yes</span>
              </div>
            );
            break;
          case "select":
            control = (
              <select className={nativeSelect} {...common} {...bind()}>
                <option value="">—</option>
                {d.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
            break;
          case "multi_select":
            control = (
              <fieldset
                className="flex flex-wrap gap-x-4 gap-y-2 rounded-md border border-input px-3 py-2"
                aria-describedby={describedBy}
                aria-labelledby={`${id}-label`}
                aria-invalid={error ? true : undefined}
              >
                {form ? (
                  <Controller
                    name={name}
                    control={form.control}
                    render={({ field }) => {
                      const selected: string[] = Array.isArray(field.value) ? field.value : [];
                      return (
                        <>
                          {d.options.map((o) => (
                            <label key={o.value} className="flex items-center gap-2 text-sm">
                              <input
                                type="checkbox"
                                className="size-4 accent-primary"
                                disabled={disabled}
                                checked={selected.includes(o.value)}
                                onChange={(e) =>
                                  field.onChange(
                                    e.target.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value),
                                  )
                                }
                                onBlur={field.onBlur}
                              />
                              {o.label}
                            </label>
                          ))}
                        </>
                      );
                    }}
                  />
                ) : (
                  <>
                    <input type="hidden" name={`${name}.present`} value="1" />
                    {d.options.map((o) => (
                      <label key={o.value} className="flex items-center gap-2 text-sm">
                        <input
                          type="checkbox"
                          className="size-4 accent-primary"
                          name={name}
                          value={o.value}
                          disabled={disabled}
                          defaultChecked={(defaults[d.key] as string[]).includes(o.value)}
                        />
                        {o.label}
                      </label>
                    ))}
                  </>
                )}
              </fieldset>
            );
            break;
          default: {
            const typeProps =
              d.type === "number"
                ? { type: "text", inputMode: "decimal" as const }
                : d.type === "date"
                  ? { type: "date" }
                  : d.type === "email"
                    ? { type: "email", autoComplete: "off" }
                    : d.type === "phone"
                      ? { type: "tel", autoComplete: "off" }
                      : d.type === "url"
                        ? { type: "url", placeholder: "https://" }
                        : { type: "text" };
            control = <Input {...common} {...typeProps} {...bind()} />;
          }
        }

        return (
          <div key={d.key} className="grid gap-2" data-custom-field={d.key}>
            <Label id={`${id}-label`} htmlFor={d.type === "multi_select" ? undefined : id}>
              {d.label}
              {d.required ? (
                <span className="text-destructive" aria-hidden>
                  *
                </span>
              ) : null}
            </Label>
            {control}
            {error ? (
              <p id={`${id}-error`} className="text-sm text-destructive">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
