"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { acceptInvite, requestPasswordReset, resetPassword } from "../actions";
import { acceptInviteSchema, forgotPasswordSchema, MIN_PASSWORD_LENGTH, resetPasswordSchema } from "../schema";

export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: forgotPasswordSchema,
    action: requestPasswordReset,
    defaultValues: { email: "" },
    onSuccess: () => setSentTo(form.getValues("email")),
  });
  if (sentTo) {
    return (
      <p role="status" className="text-sm">
        If <strong>{sentTo}</strong> has an account, a link to reset the password is on its way.
      </p>
    );
  }
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <FormError message={formError} />
        <TextField control={form.control} name="email" label="Email" type="email" autoComplete="email" />
        <Button type="submit" disabled={submitting} className="w-full">
          {submitting ? "Sending…" : "Send reset link"}
        </Button>
      </form>
    </Form>
  );
}

export function ResetPasswordForm() {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: resetPasswordSchema,
    action: resetPassword,
    defaultValues: { password: "", confirm: "" },
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <FormError message={formError} />
        <TextField
          control={form.control}
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <TextField control={form.control} name="confirm" label="Repeat the password" type="password" autoComplete="new-password" />
        <Button type="submit" disabled={submitting} className="w-full">
          {submitting ? "Saving…" : "Set password"}
        </Button>
      </form>
    </Form>
  );
}

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: acceptInviteSchema,
    action: acceptInvite,
    defaultValues: { token, fullName: "", password: "" },
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <FormError message={formError} />
        <div className="grid gap-2">
          <span className="text-sm font-medium">Email</span>
          <span className="rounded-md border bg-muted px-3 py-2 text-sm">{email}</span>
        </div>
        <TextField control={form.control} name="fullName" label="Your name" autoComplete="name" />
        <TextField
          control={form.control}
          name="password"
          label="Choose a password"
          type="password"
          autoComplete="new-password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <Button type="submit" disabled={submitting} className="w-full">
          {submitting ? "Joining…" : "Join organization"}
        </Button>
      </form>
    </Form>
  );
}
