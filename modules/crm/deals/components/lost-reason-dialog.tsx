"use client";

import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

/** Asks why a deal was lost before marking it so; the reason is optional. */
export function LostReasonDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called with the trimmed reason ("" for none). */
  onSubmit: (reason: string) => void;
  pending: boolean;
  error: string | null;
  title?: string;
}) {
  const ids = useId();
  const [reason, setReason] = useState("");
  // Each time it opens, it asks afresh.
  useEffect(() => {
    if (props.open) setReason("");
  }, [props.open]);
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{props.title ?? "Mark as lost"}</DialogTitle>
          <DialogDescription>Why was it lost? The reason is kept in the deal&apos;s history.</DialogDescription>
        </DialogHeader>
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit(reason.trim());
          }}
        >
          <Label htmlFor={`${ids}-reason`}>Lost reason</Label>
          <Textarea
            id={`${ids}-reason`}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. Went with a competitor"
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? `${ids}-error` : undefined}
          />
          {props.error ? (
            <p id={`${ids}-error`} className="text-sm text-destructive">
              {props.error}
            </p>
          ) : null}
          <DialogFooter className="pt-2">
            <Button type="button" variant="outline" onClick={() => props.onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={props.pending}>
              Mark as lost
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
