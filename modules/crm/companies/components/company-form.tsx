"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import type { ActionResult } from "@/lib/action-result";
import { CustomFieldInputs, customFormDefaults } from "@/modules/crm/custom-fields/ui";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { createCompany, updateCompany } from "../actions";
import type { CompanyDetail } from "../queries";
import { companyCreateSchema } from "../schema";
import { dateInputValue, FormSection, OwnerField, TextAreaField } from "@/modules/crm/records/ui";

type Values = Record<string, unknown>;

function defaults(company: CompanyDetail | null, defs: CustomFieldDef[], me: string) {
  const c = company;
  const s = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  return {
    name: s(c?.name),
    domain: s(c?.domain),
    website: s(c?.website),
    email: s(c?.email),
    phone: s(c?.phone),
    industry: s(c?.industry),
    employee_count: s(c?.employee_count),
    description: s(c?.description),
    linkedin_url: s(c?.linkedin_url),
    address_line1: s(c?.address_line1),
    address_line2: s(c?.address_line2),
    city: s(c?.city),
    state: s(c?.state),
    postal_code: s(c?.postal_code),
    country: s(c?.country),
    tags: (c?.tags ?? []).join(", "),
    owner_id: c ? s(c.owner_id) : me,
    last_contacted_at: dateInputValue(c?.last_contacted_at),
    custom: customFormDefaults(defs, c?.custom),
  };
}

/** Create or edit a company (edit when `company` is given). */
export function CompanyForm(props: {
  company: CompanyDetail | null;
  defs: CustomFieldDef[];
  members: { id: string; name: string }[];
  me: string;
  onDone?: () => void;
}) {
  const router = useRouter();
  const editing = !!props.company;
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: companyCreateSchema,
    action: async (input: Values): Promise<ActionResult<unknown>> =>
      editing ? updateCompany(props.company!.id, input) : createCompany(input),
    defaultValues: defaults(props.company, props.defs, props.me),
    onSuccess: (data) => {
      const id = (data as { id?: string } | undefined)?.id;
      toast.success(editing ? "Company saved" : "Company created", {
        ...(id ? { action: { label: "Open", onClick: () => router.push(`/companies/${id}`) } } : {}),
      });
      router.refresh();
      props.onDone?.();
    },
  });
  const c = form.control;
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label={editing ? "Edit company" : "New company"}>
        <FormError message={formError} />
        <FormSection title="Company">
          <TextField control={c} name="name" label="Name" autoComplete="organization" />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="domain" label="Domain" placeholder="example.com" />
            <TextField control={c} name="website" label="Website" placeholder="https://example.com" />
            <TextField control={c} name="industry" label="Industry" />
            <TextField control={c} name="employee_count" label="Employees" type="text" />
          </div>
          <TextAreaField control={c} name="description" label="Description" />
        </FormSection>
        <FormSection title="Contact">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="email" label="Email" type="email" />
            <TextField control={c} name="phone" label="Phone" type="tel" />
          </div>
          <TextField control={c} name="linkedin_url" label="LinkedIn" placeholder="linkedin.com/company/…" />
        </FormSection>
        <FormSection title="Address">
          <TextField control={c} name="address_line1" label="Street address" />
          <TextField control={c} name="address_line2" label="Address line 2" />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="city" label="City" />
            <TextField control={c} name="state" label="State" description="US states become 2-letter codes." />
            <TextField control={c} name="postal_code" label="Postal code" />
            <TextField control={c} name="country" label="Country" />
          </div>
        </FormSection>
        <FormSection title="Work">
          <div className="grid gap-4 sm:grid-cols-2">
            <OwnerField control={c} name="owner_id" members={props.members} />
            <TextField control={c} name="last_contacted_at" label="Last contacted" type="date" />
          </div>
          <TextField control={c} name="tags" label="Tags" description="Separate tags with commas." />
        </FormSection>
        {props.defs.length ? (
          <FormSection title="More fields">
            <CustomFieldInputs defs={props.defs} />
          </FormSection>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : editing ? "Save company" : "Create company"}
          </Button>
          {props.onDone ? (
            <Button type="button" variant="outline" onClick={props.onDone}>
              Cancel
            </Button>
          ) : null}
        </div>
      </form>
    </Form>
  );
}
