"use client";

import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { createInvite } from "../actions";
import { inviteSchema } from "../schema";

export function InviteForm({ roles }: { roles: Role[] }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: inviteSchema,
    action: createInvite,
    defaultValues: { email: "", role: "member" },
    onSuccess: () => {
      toast.success(`Invitation sent to ${form.getValues("email")}`);
      form.reset({ email: "", role: form.getValues("role") });
    },
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label="Invite a teammate">
        <FormError message={formError} />
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
          <TextField control={form.control} name="email" label="Email" type="email" autoComplete="off" placeholder="teammate@company.com" />
          <FormField
            control={form.control}
            name="role"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Role</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl>
                    <SelectTrigger className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    {roles.map((r) => (
                      <SelectItem key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
                <FormMessage />
              </FormItem>
            )}
          />
          <Button type="submit" disabled={submitting} className="sm:mt-[1.375rem]">
            {submitting ? "Sending…" : "Send invite"}
          </Button>
        </div>
      </form>
    </Form>
  );
}
