"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Form } from "@/components/ui/form";
import type { ActionResult } from "@/lib/action-result";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { createCompany, updateCompany } from "../actions";
import type { CompanyDetail } from "../queries";
import { companyCreateSchema } from "../schema";
import { AddressSection, FormSection, OwnerField, recordFormDefaults, RecordFormEnd, TextAreaField } from "@/modules/crm/records/ui";

type Values = Record<string, unknown>;

function defaults(company: CompanyDetail | null, defs: CustomFieldDef[], me: string) {
  const c = company;
  const s = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  return {
    ...recordFormDefaults(c, defs, me),
    name: s(c?.name),
    domain: s(c?.domain),
    website: s(c?.website),
    email: s(c?.email),
    phone: s(c?.phone),
    industry: s(c?.industry),
    employee_count: s(c?.employee_count),
    description: s(c?.description),
    linkedin_url: s(c?.linkedin_url),
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
        <AddressSection control={c} />
        <FormSection title="Work">
          <div className="grid gap-4 sm:grid-cols-2">
            <OwnerField control={c} name="owner_id" members={props.members} />
            <TextField control={c} name="last_contacted_at" label="Last contacted" type="date" />
          </div>
          <TextField control={c} name="tags" label="Tags" description="Separate tags with commas." />
        </FormSection>
        <RecordFormEnd defs={props.defs} submitting={submitting} noun="company" editing={editing} onDone={props.onDone} />
      </form>
    </Form>
  );
}
