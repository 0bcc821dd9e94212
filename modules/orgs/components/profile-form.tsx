"use client";

import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { NativeSelect } from "@/components/ui/native-select";
import { zoneLabel } from "@/lib/time";
import { updateProfile } from "../actions";
import { profileSchema } from "../schema";

/**
 * The member's name, phone and time zone. `timeZone` is the profile's, null when
 * it follows the browser's, which `browserZone` is as far as the server
 * knows it. `zones` come from the server, whose list the browser's may not
 * match name for name, so the page hydrates as rendered and offers only
 * zones the server accepts.
 */
export function ProfileForm(props: { fullName: string; timeZone: string | null; phone: string | null; browserZone: string | null; zones: string[] }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: profileSchema,
    action: updateProfile,
    defaultValues: { fullName: props.fullName, timeZone: props.timeZone ?? "", phone: props.phone ?? "" },
    onSuccess: () => toast.success("Profile saved"),
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid max-w-xl gap-4" noValidate>
        <FormError message={formError} />
        <TextField control={form.control} name="fullName" label="Name" autoComplete="name" />
        <TextField
          control={form.control}
          name="phone"
          label="Your phone"
          type="tel"
          autoComplete="tel"
          placeholder="+1 415 555 0100"
          description="Click-to-call rings this phone first, then connects you to the contact from your workspace's number."
        />
        <FormField
          control={form.control}
          name="timeZone"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Time zone</FormLabel>
              <FormControl>
                <NativeSelect {...field} value={field.value ?? ""}>
                  <option value="">Use my browser's zone{props.browserZone ? ` (${zoneLabel(props.browserZone)})` : ""}</option>
                  {props.zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zoneLabel(zone)}
                    </option>
                  ))}
                </NativeSelect>
              </FormControl>
              <FormDescription>Dates and times in Covey, its exports and its emails to you are shown in this zone.</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <div>
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </Form>
  );
}
