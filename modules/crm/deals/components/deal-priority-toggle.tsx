"use client";

import { FlagIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { editDealCellAction } from "../actions";

/** The deal page's priority flag: one press flags or unflags it. */
export function DealPriorityToggle(props: { dealId: string; priority: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  function toggle() {
    start(async () => {
      const result = await editDealCellAction(props.dealId, "priority", props.priority ? "false" : "true");
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      toast.success(props.priority ? "Priority flag removed" : "Flagged as priority");
      router.refresh();
    });
  }
  return (
    <Button
      variant="outline"
      aria-pressed={props.priority}
      disabled={pending}
      onClick={toggle}
      className={cn(props.priority && "border-amber-600 bg-amber-50 text-amber-900 hover:bg-amber-100 dark:bg-amber-950 dark:text-amber-100")}
    >
      <FlagIcon aria-hidden className={cn(props.priority && "fill-current")} />
      Priority
    </Button>
  );
}
