"use client";

import { Pencil, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf } from "@/lib/action-result";
import { createWebhookEndpoint, updateWebhookEndpoint } from "../actions";
import { endpointSchema } from "../schema";
import { EventTypePicker } from "./event-type-picker";

export interface EditableEndpoint {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

function EndpointForm(props: { endpoint?: EditableEndpoint; onDone: () => void }) {
  const { endpoint } = props;
  const router = useRouter();
  const id = useId();
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [eventTypes, setEventTypes] = useState<string[]>(endpoint?.event_types ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { url, description, eventTypes };
    // The same schema runs again on the server, which also applies the URL policy.
    const local = endpointSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const result = endpoint
        ? await updateWebhookEndpoint({ id: endpoint.id, ...input })
        : await createWebhookEndpoint(input);
      if (result.ok) {
        toast.success(endpoint ? "Endpoint saved" : "Endpoint added");
        props.onDone();
        if (!endpoint && result.data) router.push(`/settings/webhooks/${result.data.id}`);
        else router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors && Object.keys(result.fieldErrors).length ? null : result.error);
    });
  }

  const err = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id}-${name}-error` : undefined,
  });

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError message={formError} />
      <div className="grid gap-2">
        <Label htmlFor={`${id}-url`}>Endpoint URL</Label>
        <Input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoFocus
          placeholder="https://example.com/webhooks/covey"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          {...err("url")}
        />
        <FieldError id={`${id}-url-error`} message={errors.url} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-description`}>Description (optional)</Label>
        <Textarea
          id={`${id}-description`}
          rows={2}
          value={description}
          placeholder="What receives these events"
          onChange={(e) => setDescription(e.target.value)}
          {...err("description")}
        />
        <FieldError id={`${id}-description-error`} message={errors.description} />
      </div>
      <EventTypePicker
        value={eventTypes}
        onChange={setEventTypes}
        invalid={!!errors.eventTypes}
        describedBy={errors.eventTypes ? `${id}-eventTypes-error` : undefined}
      />
      <FieldError id={`${id}-eventTypes-error`} message={errors.eventTypes} />
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : endpoint ? "Save endpoint" : "Add endpoint"}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function EndpointDialog(props: { endpoint?: EditableEndpoint }) {
  const [open, setOpen] = useState(false);
  const editing = !!props.endpoint;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant={editing ? "outline" : "default"} onClick={() => setOpen(true)}>
        {editing ? <Pencil aria-hidden /> : <Plus aria-hidden />}
        {editing ? "Edit" : "Add endpoint"}
      </Button>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{editing ? "Edit endpoint" : "Add an endpoint"}</DialogTitle>
          <DialogDescription>
            Covey sends each chosen event as a signed POST (Standard Webhooks) and retries with backoff until your endpoint
            answers with a 2xx status.
          </DialogDescription>
        </DialogHeader>
        {open ? <EndpointForm endpoint={props.endpoint} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
