"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { acceptHandoffAction } from "../actions";

export function AcceptHandoffButton({ dealId, dealName, size }: { dealId: string; dealName: string; size?: "sm" | "default" }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      size={size}
      disabled={pending}
      aria-label={`Accept ${dealName}`}
      onClick={() =>
        start(async () => {
          const r = await acceptHandoffAction({ id: dealId });
          if (!r.ok) {
            toast.error(r.error);
            return;
          }
          toast.success(`${dealName} is yours now`);
          router.refresh();
        })
      }
    >
      Accept
    </Button>
  );
}
