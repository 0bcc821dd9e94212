"use client";

import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { NewRecordButton } from "@/modules/crm/records/ui";
import { LeadForm } from "./lead-form";

export function NewLeadButton(props: {
  defs: CustomFieldDef[];
  sources: { value: string; label: string }[];
  members: { id: string; name: string }[];
  me: string;
}) {
  return (
    <NewRecordButton
      noun="lead"
      description="A name, an email or a phone is enough; leads from forms, ads and texts arrive by themselves."
      form={(close) => <LeadForm {...props} onDone={close} />}
    />
  );
}
