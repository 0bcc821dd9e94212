"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { archiveTemplateAction } from "../actions";

/** Archive or Restore on a row of Settings → Templates. */
export function ArchiveTemplateButton(props: { id: string; name: string; archived: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={`${props.archived ? "Restore" : "Archive"} ${props.name}`}
      onClick={() =>
        start(async () => {
          const r = await archiveTemplateAction(props.id, !props.archived);
          if (!r.ok) toast.error(r.error);
          else {
            toast.success(props.archived ? `Restored ${props.name}` : `Archived ${props.name}`);
            router.refresh();
          }
        })
      }
    >
      {props.archived ? "Restore" : "Archive"}
    </Button>
  );
}
