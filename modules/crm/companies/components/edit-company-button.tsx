"use client";

import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { EditRecordButton } from "@/modules/crm/records/ui";
import type { CompanyDetail } from "../queries";
import { CompanyForm } from "./company-form";

export function EditCompanyButton(props: { company: CompanyDetail; defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  return (
    <EditRecordButton
      name={props.company.name}
      form={(close) => <CompanyForm company={props.company} defs={props.defs} members={props.members} me={props.me} onDone={close} />}
    />
  );
}
