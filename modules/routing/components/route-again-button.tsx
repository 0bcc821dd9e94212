"use client";
import { Shuffle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { routeLeadAgainAction } from "../actions";

/** Runs the org's rules on the lead now, whoever owns it. */
export function RouteAgainButton({ leadId }: { leadId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await routeLeadAgainAction(leadId);
          if (!r.ok) return void toast.error(r.error);
          toast.success(
            r.data
              ? `Routed by "${r.data.rule_name}" to ${r.data.partner_name ?? r.data.user_name ?? "its member"}`
              : "No rule takes this lead now",
          );
          router.refresh();
        })
      }
    >
      <Shuffle aria-hidden />
      Route again
    </Button>
  );
}
