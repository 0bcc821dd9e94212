"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { setDealStatusAction } from "../actions";

/** Won / Lost (asks why) / Reopen. */
export function DealStatusButtons(props: { dealId: string; status: "open" | "won" | "lost" }) {
  const router = useRouter();
  const ids = useId();
  const [pending, start] = useTransition();
  const [lostOpen, setLostOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  function send(status: "open" | "won" | "lost", why?: string) {
    start(async () => {
      const result = await setDealStatusAction({ id: props.dealId, status, reason: why || null });
      if (!result.ok) {
        if (status === "lost") setError(result.fieldErrors?.reason ?? result.error);
        else toast.error(result.error);
        return;
      }
      setLostOpen(false);
      setReason("");
      toast.success(status === "open" ? "Deal reopened" : `Deal marked as ${status}`);
      router.refresh();
    });
  }

  if (props.status !== "open") {
    return (
      <Button variant="outline" disabled={pending} onClick={() => send("open")}>
        Reopen
      </Button>
    );
  }
  return (
    <div className="flex gap-2">
      <Button className="bg-emerald-700 text-white hover:bg-emerald-700/90" disabled={pending} onClick={() => send("won")}>
        Won
      </Button>
      <Button variant="destructive" disabled={pending} onClick={() => setLostOpen(true)}>
        Lost
      </Button>
      <Dialog open={lostOpen} onOpenChange={setLostOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Mark as lost</DialogTitle>
            <DialogDescription>Why was it lost? The reason is kept in the deal&apos;s history.</DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              send("lost", reason.trim());
            }}
          >
            <Label htmlFor={`${ids}-reason`}>Lost reason</Label>
            <Textarea
              id={`${ids}-reason`}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. Went with a competitor"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${ids}-error` : undefined}
            />
            {error ? (
              <p id={`${ids}-error`} className="text-sm text-destructive">
                {error}
              </p>
            ) : null}
            <DialogFooter className="pt-2">
              <Button type="button" variant="outline" onClick={() => setLostOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="destructive" disabled={pending}>
                Mark as lost
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
