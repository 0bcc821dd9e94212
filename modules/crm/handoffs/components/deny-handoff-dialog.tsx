"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { denyHandoffAction } from "../actions";

/** Deny, asking why: the reason is required and goes to the submitter. */
export function DenyHandoffButton({ dealId, dealName, size }: { dealId: string; dealName: string; size?: "sm" | "default" }) {
  const ids = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) {
          setReason("");
          setError(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size={size} aria-label={`Deny ${dealName}`}>
          Deny
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Deny the handoff of {dealName}</DialogTitle>
          <DialogDescription>It goes back to whoever submitted it, with your reason.</DialogDescription>
        </DialogHeader>
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => {
              const r = await denyHandoffAction({ id: dealId, reason });
              if (!r.ok) {
                setError(r.fieldErrors?.reason ?? r.error);
                return;
              }
              setOpen(false);
              toast.success(`${dealName} was sent back`);
              router.refresh();
            });
          }}
        >
          <Label htmlFor={`${ids}-reason`}>Reason</Label>
          <Textarea
            id={`${ids}-reason`}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. The medical records release is not signed yet"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
          />
          {error ? (
            <p id={`${ids}-error`} role="alert" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
          <DialogFooter className="pt-2">
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={pending}>
              Deny handoff
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
