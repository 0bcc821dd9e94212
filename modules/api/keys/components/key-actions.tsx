"use client";

import { MoreHorizontal } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
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
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Form } from "@/components/ui/form";
import { renameApiKeyAction, revokeApiKeyAction } from "../actions";
import { renameKeySchema } from "../schema";

/** Rename and revoke for one live key. */
export function KeyActions({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const [dialog, setDialog] = useState<"rename" | "revoke" | null>(null);
  const [pending, start] = useTransition();
  const close = (open: boolean) => {
    if (!open) setDialog(null);
  };
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for the key ${name}`}>
            <MoreHorizontal className="size-4" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setDialog("rename")}>Rename</DropdownMenuItem>
          <DropdownMenuItem variant="destructive" onSelect={() => setDialog("revoke")}>
            Revoke
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <Dialog open={dialog === "rename"} onOpenChange={close}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Rename key</DialogTitle>
            <DialogDescription>
              The name is for people; the key <code className="font-mono text-xs">{prefix}…</code> keeps working unchanged.
            </DialogDescription>
          </DialogHeader>
          {dialog === "rename" ? <RenameForm id={id} name={name} onDone={() => setDialog(null)} /> : null}
        </DialogContent>
      </Dialog>

      <AlertDialog open={dialog === "revoke"} onOpenChange={close}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke “{name}”?</AlertDialogTitle>
            <AlertDialogDescription>
              Requests with <code className="font-mono text-xs">{prefix}…</code> are refused from the next one on. This cannot be
              undone; integrations using it need a new key.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              disabled={pending}
              className="bg-destructive text-destructive-foreground hover:bg-destructive/90"
              onClick={(e) => {
                e.preventDefault();
                start(async () => {
                  const result = await revokeApiKeyAction({ id });
                  if (result.ok) toast.success(`“${name}” was revoked`);
                  else toast.error(result.error);
                  setDialog(null);
                });
              }}
            >
              {pending ? "Revoking…" : "Revoke key"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

function RenameForm(props: { id: string; name: string; onDone: () => void }) {
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: renameKeySchema,
    action: renameApiKeyAction,
    defaultValues: { id: props.id, name: props.name },
    onSuccess: () => {
      toast.success("Key renamed");
      props.onDone();
    },
  });
  return (
    <Form {...form}>
      <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label="Rename key">
        <FormError message={formError} />
        <TextField control={form.control} name="name" label="Name" autoComplete="off" />
        <DialogFooter>
          <Button type="button" variant="outline" onClick={props.onDone}>
            Cancel
          </Button>
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </form>
    </Form>
  );
}
