"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/action-result";

/**
 * A react-hook-form bound to a server action: the same zod schema validates
 * in the browser and again on the server; the server's per-field messages
 * land on the fields, anything else in `formError`.
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>, T>(opts: {
  schema: S;
  action: (input: z.input<S>) => Promise<ActionResult<T> | undefined>;
  defaultValues: DefaultValues<z.input<S>>;
  onSuccess?: (data: T) => void;
}) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(opts.schema as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues: opts.defaultValues,
  });
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = form.handleSubmit(async () => {
    setFormError(null);
    // Raw values go to the server, which parses them with the same schema.
    const result = await opts.action(form.getValues());
    if (!result) return; // the action redirected
    if (result.ok) {
      opts.onSuccess?.(result.data);
      return;
    }
    const fields = Object.entries(result.fieldErrors ?? {});
    for (const [name, message] of fields) {
      form.setError(name as Path<z.input<S>>, { type: "server", message });
    }
    if (!fields.length || fields.some(([n]) => !(n in (form.getValues() as object)))) setFormError(result.error);
  });

  return { form, onSubmit, formError, setFormError, submitting: form.formState.isSubmitting };
}
