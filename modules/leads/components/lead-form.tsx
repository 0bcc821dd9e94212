"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { type CustomFieldDef, customFormDefaults } from "@/modules/crm/custom-fields/ui";
import { FormSection, nativeSelectClass, OwnerField, RecordFormEnd, TextAreaField } from "@/modules/crm/records/ui";
import { createLeadAction } from "../actions";
import { leadCreateSchema } from "../schema";

type Option = { value: string; label: string };

/** A lead entered by hand: someone to reach (a name, an email or a phone), where they came from, and who works them. */
export function LeadForm(props: {
  defs: CustomFieldDef[];
  sources: Option[];
  members: { id: string; name: string }[];
  me: string;
  onDone?: () => void;
}) {
  const router = useRouter();
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: leadCreateSchema,
    action: createLeadAction,
    defaultValues: {
      first_name: "",
      last_name: "",
      email: "",
      phone: "",
      company_name: "",
      state: "",
      message: "",
      source: "manual",
      owner_id: props.me,
      custom: customFormDefaults(props.defs, {}),
    },
    onSuccess: (data) => {
      const id = (data as { id?: string } | undefined)?.id;
      toast.success("Lead created", { ...(id ? { action: { label: "Open", onClick: () => router.push(`/leads/${id}`) } } : {}) });
      router.refresh();
      props.onDone?.();
    },
  });
  const c = form.control;
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label="New lead">
        <FormError message={formError} />
        <FormSection title="Lead">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="first_name" label="First name" autoComplete="off" />
            <TextField control={c} name="last_name" label="Last name" autoComplete="off" />
            <TextField control={c} name="email" label="Email" type="email" autoComplete="off" />
            <TextField control={c} name="phone" label="Phone" type="tel" autoComplete="off" />
            <TextField control={c} name="company_name" label="Company" autoComplete="off" />
            <TextField control={c} name="state" label="State" autoComplete="off" />
          </div>
          <TextAreaField control={c} name="message" label="Message" />
        </FormSection>
        <FormSection title="Work">
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              control={c}
              name="source"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>Source</FormLabel>
                  <FormControl>
                    <select className={nativeSelectClass} {...field} value={field.value ?? ""}>
                      {props.sources.map((s) => (
                        <option key={s.value} value={s.value}>
                          {s.label}
                        </option>
                      ))}
                    </select>
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <OwnerField control={c} name="owner_id" members={props.members} />
          </div>
        </FormSection>
        <RecordFormEnd defs={props.defs} submitting={submitting} noun="lead" editing={false} onDone={props.onDone} />
      </form>
    </Form>
  );
}
