"use client";

import { PencilIcon, PlusIcon } from "lucide-react";
import { type ReactNode, useState } from "react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

/** The dialog a person or company form opens in: its trigger, a title and a line under it, and the form. */
function RecordFormDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: ReactNode;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogTrigger asChild>{props.trigger}</DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogDescription>{props.description}</DialogDescription>
        </DialogHeader>
        {props.children}
      </DialogContent>
    </Dialog>
  );
}

/**
 * "New person" / "New company": opens the empty form, also from `?new=1`.
 * `form` renders the form, given what closes the dialog once it is saved.
 */
export function NewRecordButton(props: { noun: string; description: string; form: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useOpenFromUrl();
  const trigger = (
    <Button>
      <PlusIcon aria-hidden />
      New {props.noun}
    </Button>
  );
  return (
    <RecordFormDialog open={open} onOpenChange={setOpen} trigger={trigger} title={`New ${props.noun}`} description={props.description}>
      {props.form(() => setOpen(false))}
    </RecordFormDialog>
  );
}

/** The Edit button of a record's page: opens its form filled in. */
export function EditRecordButton(props: { name: string; form: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const trigger = (
    <Button variant="outline" size="sm">
      <PencilIcon aria-hidden />
      Edit
    </Button>
  );
  return (
    <RecordFormDialog open={open} onOpenChange={setOpen} trigger={trigger} title={`Edit ${props.name}`} description="Changes are saved to the timeline.">
      {props.form(() => setOpen(false))}
    </RecordFormDialog>
  );
}
