"use client";

import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { NewRecordButton } from "@/modules/crm/records/ui";
import { PersonForm } from "./person-form";

export function NewPersonButton(props: { defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  return (
    <NewRecordButton
      noun="person"
      description="A name or an email is enough; you can fill in the rest later."
      form={(close) => <PersonForm person={null} defs={props.defs} members={props.members} me={props.me} onDone={close} />}
    />
  );
}
