"use client";

import { PencilIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import type { PersonDetail } from "../queries";
import { PersonForm } from "./person-form";

export function EditPersonButton(props: { person: PersonDetail; defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <PencilIcon aria-hidden />
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Edit {props.person.full_name}</DialogTitle>
          <DialogDescription>Changes are saved to the timeline.</DialogDescription>
        </DialogHeader>
        <PersonForm person={props.person} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
