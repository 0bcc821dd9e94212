"use client";

import Link from "next/link";
import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { sendMagicLink, signIn } from "../actions";
import { magicLinkSchema, signInSchema } from "../schema";

export function SignInForm({ next }: { next?: string }) {
  const password = useActionForm({
    schema: signInSchema,
    action: signIn,
    defaultValues: { email: "", password: "", next },
  });
  const [linkSentTo, setLinkSentTo] = useState<string | null>(null);
  const magic = useActionForm({
    schema: magicLinkSchema,
    action: sendMagicLink,
    defaultValues: { email: "", next },
    onSuccess: () => setLinkSentTo(magic.form.getValues("email")),
  });

  return (
    <Tabs defaultValue="password" className="gap-4">
      <TabsList className="grid w-full grid-cols-2">
        <TabsTrigger value="password">Use password</TabsTrigger>
        <TabsTrigger value="magic">Use email link</TabsTrigger>
      </TabsList>
      <TabsContent value="password">
        <Form {...password.form}>
          <form onSubmit={password.onSubmit} className="grid gap-4" noValidate>
            <FormError message={password.formError} />
            <TextField control={password.form.control} name="email" label="Email" type="email" autoComplete="email" />
            <TextField control={password.form.control} name="password" label="Password" type="password" autoComplete="current-password" />
            <Button type="submit" disabled={password.submitting} className="w-full">
              {password.submitting ? "Signing in…" : "Sign in"}
            </Button>
            <Link href="/forgot-password" className="text-center text-sm text-muted-foreground underline-offset-4 hover:underline">
              Forgot your password?
            </Link>
          </form>
        </Form>
      </TabsContent>
      <TabsContent value="magic">
        {linkSentTo ? (
          <p role="status" className="text-sm">
            If <strong>{linkSentTo}</strong> has an account, a sign-in link is on its way. It works once.
          </p>
        ) : (
          <Form {...magic.form}>
            <form onSubmit={magic.onSubmit} className="grid gap-4" noValidate>
              <FormError message={magic.formError} />
              <TextField control={magic.form.control} name="email" label="Email" type="email" autoComplete="email" />
              <Button type="submit" disabled={magic.submitting} className="w-full">
                {magic.submitting ? "Sending…" : "Email me a sign-in link"}
              </Button>
            </form>
          </Form>
        )}
      </TabsContent>
    </Tabs>
  );
}
