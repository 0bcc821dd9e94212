"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { archiveDealsAction, deleteDealsAction, restoreDealsAction } from "../actions";

/** Archive/restore (managers and up) and delete (owners and admins). */
export function DealRecordActions(props: { dealId: string; archived: boolean; canArchive: boolean; canDelete: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const ids = { ids: [props.dealId] };
  return (
    <div className="flex gap-2">
      {props.canArchive ? (
        <Button
          variant="outline"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = props.archived ? await restoreDealsAction(ids) : await archiveDealsAction(ids);
              if (!r.ok) toast.error(r.error);
              else {
                toast.success(props.archived ? "Deal restored" : "Deal archived");
                router.refresh();
              }
            })
          }
        >
          {props.archived ? "Restore" : "Archive"}
        </Button>
      ) : null}
      {props.canDelete ? (
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="ghost" className="text-destructive" disabled={pending}>
              Delete
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete this deal?</AlertDialogTitle>
              <AlertDialogDescription>It is removed for good, with its stage history. Archive it instead to keep the record.</AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                onClick={() =>
                  start(async () => {
                    const r = await deleteDealsAction(ids);
                    if (!r.ok) toast.error(r.error);
                    else {
                      toast.success("Deal deleted");
                      router.push("/deals");
                    }
                  })
                }
              >
                Delete deal
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : null}
    </div>
  );
}
