"use client";

import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { updateOrgSettings } from "../actions";
import { orgSettingsSchema } from "../schema";
import { Form } from "@/components/ui/form";

export function OrgSettingsForm(props: { name: string; defaultCurrency: string; allowedEmailDomains: string[] }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: orgSettingsSchema,
    action: updateOrgSettings,
    defaultValues: {
      name: props.name,
      defaultCurrency: props.defaultCurrency,
      allowedEmailDomains: props.allowedEmailDomains.join(", "),
    },
    onSuccess: () => toast.success("Organization settings saved"),
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid max-w-xl gap-4" noValidate>
        <FormError message={formError} />
        <TextField control={form.control} name="name" label="Organization name" autoComplete="organization" />
        <TextField
          control={form.control}
          name="defaultCurrency"
          label="Default currency"
          description="ISO 4217 code used for new deals, e.g. USD or EUR."
        />
        <TextField
          control={form.control}
          name="allowedEmailDomains"
          label="Allowed email domains"
          placeholder="acme.com, acme.co.uk"
          description="Only addresses at these domains can be invited. Leave empty to allow any address."
        />
        <div>
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </Form>
  );
}
