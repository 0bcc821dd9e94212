"use client";

import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { NewRecordButton } from "@/modules/crm/records/ui";
import { CompanyForm } from "./company-form";

export function NewCompanyButton(props: { defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  return (
    <NewRecordButton
      noun="company"
      description="Only the name is required; you can fill in the rest later."
      form={(close) => <CompanyForm company={null} defs={props.defs} members={props.members} me={props.me} onDone={close} />}
    />
  );
}
