"use client";

import { useId, useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionResult } from "@/lib/action-result";
import { CustomFieldInputs, customFormDefaults } from "@/modules/crm/custom-fields/ui";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import type { Nouns } from "@/modules/crm/pipelines/ui";
import { dealSchema } from "../schema";
import { type Picked, RecordPicker } from "./record-picker";

export interface FormPipeline {
  id: string;
  name: string;
  /** What its deals are called ("Case"); Deal when absent. */
  nouns?: Nouns;
  stages: { id: string; name: string }[];
}

export interface DealFormValues {
  name: string;
  pipelineId: string;
  stageId: string;
  value: string;
  currency: string;
  ownerId: string;
  company: Picked | null;
  person: Picked | null;
  expectedCloseDate: string;
  tags: string;
  custom?: Record<string, unknown>;
}

/** Create or edit a deal: the same schema checks it here and in the action. */
export function DealForm(props: {
  initial: DealFormValues;
  pipelines: FormPipeline[];
  members: { id: string; name: string }[];
  defaultCurrency: string;
  customDefs: CustomFieldDef[];
  mode: "create" | "update";
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  submitLabel: string;
  onSaved: (data: unknown) => void;
  onCancel?: () => void;
}) {
  const ids = useId();
  const [company, setCompany] = useState<Picked | null>(props.initial.company);
  const [person, setPerson] = useState<Picked | null>(props.initial.person);
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: dealSchema(props.defaultCurrency, props.customDefs, props.mode),
    action: props.action,
    defaultValues: {
      name: props.initial.name,
      pipelineId: props.initial.pipelineId,
      stageId: props.initial.stageId,
      ...(props.mode === "update" ? { shownStageId: props.initial.stageId } : {}),
      value: props.initial.value,
      currency: props.initial.currency,
      ownerId: props.initial.ownerId,
      companyId: props.initial.company?.id ?? "",
      personId: props.initial.person?.id ?? "",
      expectedCloseDate: props.initial.expectedCloseDate,
      tags: props.initial.tags,
      custom: customFormDefaults(props.customDefs, props.initial.custom),
    },
    onSuccess: props.onSaved,
  });
  const pipelineId = form.watch("pipelineId");
  const stages = props.pipelines.find((p) => p.id === pipelineId)?.stages ?? [];

  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={props.mode === "create" ? "New deal" : "Deal details"}>
        <FormError message={formError} />
        <TextField control={form.control} name="name" label="Name" />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            control={form.control}
            name="pipelineId"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Pipeline</FormLabel>
                <FormControl>
                  <NativeSelect
                    {...field}
                    onChange={(e) => {
                      field.onChange(e);
                      const first = props.pipelines.find((p) => p.id === e.target.value)?.stages[0];
                      form.setValue("stageId", first?.id ?? "");
                    }}
                  >
                    {props.pipelines.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </NativeSelect>
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="stageId"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Stage</FormLabel>
                <FormControl>
                  <NativeSelect {...field}>
                    {stages.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </NativeSelect>
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <TextField control={form.control} name="value" label="Value" placeholder="12,500.00" />
          <TextField control={form.control} name="currency" label="Currency" placeholder={props.defaultCurrency} />
        </div>
        <FormField
          control={form.control}
          name="ownerId"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Owner</FormLabel>
              <FormControl>
                <NativeSelect {...field} value={field.value ?? ""}>
                  <option value="">No owner</option>
                  {props.members.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </NativeSelect>
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <div className="grid gap-4">
          <FormField
            control={form.control}
            name="companyId"
            render={({ fieldState }) => (
              <FormItem>
                <FormLabel htmlFor={`${ids}-company`}>Company</FormLabel>
                <RecordPicker
                  kind="company"
                  id={`${ids}-company`}
                  value={company}
                  invalid={!!fieldState.error}
                  onChange={(v) => {
                    setCompany(v);
                    form.setValue("companyId", v?.id ?? "");
                  }}
                />
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="personId"
            render={({ fieldState }) => (
              <FormItem>
                <FormLabel htmlFor={`${ids}-person`}>Person</FormLabel>
                <RecordPicker
                  kind="person"
                  id={`${ids}-person`}
                  value={person}
                  company={company}
                  invalid={!!fieldState.error}
                  onChange={(v) => {
                    setPerson(v);
                    form.setValue("personId", v?.id ?? "");
                  }}
                />
                <FormMessage />
              </FormItem>
            )}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField control={form.control} name="expectedCloseDate" label="Expected close" type="date" />
          <TextField control={form.control} name="tags" label="Tags" placeholder="hot, renewal" />
        </div>
        <CustomFieldInputs defs={props.customDefs} />
        <div className="flex justify-end gap-2">
          {props.onCancel ? (
            <Button type="button" variant="outline" onClick={props.onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : props.submitLabel}
          </Button>
        </div>
      </form>
    </Form>
  );
}
