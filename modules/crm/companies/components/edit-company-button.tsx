"use client";

import { PencilIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import type { CompanyDetail } from "../queries";
import { CompanyForm } from "./company-form";

export function EditCompanyButton(props: { company: CompanyDetail; defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
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
          <DialogTitle>Edit {props.company.name}</DialogTitle>
          <DialogDescription>Changes are saved to the timeline.</DialogDescription>
        </DialogHeader>
        <CompanyForm company={props.company} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
