"use client";

import { PlusIcon } from "lucide-react";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { RecordFormDialog } from "@/modules/crm/records/ui";
import { PersonForm } from "./person-form";

export function NewPersonButton(props: { defs: CustomFieldDef[]; members: { id: string; name: string }[]; me: string }) {
  const [open, setOpen] = useOpenFromUrl();
  const trigger = (
    <Button>
      <PlusIcon aria-hidden />
      New person
    </Button>
  );
  return (
    <RecordFormDialog open={open} onOpenChange={setOpen} trigger={trigger} title="New person" description="A name or an email is enough; you can fill in the rest later.">
      <PersonForm person={null} defs={props.defs} members={props.members} me={props.me} onDone={() => setOpen(false)} />
    </RecordFormDialog>
  );
}
