"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { EditRecordButton } from "@/modules/crm/records/ui";
import { updateDealAction } from "../actions";
import { DealForm, type DealFormValues, type FormPipeline } from "./deal-form";

/**
 * The Edit button of a deal's page: the whole form in a dialog, for what is
 * not edited in place (pipeline, currency, company and person).
 */
export function EditDealButton(props: {
  dealId: string;
  initial: DealFormValues;
  pipelines: FormPipeline[];
  members: { id: string; name: string }[];
  defaultCurrency: string;
  customDefs: CustomFieldDef[];
}) {
  const router = useRouter();
  return (
    <EditRecordButton
      name={props.initial.name}
      form={(close) => (
        // A new form when the stage moves elsewhere (won, lost, dragged on the
        // board), so the form shows the stage the deal is in now.
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
          onCancel={close}
          onSaved={() => {
            toast.success("Deal saved");
            close();
            router.refresh();
          }}
        />
      )}
    />
  );
}
