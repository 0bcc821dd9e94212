"use client";

import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { EditRecordButton } from "@/modules/crm/records/ui";
import type { PersonDetail } from "../queries";
import { PersonForm } from "./person-form";

export function EditPersonButton(props: { person: PersonDetail; defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  return (
    <EditRecordButton
      name={props.person.full_name}
      form={(close) => <PersonForm person={props.person} defs={props.defs} members={props.members} me={props.me} onDone={close} />}
    />
  );
}
