"use client";

import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { updateProfile } from "../actions";
import { profileSchema } from "../schema";

export function ProfileForm({ fullName }: { fullName: string }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: profileSchema,
    action: updateProfile,
    defaultValues: { fullName },
    onSuccess: () => toast.success("Profile saved"),
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid max-w-xl gap-4" noValidate>
        <FormError message={formError} />
        <TextField control={form.control} name="fullName" label="Name" autoComplete="name" />
        <div>
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </Form>
  );
}
