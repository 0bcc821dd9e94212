"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { disconnectGmailAction } from "../actions";

/** Revokes Covey's access at Google and forgets the token; the emails already logged stay. */
export function DisconnectGmailButton({ email }: { email: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      variant="outline"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await disconnectGmailAction();
          if (!result.ok) {
            toast.error(result.error);
            return;
          }
          toast.success(`${email} disconnected`);
          router.refresh();
        })
      }
    >
      {pending ? "Disconnecting…" : "Disconnect"}
    </Button>
  );
}
