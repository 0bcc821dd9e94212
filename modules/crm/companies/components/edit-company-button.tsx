"use client";

import { PencilIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { RecordFormDialog } from "@/modules/crm/records/ui";
import type { CompanyDetail } from "../queries";
import { CompanyForm } from "./company-form";

export function EditCompanyButton(props: { company: CompanyDetail; defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useState(false);
  const trigger = (
    <Button variant="outline" size="sm">
      <PencilIcon aria-hidden />
      Edit
    </Button>
  );
  return (
    <RecordFormDialog open={open} onOpenChange={setOpen} trigger={trigger} title={`Edit ${props.company.name}`} description="Changes are saved to the timeline.">
      <CompanyForm company={props.company} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
    </RecordFormDialog>
  );
}
