"use client";

import { ArrowRightLeft, Lock } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { DealHandoffState } from "../queries";
import { submitHandoffAction } from "../actions";
import { AcceptHandoffButton } from "./accept-handoff-button";
import { DenyHandoffButton } from "./deny-handoff-dialog";

const joinWords = (w: string[]) => (w.length <= 1 ? (w[0] ?? "owners and admins") : `${w.slice(0, -1).join(", ")} and ${w.at(-1)}`);

/**
 * The deal page's handoff strip: submit for handoff (the submitting side),
 * accept or deny (the receiving side), who submitted and why it came back,
 * and, on a locked stage the viewer may not use, that they can only look.
 */
export function DealHandoffPanel({ dealId, dealName, state }: { dealId: string; dealName: string; state: DealHandoffState }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const noun = state.noun.toLowerCase();
  const submit = (stageId: string) =>
    start(async () => {
      const r = await submitHandoffAction({ id: dealId, stageId });
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      toast.success(`${dealName} is in the handoff queue`);
      router.refresh();
    });

  const lines = [];
  if (state.lockedFor) {
    lines.push(
      <p key="locked" data-testid="deal-locked" className="flex items-center gap-2 text-sm">
        <Lock className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span>
          Locked: only {joinWords(state.lockedBy)} can change this {noun} while it is in “{state.lockedFor}”.
        </span>
      </p>,
    );
  }
  if (state.waiting) {
    lines.push(
      <div key="waiting" className="flex flex-wrap items-center justify-between gap-3">
        <p className="flex items-center gap-2 text-sm" data-testid="handoff-waiting">
          <ArrowRightLeft className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span>
            Waiting in the handoff queue{state.waiting.submittedByName ? `, submitted by ${state.waiting.submittedByName}` : ""}: accepting moves it
            to “{state.waiting.acceptStageName}”, denying back to “{state.waiting.denyStageName}”.
          </span>
        </p>
        {state.canDecide ? (
          <div className="flex gap-2">
            <AcceptHandoffButton dealId={dealId} dealName={dealName} />
            <DenyHandoffButton dealId={dealId} dealName={dealName} />
          </div>
        ) : null}
      </div>,
    );
  } else if (state.submitTo.length && !state.lockedFor) {
    lines.push(
      <div key="submit" className="flex flex-wrap items-center justify-between gap-3">
        {state.lastDecision?.decision === "denied" ? (
          <p className="text-sm" data-testid="handoff-denied">
            Handoff denied{state.lastDecision.decidedByName ? ` by ${state.lastDecision.decidedByName}` : ""}: {state.lastDecision.reason}
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">Ready for the next team? Submit this {noun} to their handoff queue.</p>
        )}
        <div className="flex gap-2">
          {state.submitTo.map((s) => (
            <Button key={s.id} variant="secondary" disabled={pending} onClick={() => submit(s.id)}>
              {state.submitTo.length > 1 ? `Submit to ${s.name}` : "Submit for handoff"}
            </Button>
          ))}
        </div>
      </div>,
    );
  }
  if (!lines.length) return null;
  return (
    <section aria-label="Handoff" className="grid gap-3 rounded-lg border bg-muted/40 px-4 py-3">
      {lines}
    </section>
  );
}
