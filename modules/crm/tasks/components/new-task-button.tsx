"use client";

import { PlusIcon } from "lucide-react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { TaskForm } from "./task-form";

/** "New task" with every field (the quick add only takes a title and a date); `?new=1` opens it. */
export function NewTaskButton(props: { members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useOpenFromUrl();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          New task
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>New task</DialogTitle>
          <DialogDescription>Only the title is required. It is assigned to you unless you choose someone else.</DialogDescription>
        </DialogHeader>
        {open ? (
          <TaskForm
            members={props.members}
            values={{ title: "", description: "", dueDate: "", dueTime: "", priority: "normal", status: "todo", assigneeId: props.me }}
            onDone={() => setOpen(false)}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
