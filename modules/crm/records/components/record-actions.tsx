"use client";

import { ArchiveIcon, ArchiveRestoreIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
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
import type { ActionResult } from "@/lib/action-result";

type IdsAction = (input: { ids: string[] }) => Promise<ActionResult<unknown>>;

/**
 * Archive / restore / delete for a record's header, each behind a
 * confirmation. Delete goes back to the list afterwards.
 */
export function RecordActions(props: {
  id: string;
  name: string;
  /** "person" or "company", for the wording. */
  noun: string;
  archived: boolean;
  listPath: string;
  archive?: IdsAction;
  restore?: IdsAction;
  remove?: IdsAction;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [open, setOpen] = useState<null | "archive" | "delete">(null);

  function run(action: IdsAction, done: string, after?: () => void) {
    start(async () => {
      const result = await action({ ids: [props.id] });
      setOpen(null);
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      toast.success(done);
      if (after) after();
      else router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap gap-2">
      {props.archived && props.restore ? (
        <Button variant="outline" size="sm" disabled={pending} onClick={() => run(props.restore!, `${props.name} restored`)}>
          <ArchiveRestoreIcon aria-hidden />
          Restore
        </Button>
      ) : null}
      {!props.archived && props.archive ? (
        <AlertDialog open={open === "archive"} onOpenChange={(o) => setOpen(o ? "archive" : null)}>
          <AlertDialogTrigger asChild>
            <Button variant="outline" size="sm" disabled={pending}>
              <ArchiveIcon aria-hidden />
              Archive
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Archive {props.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                The {props.noun} leaves lists and search. You can restore it from the archived list at any time.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                onClick={(e) => {
                  e.preventDefault();
                  run(props.archive!, `${props.name} archived`);
                }}
              >
                Archive
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : null}
      {props.remove ? (
        <AlertDialog open={open === "delete"} onOpenChange={(o) => setOpen(o ? "delete" : null)}>
          <AlertDialogTrigger asChild>
            <Button variant="outline" size="sm" disabled={pending} className="text-destructive">
              <Trash2Icon aria-hidden />
              Delete
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete {props.name} for good?</AlertDialogTitle>
              <AlertDialogDescription>
                This can't be undone. Notes on the {props.noun} are deleted with it; its tasks and deals stay.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                className="bg-destructive text-white hover:bg-destructive/90"
                onClick={(e) => {
                  e.preventDefault();
                  run(props.remove!, `${props.name} deleted`, () => router.replace(props.listPath));
                }}
              >
                Delete
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : null}
    </div>
  );
}
