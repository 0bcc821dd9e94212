"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { updateDealAction } from "../actions";
import { DealForm, type DealFormValues, type FormPipeline } from "./deal-form";

export function DealEditPanel(props: {
  dealId: string;
  initial: DealFormValues;
  pipelines: FormPipeline[];
  members: { id: string; name: string }[];
  defaultCurrency: string;
  customDefs: CustomFieldDef[];
}) {
  const router = useRouter();
  return (
    // A new form when the stage moves elsewhere (won, lost, dragged on the
    // board), so the panel shows the stage the deal is in now.
    <DealForm
      key={props.initial.stageId}
      mode="update"
      initial={props.initial}
      pipelines={props.pipelines}
      members={props.members}
      defaultCurrency={props.defaultCurrency}
      customDefs={props.customDefs}
      action={(input) => updateDealAction(props.dealId, input)}
      submitLabel="Save changes"
      onSaved={() => {
        toast.success("Deal saved");
        router.refresh();
      }}
    />
  );
}
