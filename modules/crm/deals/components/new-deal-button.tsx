"use client";

import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useOpenFromUrl } from "@/components/forms/use-open-from-url";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { DEFAULT_NOUNS, inSentence } from "@/modules/crm/pipelines/ui";
import { createDealAction } from "../actions";
import { DealForm, type FormPipeline } from "./deal-form";

export function NewDealButton(props: {
  pipelines: FormPipeline[];
  pipelineId: string;
  members: { id: string; name: string }[];
  currentUserId: string;
  defaultCurrency: string;
  customDefs: CustomFieldDef[];
}) {
  const [open, setOpen] = useOpenFromUrl();
  const router = useRouter();
  const pipeline = props.pipelines.find((p) => p.id === props.pipelineId) ?? props.pipelines[0];
  const noun = pipeline?.nouns?.singular ?? DEFAULT_NOUNS.singular;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden />
          New {inSentence(noun)}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>New {inSentence(noun)}</DialogTitle>
          <DialogDescription>It goes to the end of the chosen stage.</DialogDescription>
        </DialogHeader>
        {open ? (
          <DealForm
            mode="create"
            initial={{
              name: "",
              pipelineId: pipeline?.id ?? "",
              stageId: pipeline?.stages[0]?.id ?? "",
              value: "",
              currency: "",
              ownerId: props.currentUserId,
              company: null,
              person: null,
              expectedCloseDate: "",
              tags: "",
            }}
            pipelines={props.pipelines}
            members={props.members}
            defaultCurrency={props.defaultCurrency}
            customDefs={props.customDefs}
            action={createDealAction}
            submitLabel={`Create ${inSentence(noun)}`}
            onCancel={() => setOpen(false)}
            onSaved={() => {
              setOpen(false);
              toast.success(`${noun} created`);
              router.refresh();
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
