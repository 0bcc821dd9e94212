"use client";

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
import { undoImportAction } from "../actions";

export function UndoImportButton(props: { id: string; fileName: string; created: number; updated: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const undo = () =>
    start(async () => {
      const r = await undoImportAction(props.id);
      setOpen(false);
      if (!r.ok) toast.error(r.error);
      else {
        toast.success(`Import undone: ${r.data.deleted} records deleted, ${r.data.restored} restored.`);
        router.refresh();
      }
    });
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Undo import of ${props.fileName}`}>
          Undo
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Undo this import?</AlertDialogTitle>
          <AlertDialogDescription>
            The {props.created.toLocaleString("en-US")} records it created are deleted, with anything added to them since, and the{" "}
            {props.updated.toLocaleString("en-US")} records it updated get their previous values back. This can't be reversed.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            onClick={(e) => {
              e.preventDefault();
              undo();
            }}
            disabled={pending}
          >
            {pending ? "Undoing…" : "Undo import"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
