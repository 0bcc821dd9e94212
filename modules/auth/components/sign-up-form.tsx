"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { RadioCard, RadioGroup } from "@/components/ui/radio-group";
import { signUp, signUpWithGoogle } from "../actions";
import { MIN_PASSWORD_LENGTH, ORG_TEMPLATES, signUpSchema } from "../schema";
import { Divider } from "./auth-card";
import { GoogleButton } from "./google-forms";

export function SignUpForm() {
  const [confirmTo, setConfirmTo] = useState<string | null>(null);
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: signUpSchema,
    action: signUp,
    defaultValues: { fullName: "", orgName: "", email: "", password: "", template: "sales" },
    onSuccess: () => setConfirmTo(form.getValues("email")),
  });
  const [googleBusy, setGoogleBusy] = useState(false);
  const [googleError, setGoogleError] = useState<string | null>(null);

  // The organization field serves both ways in; Google supplies the name, address and proof of it.
  async function signUpViaGoogle() {
    setGoogleError(null);
    if (!(await form.trigger(["orgName", "template"]))) return;
    setGoogleBusy(true);
    const result = await signUpWithGoogle({ orgName: form.getValues("orgName"), template: form.getValues("template") });
    setGoogleBusy(false);
    if (result && !result.ok) {
      if (result.fieldErrors?.orgName) form.setError("orgName", { type: "server", message: result.fieldErrors.orgName });
      else if (result.fieldErrors?.template) form.setError("template", { type: "server", message: result.fieldErrors.template });
      else setGoogleError(result.error);
    }
  }
  if (confirmTo) {
    return (
      <p role="status" className="text-sm">
        Check <strong>{confirmTo}</strong> for a link to confirm your address.
      </p>
    );
  }
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <FormError message={formError ?? googleError} />
        <TextField control={form.control} name="orgName" label="Organization" autoComplete="organization" placeholder="Acme Realty" />
        <FormField
          control={form.control}
          name="template"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Start from</FormLabel>
              <FormControl>
                <RadioGroup value={field.value} onValueChange={field.onChange} name={field.name} className="gap-2">
                  {ORG_TEMPLATES.map((t) => (
                    <RadioCard key={t.value} id={`template-${t.value}`} value={t.value} title={t.title} description={t.description} />
                  ))}
                </RadioGroup>
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <GoogleButton label="Sign up with Google" busy={googleBusy} onClick={signUpViaGoogle} />
        <Divider />
        <TextField control={form.control} name="fullName" label="Your name" autoComplete="name" />
        <TextField control={form.control} name="email" label="Work email" type="email" autoComplete="email" />
        <TextField
          control={form.control}
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <Button type="submit" disabled={submitting} className="w-full">
          {submitting ? "Creating…" : "Create organization"}
        </Button>
      </form>
    </Form>
  );
}
