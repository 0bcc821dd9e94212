"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setDealStatusAction } from "../actions";
import { LostReasonDialog } from "./lost-reason-dialog";

/** Won / Lost (asks why) / Reopen. */
export function DealStatusButtons(props: { dealId: string; status: "open" | "won" | "lost" }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [lostOpen, setLostOpen] = useState(false);
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
      <LostReasonDialog
        open={lostOpen}
        onOpenChange={setLostOpen}
        pending={pending}
        error={error}
        onSubmit={(reason) => {
          setError(null);
          send("lost", reason);
        }}
      />
    </div>
  );
}
