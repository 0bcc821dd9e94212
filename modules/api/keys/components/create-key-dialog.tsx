"use client";

import { CopyIcon, KeyRoundIcon, PlusIcon, TriangleAlertIcon } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { useTimeZone } from "@/components/time-zone";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { createApiKeyAction } from "../actions";
import type { CreatedKey } from "../commands";
import { dayKey } from "@/lib/time";
import { createKeySchema, EXPIRY_CHOICES } from "../schema";
import { ScopeMatrix } from "./scope-matrix";

/**
 * "Create key": the form, then the token, shown this once. Closing the
 * dialog forgets the token; an accidental click outside does not close it.
 */
export function CreateKeyDialog({ apiBase }: { apiBase: string }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setCreated(null);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent
        className="max-h-[90vh] overflow-y-auto sm:max-w-xl"
        onInteractOutside={(e) => {
          if (created) e.preventDefault();
        }}
      >
        {created ? (
          <CreatedKeyView created={created} apiBase={apiBase} />
        ) : open ? (
          <CreateKeyForm onCreated={setCreated} onCancel={() => setOpen(false)} />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyForm(props: { onCreated: (key: CreatedKey) => void; onCancel: () => void }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: createKeySchema,
    action: createApiKeyAction,
    defaultValues: { name: "", scopes: [], expiry: "never", expiresOn: "" },
    onSuccess: (key) => props.onCreated(key),
  });
  const expiry = form.watch("expiry");
  const today = dayKey(new Date(), useTimeZone());
  return (
    <>
      <DialogHeader>
        <DialogTitle>Create an API key</DialogTitle>
        <DialogDescription>
          The key acts as you, within your role, limited to the scopes you choose. Give it only what the integration needs.
        </DialogDescription>
      </DialogHeader>
      <Form {...form}>
        <form onSubmit={onSubmit} className="grid gap-5" noValidate aria-label="Create an API key">
          <FormError message={formError} />
          <TextField control={form.control} name="name" label="Name" placeholder="e.g. Zapier sync" autoComplete="off" />
          <FormField
            control={form.control}
            name="scopes"
            render={({ field, fieldState }) => (
              <fieldset className="grid gap-2" aria-describedby={fieldState.error ? "scopes-error" : undefined}>
                <legend className="mb-1 text-sm font-medium">Scopes</legend>
                <ScopeMatrix value={field.value ?? []} onChange={field.onChange} />
                {fieldState.error ? (
                  <p id="scopes-error" className="text-sm text-destructive">
                    {fieldState.error.message ?? "Choose at least one scope"}
                  </p>
                ) : null}
              </fieldset>
            )}
          />
          <div className="grid gap-4 sm:grid-cols-2 sm:items-start">
            <FormField
              control={form.control}
              name="expiry"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>Expires</FormLabel>
                  <FormControl>
                    <NativeSelect {...field}>
                      {EXPIRY_CHOICES.map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.label}
                        </option>
                      ))}
                    </NativeSelect>
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            {expiry === "custom" ? (
              <FormField
                control={form.control}
                name="expiresOn"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Expiry date</FormLabel>
                    <FormControl>
                      <Input {...field} value={field.value ?? ""} type="date" min={today} />
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
            ) : null}
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={props.onCancel}>
              Cancel
            </Button>
            <Button type="submit" disabled={submitting}>
              {submitting ? "Creating…" : "Create key"}
            </Button>
          </DialogFooter>
        </form>
      </Form>
    </>
  );
}

function CreatedKeyView({ created, apiBase }: { created: CreatedKey; apiBase: string }) {
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      toast.success("Key copied");
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave it selected for Ctrl+C.
      input.current?.select();
      toast.message("Press Ctrl+C (or ⌘C) to copy the selected key");
    }
  };
  return (
    <>
      <DialogHeader>
        <DialogTitle className="flex items-center gap-2">
          <KeyRoundIcon className="size-5" aria-hidden />
          Copy your new key
        </DialogTitle>
        <DialogDescription>
          “{created.name}” is ready. Use it as <code className="font-mono text-xs">Authorization: Bearer …</code> on requests
          to the API.
        </DialogDescription>
      </DialogHeader>
      <Alert>
        <TriangleAlertIcon aria-hidden />
        <AlertTitle>You won’t see this key again</AlertTitle>
        <AlertDescription>
          Covey stores only a fingerprint of it. Keep it somewhere safe, such as your integration’s secret settings. If it is
          lost, revoke it and create a new one.
        </AlertDescription>
      </Alert>
      <div className="grid gap-2">
        <Label htmlFor="new-api-key">API key</Label>
        <div className="flex gap-2">
          <Input
            ref={input}
            id="new-api-key"
            readOnly
            value={created.token}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="new-api-key"
          />
          <Button type="button" variant="outline" onClick={copy}>
            <CopyIcon aria-hidden />
            Copy
          </Button>
        </div>
      </div>
      <div className="grid gap-1">
        <p className="text-sm font-medium">Try it</p>
        <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs" tabIndex={0}>
          {`curl ${apiBase}/api/v1/me \\\n  -H "Authorization: Bearer ${created.token}"`}
        </pre>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button">I’ve stored it</Button>
        </DialogClose>
      </DialogFooter>
    </>
  );
}
