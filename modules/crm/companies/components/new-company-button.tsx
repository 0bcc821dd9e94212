"use client";

import { PlusIcon } from "lucide-react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { CompanyForm } from "./company-form";

export function NewCompanyButton(props: { defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useOpenFromUrl();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          New company
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>New company</DialogTitle>
          <DialogDescription>Only the name is required; you can fill in the rest later.</DialogDescription>
        </DialogHeader>
        <CompanyForm company={null} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
