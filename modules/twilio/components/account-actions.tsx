"use client";

import { Plug, PlugZap, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf } from "@/lib/action-result";
import { connectTwilio, disconnectTwilio, testTwilioConnection } from "../actions";
import { connectTwilioSchema } from "../schema";
import type { TwilioConnectionTest } from "../service";
import { Field, invalidProps } from "./field";

function ConnectForm(props: { accountSid?: string; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState({ accountSid: props.accountSid ?? "", authToken: "", apiKeySid: "", apiKeySecret: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const set = (name: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value }));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const local = connectTwilioSchema.safeParse(values);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const result = await connectTwilio(values);
      if (result.ok) {
        // The secrets leave the browser's memory with the form.
        setValues((v) => ({ ...v, authToken: "", apiKeySecret: "" }));
        toast.success(props.accountSid ? "Credentials replaced" : "Twilio connected");
        props.onDone();
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors && Object.keys(result.fieldErrors).length ? null : result.error);
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError message={formError} />
      <Field id={`${id}-sid`} name="accountSid" label="Account SID" error={errors.accountSid}>
        <Input
          {...invalidProps(`${id}-sid`, errors.accountSid)}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          placeholder="AC…"
          value={values.accountSid}
          onChange={set("accountSid")}
        />
      </Field>
      <Field
        id={`${id}-token`}
        name="authToken"
        label="Auth token"
        error={errors.authToken}
        hint="Twilio signs every webhook with it, so Covey needs it even with an API key. Stored encrypted and never shown again."
      >
        <Input {...invalidProps(`${id}-token`, errors.authToken)} type="password" autoComplete="off" spellCheck={false} value={values.authToken} onChange={set("authToken")} />
      </Field>
      <Field id={`${id}-key`} name="apiKeySid" label="API key SID (optional)" error={errors.apiKeySid} hint="Sends then use this key instead of the auth token.">
        <Input {...invalidProps(`${id}-key`, errors.apiKeySid)} autoComplete="off" spellCheck={false} placeholder="SK…" value={values.apiKeySid} onChange={set("apiKeySid")} />
      </Field>
      <Field id={`${id}-secret`} name="apiKeySecret" label="API key secret" error={errors.apiKeySecret}>
        <Input
          {...invalidProps(`${id}-secret`, errors.apiKeySecret)}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={values.apiKeySecret}
          onChange={set("apiKeySecret")}
        />
      </Field>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Checking with Twilio…" : props.accountSid ? "Replace credentials" : "Connect Twilio"}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Connects the org's Twilio account, or (given `accountSid`) replaces its credentials. */
export function ConnectTwilioDialog(props: { accountSid?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant={props.accountSid ? "outline" : "default"} size={props.accountSid ? "sm" : "default"} onClick={() => setOpen(true)}>
        <Plug aria-hidden />
        {props.accountSid ? "Replace credentials" : "Connect Twilio"}
      </Button>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{props.accountSid ? "Replace the Twilio credentials" : "Connect your Twilio account"}</DialogTitle>
          <DialogDescription>Covey checks the credentials with Twilio before storing them. Find them in the Twilio Console under Account Info.</DialogDescription>
        </DialogHeader>
        <ConnectForm accountSid={props.accountSid} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

/** Asks Twilio about the stored credentials and shows what it said beside the button. */
export function TestTwilioButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<TwilioConnectionTest | { error: string } | null>(null);
  return (
    <div className="grid gap-2">
      <div>
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await testTwilioConnection();
              setResult(r.ok ? r.data : { error: r.error });
              router.refresh();
            })
          }
        >
          <PlugZap aria-hidden />
          {pending ? "Testing…" : "Test connection"}
        </Button>
      </div>
      {result ? (
        <p role="status" className={"ok" in result && result.ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-destructive"}>
          {"ok" in result ? (result.ok ? `Connected to ${result.friendlyName}.` : result.error) : result.error}
        </p>
      ) : null}
    </div>
  );
}

export function DisconnectTwilioButton() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden />
        Disconnect
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Disconnect Twilio?</AlertDialogTitle>
          <AlertDialogDescription>
            The stored credentials are deleted. Texts already in Covey stay; nothing can be sent, and inbound texts are refused until you connect again.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await disconnectTwilio();
                if (r.ok) {
                  toast.success("Twilio disconnected");
                  setOpen(false);
                  router.refresh();
                } else toast.error(r.error);
              });
            }}
          >
            Disconnect
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
