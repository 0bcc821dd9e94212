"use client";

import { PlusIcon } from "lucide-react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { RecordFormDialog } from "@/modules/crm/records/ui";
import { CompanyForm } from "./company-form";

export function NewCompanyButton(props: { defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useOpenFromUrl();
  const trigger = (
    <Button>
      <PlusIcon aria-hidden />
      New company
    </Button>
  );
  return (
    <RecordFormDialog open={open} onOpenChange={setOpen} trigger={trigger} title="New company" description="Only the name is required; you can fill in the rest later.">
      <CompanyForm company={null} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
    </RecordFormDialog>
  );
}
