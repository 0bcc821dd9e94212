"use client";

import { Download, Megaphone, PlugZap, Trash2 } from "lucide-react";
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
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { fieldErrorsOf } from "@/lib/action-result";
import { connectMetaAdAccount, disconnectMetaAdAccount, importMetaAdSpendNow, setMetaAdAccountEnabled, testMetaAdAccount } from "../actions";
import { connectAdAccountSchema } from "../schema";

function ConnectForm(props: { accountId?: string; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [accountId, setAccountId] = useState(props.accountId ?? "");
  const [token, setToken] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { accountId, token };
    const local = connectAdAccountSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const result = await connectMetaAdAccount(input);
      if (result.ok) {
        // The token leaves the browser's memory with the form.
        setToken("");
        toast.success(props.accountId ? "Token replaced; the last 30 days are being imported" : "Ad account connected; the last 30 days are being imported");
        props.onDone();
        router.refresh();
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
        <Label htmlFor={`${id}-account`}>Ad account ID</Label>
        <Input
          id={`${id}-account`}
          autoComplete="off"
          autoFocus={!props.accountId}
          readOnly={!!props.accountId}
          placeholder="act_300000000000001"
          value={accountId}
          onChange={(e) => setAccountId(e.target.value)}
          {...err("accountId")}
        />
        {errors.accountId ? (
          <p id={`${id}-accountId-error`} className="text-sm text-destructive">
            {errors.accountId}
          </p>
        ) : null}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-token`}>Access token</Label>
        <Input
          id={`${id}-token`}
          type="password"
          autoComplete="off"
          autoFocus={!!props.accountId}
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          {...err("token")}
        />
        {errors.token ? (
          <p id={`${id}-token-error`} className="text-sm text-destructive">
            {errors.token}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">
            A system user (or page) token with the ads_read permission on this account. It is stored encrypted and never shown again.
          </p>
        )}
      </div>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Checking with Meta…" : props.accountId ? "Replace token" : "Connect ad account"}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Connects an ad account, or (given `accountId`) replaces the token of a connected one. */
export function ConnectAdAccountDialog(props: { accountId?: string; name?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button
        variant="outline"
        size="sm"
        onClick={() => setOpen(true)}
        aria-label={props.accountId ? `Replace the token of ${props.name}` : undefined}
      >
        <Megaphone aria-hidden />
        {props.accountId ? "Replace token" : "Connect an ad account"}
      </Button>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{props.accountId ? "Replace the ad account token" : "Connect a Meta ad account"}</DialogTitle>
          <DialogDescription>
            Covey checks the token with Meta, then imports the account&apos;s spend per campaign and day: the last 30 days now, and the
            last 7 every day, since Meta revises recent days.
          </DialogDescription>
        </DialogHeader>
        {open ? <ConnectForm accountId={props.accountId} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

export function AdAccountEnabledToggle(props: { id: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const id = useId();
  const [checked, setChecked] = useState(props.enabled);
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <Checkbox
        id={id}
        checked={checked}
        disabled={pending}
        aria-label={`Import ${props.name} daily`}
        onCheckedChange={(value) => {
          const next = value === true;
          setChecked(next);
          start(async () => {
            const r = await setMetaAdAccountEnabled({ id: props.id, enabled: next });
            if (!r.ok) {
              setChecked(!next);
              return void toast.error(r.error);
            }
            toast.success(next ? `${props.name} is imported daily again` : `${props.name} is no longer imported`);
            router.refresh();
          });
        }}
      />
      <Label htmlFor={id} className="font-normal">
        {checked ? "Daily" : "Paused"}
      </Label>
    </div>
  );
}

/** Test, import now and disconnect, for one account. */
export function AdAccountActions(props: { id: string; name: string; accountId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState(false);
  return (
    <div className="grid justify-items-start gap-2">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          aria-label={`Test ${props.name}`}
          onClick={() =>
            start(async () => {
              const r = await testMetaAdAccount({ id: props.id });
              if (!r.ok) return setStatus({ ok: false, text: r.error });
              setStatus(
                r.data.ok ? { ok: true, text: `Connected to ${r.data.name} (${r.data.currency}).` } : { ok: false, text: `Meta refused: ${r.data.error}` },
              );
              router.refresh();
            })
          }
        >
          <PlugZap aria-hidden />
          Test
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          aria-label={`Import ${props.name} now`}
          onClick={() =>
            start(async () => {
              const r = await importMetaAdSpendNow({ id: props.id });
              if (!r.ok) return setStatus({ ok: false, text: r.error });
              setStatus({ ok: true, text: "Import of the last 7 days queued." });
              router.refresh();
            })
          }
        >
          <Download aria-hidden />
          Import now
        </Button>
        <ConnectAdAccountDialog accountId={props.accountId} name={props.name} />
        <AlertDialog open={confirm} onOpenChange={setConfirm}>
          <Button variant="outline" size="sm" onClick={() => setConfirm(true)} aria-label={`Disconnect ${props.name}`}>
            <Trash2 aria-hidden />
            Disconnect
          </Button>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Disconnect {props.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                Its stored token and its imported spend are deleted. To keep the spend and stop importing, pause the daily import instead.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                disabled={pending}
                onClick={(e) => {
                  e.preventDefault();
                  start(async () => {
                    const r = await disconnectMetaAdAccount({ id: props.id });
                    if (!r.ok) return void toast.error(r.error);
                    toast.success("Ad account disconnected");
                    setConfirm(false);
                    router.refresh();
                  });
                }}
              >
                Disconnect ad account
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </div>
      {status ? (
        <p role="status" className={status.ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-destructive"}>
          {status.text}
        </p>
      ) : null}
    </div>
  );
}
