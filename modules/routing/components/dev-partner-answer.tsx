"use client";
// Accept / Decline on /dev/partner: the partner's system answering an offer.
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { answerAsDemoPartner } from "../dev-actions";

export function DevPartnerAnswer({ webhookId }: { webhookId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const answer = (decision: "accept" | "reject") =>
    start(async () => {
      const r = await answerAsDemoPartner(webhookId, decision);
      if (!r.ok) return void toast.error(r.error);
      toast.success(`Covey answered ${r.data.status}`);
      router.refresh();
    });
  return (
    <div className="flex gap-2">
      <Button size="sm" disabled={pending} onClick={() => answer("accept")}>
        Accept
      </Button>
      <Button size="sm" variant="outline" disabled={pending} onClick={() => answer("reject")}>
        Decline
      </Button>
    </div>
  );
}
