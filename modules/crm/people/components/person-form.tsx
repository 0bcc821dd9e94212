"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/action-result";
import { type CompanyOption, CompanyPicker } from "@/modules/crm/companies/ui";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { AddressSection, FormSection, OwnerField, recordFormDefaults, RecordFormEnd } from "@/modules/crm/records/ui";
import { createPerson, updatePerson } from "../actions";
import type { PersonDetail } from "../queries";
import { personCreateSchema } from "../schema";

type Values = Record<string, unknown>;

function defaults(p: PersonDetail | null, defs: CustomFieldDef[], me: string, company: CompanyOption | null) {
  const s = (v: string | null | undefined) => v ?? "";
  return {
    ...recordFormDefaults(p, defs, me),
    first_name: s(p?.first_name),
    last_name: s(p?.last_name),
    email: s(p?.email),
    additional_emails: (p?.additional_emails ?? []).join(", "),
    phone: s(p?.phone),
    additional_phones: (p?.additional_phones ?? []).join(", "),
    title: s(p?.title),
    company_id: company?.id ?? "",
    linkedin_url: s(p?.linkedin_url),
    website: s(p?.website),
    source: s(p?.source),
  };
}

/** Create or edit a person (edit when `person` is given). */
export function PersonForm(props: {
  person: PersonDetail | null;
  defs: CustomFieldDef[];
  members: { id: string; name: string }[];
  me: string;
  /** Pre-selected company for a new person (e.g. from the company page). */
  company?: CompanyOption | null;
  onDone?: () => void;
}) {
  const router = useRouter();
  const editing = !!props.person;
  const initialCompany =
    props.person?.company_id ? { id: props.person.company_id, name: props.person.company_name ?? "" } : (props.company ?? null);
  const [company, setCompany] = useState<CompanyOption | null>(initialCompany);
  const [existing, setExisting] = useState<{ id: string; name: string } | null>(null);
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: personCreateSchema,
    action: async (input: Values): Promise<ActionResult<unknown>> => {
      setExisting(null);
      const result = editing ? await updatePerson(props.person!.id, input) : await createPerson(input);
      if (!result.ok && result.existing) setExisting(result.existing as { id: string; name: string });
      return result;
    },
    defaultValues: defaults(props.person, props.defs, props.me, initialCompany),
    onSuccess: (data) => {
      const id = (data as { id?: string } | undefined)?.id;
      toast.success(editing ? "Person saved" : "Person created", {
        ...(id ? { action: { label: "Open", onClick: () => router.push(`/people/${id}`) } } : {}),
      });
      router.refresh();
      props.onDone?.();
    },
  });
  const c = form.control;
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label={editing ? "Edit person" : "New person"}>
        <FormError message={formError} />
        {existing ? (
          <p className="text-sm">
            <Link className="font-medium text-primary underline-offset-4 hover:underline" href={`/people/${existing.id}`}>
              Open {existing.name}
            </Link>
          </p>
        ) : null}
        <FormSection title="Person">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="first_name" label="First name" autoComplete="off" />
            <TextField control={c} name="last_name" label="Last name" autoComplete="off" />
            <TextField control={c} name="title" label="Title" />
            <FormField
              control={c}
              name="company_id"
              render={({ fieldState }) => (
                <FormItem>
                  <FormLabel>Company</FormLabel>
                  <FormControl>
                    <CompanyPicker
                      value={company}
                      invalid={!!fieldState.error}
                      onChange={(o) => {
                        setCompany(o);
                        form.setValue("company_id", o?.id ?? "", { shouldDirty: true });
                      }}
                    />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
          </div>
        </FormSection>
        <FormSection title="Contact">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField control={c} name="email" label="Email" type="email" autoComplete="off" />
            <TextField control={c} name="phone" label="Phone" type="tel" autoComplete="off" />
            <TextField control={c} name="additional_emails" label="Other emails" description="Separate with commas." />
            <TextField control={c} name="additional_phones" label="Other phones" description="Separate with commas." />
            <TextField control={c} name="linkedin_url" label="LinkedIn" placeholder="linkedin.com/in/…" />
            <TextField control={c} name="website" label="Website" />
          </div>
        </FormSection>
        <AddressSection control={c} />
        <FormSection title="Work">
          <div className="grid gap-4 sm:grid-cols-2">
            <OwnerField control={c} name="owner_id" members={props.members} />
            <TextField control={c} name="last_contacted_at" label="Last contacted" type="date" />
            <TextField control={c} name="source" label="Source" placeholder="Website, referral, event…" />
            <TextField control={c} name="tags" label="Tags" description="Separate tags with commas." />
          </div>
        </FormSection>
        <RecordFormEnd defs={props.defs} submitting={submitting} noun="person" editing={editing} onDone={props.onDone} />
      </form>
    </Form>
  );
}
