"use client";

import { Plug } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { fieldErrorsOf } from "@/lib/action-result";
import { connectMetaPage } from "../actions";
import { connectPageSchema } from "../schema";

function ConnectForm(props: { pageId?: string; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [pageId, setPageId] = useState(props.pageId ?? "");
  const [token, setToken] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { pageId, token };
    const local = connectPageSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError(null);
      return;
    }
    start(async () => {
      const result = await connectMetaPage(input);
      if (result.ok) {
        // The token leaves the browser's memory with the form.
        setToken("");
        toast.success(props.pageId ? "Token replaced" : "Page connected");
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
        <Label htmlFor={`${id}-page`}>Page ID</Label>
        <Input
          id={`${id}-page`}
          inputMode="numeric"
          autoComplete="off"
          autoFocus={!props.pageId}
          readOnly={!!props.pageId}
          placeholder="100000000000001"
          value={pageId}
          onChange={(e) => setPageId(e.target.value)}
          {...err("pageId")}
        />
        {errors.pageId ? (
          <p id={`${id}-pageId-error`} className="text-sm text-destructive">
            {errors.pageId}
          </p>
        ) : null}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-token`}>Page access token</Label>
        <Input
          id={`${id}-token`}
          type="password"
          autoComplete="off"
          autoFocus={!!props.pageId}
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
            A long-lived page token with the leads_retrieval permission. It is stored encrypted and never shown again.
          </p>
        )}
      </div>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Checking with Meta…" : props.pageId ? "Replace token" : "Connect page"}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Connects a page, or (given `pageId`) replaces the token of a connected one. */
export function ConnectPageDialog(props: { pageId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant={props.pageId ? "outline" : "default"} size={props.pageId ? "sm" : "default"} onClick={() => setOpen(true)}>
        <Plug aria-hidden />
        {props.pageId ? "Replace token" : "Connect a page"}
      </Button>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{props.pageId ? "Replace the page token" : "Connect a Facebook page"}</DialogTitle>
          <DialogDescription>
            Covey checks the token with Meta, then fetches the page&apos;s lead forms. Leads from the forms you choose arrive
            through the Meta webhook.
          </DialogDescription>
        </DialogHeader>
        {open ? <ConnectForm pageId={props.pageId} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
