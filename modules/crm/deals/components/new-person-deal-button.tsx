"use client";

import { PlusIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionResult } from "@/lib/action-result";
import { createPersonDealAction } from "../actions";
import { type PersonDealFormInput, personDealSchema } from "../person-deal-schema";

/**
 * "New case" on a pipeline whose deals are each about one person: the
 * person's contact details first, then the stage; the record is named after
 * the person. An address whose person already has an open record here is
 * refused with a link to that record.
 */
export function NewPersonDealButton(props: {
  pipeline: { id: string; stages: { id: string; name: string }[] };
  /** What the pipeline's deals are called: "Case". */
  noun: string;
  members: { id: string; name: string }[];
  currentUserId: string;
}) {
  const [open, setOpen] = useOpenFromUrl();
  const router = useRouter();
  const [existing, setExisting] = useState<string | null>(null);
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: personDealSchema,
    action: async (input: PersonDealFormInput): Promise<ActionResult<unknown>> => {
      setExisting(null);
      const result = await createPersonDealAction(input);
      const found = !result.ok ? (result.existing as { href?: string } | undefined) : undefined;
      if (found?.href) setExisting(found.href);
      return result;
    },
    defaultValues: {
      pipelineId: props.pipeline.id,
      stageId: props.pipeline.stages[0]?.id ?? "",
      first_name: "",
      last_name: "",
      email: "",
      phone: "",
      state: "",
      value: "",
      ownerId: props.currentUserId,
    },
    onSuccess: (data) => {
      const id = (data as { id: string }).id;
      setOpen(false);
      form.reset();
      toast.success(`${props.noun} created`, { action: { label: "Open", onClick: () => router.push(`/deals/${id}`) } });
      router.refresh();
    },
  });
  const c = form.control;
  const title = `New ${props.noun.toLowerCase()}`;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setExisting(null);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          {title}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>Who it is about first: the person is created with it, or found by their email.</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={title}>
            <FormError message={formError} />
            {existing ? (
              <p className="text-sm">
                <Link className="font-medium text-primary underline-offset-4 hover:underline" href={existing}>
                  Open the existing {props.noun.toLowerCase()}
                </Link>
              </p>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField control={c} name="first_name" label="First name" autoComplete="off" />
              <TextField control={c} name="last_name" label="Last name" autoComplete="off" />
              <TextField control={c} name="email" label="Email" type="email" autoComplete="off" />
              <TextField control={c} name="phone" label="Phone" type="tel" autoComplete="off" />
              <TextField control={c} name="state" label="State" placeholder="TX" autoComplete="off" />
              <FormField
                control={c}
                name="stageId"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Stage</FormLabel>
                    <FormControl>
                      <NativeSelect {...field}>
                        {props.pipeline.stages.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </NativeSelect>
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
              <FormField
                control={c}
                name="ownerId"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Owner</FormLabel>
                    <FormControl>
                      <NativeSelect {...field} value={field.value ?? ""}>
                        <option value="">No owner</option>
                        {props.members.map((m) => (
                          <option key={m.id} value={m.id}>
                            {m.name}
                          </option>
                        ))}
                      </NativeSelect>
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
              <TextField control={c} name="value" label="Value" placeholder="0.00" />
            </div>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={submitting}>
                {submitting ? "Saving…" : `Create ${props.noun.toLowerCase()}`}
              </Button>
            </div>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
