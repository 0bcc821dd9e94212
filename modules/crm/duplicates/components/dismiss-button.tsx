"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { dismissDuplicateAction, restoreDuplicateAction } from "../actions";

/** "Not a duplicate": hides the pair from duplicate detection for everyone in the org, with an undo. */
export function DismissButton(props: { type: "person" | "company"; aId: string; bId: string; names: [string, string] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const pair = { type: props.type, a: props.aId, b: props.bId };

  function dismiss() {
    start(async () => {
      const r = await dismissDuplicateAction(pair);
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      router.refresh();
      toast.success(`"${props.names[0]}" and "${props.names[1]}" are no longer suggested as duplicates`, {
        action: {
          label: "Undo",
          onClick: async () => {
            const undo = await restoreDuplicateAction(pair);
            if (undo.ok) router.refresh();
            else toast.error(undo.error);
          },
        },
      });
    });
  }

  return (
    <Button
      size="sm"
      variant="ghost"
      onClick={dismiss}
      disabled={pending}
      aria-label={`Not a duplicate: ${props.names[0]} and ${props.names[1]}`}
    >
      {pending ? "Saving…" : "Not a duplicate"}
    </Button>
  );
}
