"use client";

import { UserCheckIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { nativeSelectClass } from "@/modules/crm/records/ui";
import { convertLeadAction } from "../actions";

export interface ConvertPipeline {
  id: string;
  name: string;
  stages: { id: string; name: string }[];
}

/**
 * Convert: makes (or finds) the person and company the lead is, and a deal
 * when asked, then opens the person's page. What it will link is said before
 * it is done, so nobody expects a second person for an email already known.
 */
export function ConvertLeadButton(props: {
  leadId: string;
  leadName: string;
  /** The person the lead is already linked to, if any. */
  person: { id: string; name: string } | null;
  companyName: string | null;
  pipelines: ConvertPipeline[];
}) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [withDeal, setWithDeal] = useState(props.pipelines.length > 0);
  const [pipelineId, setPipelineId] = useState(props.pipelines[0]?.id ?? "");
  const pipeline = props.pipelines.find((p) => p.id === pipelineId);
  const [stageId, setStageId] = useState(pipeline?.stages[0]?.id ?? "");
  const [dealName, setDealName] = useState(props.companyName || props.leadName);
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    start(async () => {
      const r = await convertLeadAction(props.leadId, {
        deal: withDeal ? { pipelineId, stageId: stageId || null, name: dealName, value } : null,
      });
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFormError(r.error);
        return;
      }
      toast.success(`${props.leadName} converted`);
      setOpen(false);
      router.push(`/people/${r.data.personId}`);
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm">
          <UserCheckIcon aria-hidden />
          Convert
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Convert {props.leadName}</DialogTitle>
          <DialogDescription>
            {props.person
              ? `Links the lead to ${props.person.name}`
              : "Links the person with this email or phone if there is one, else creates a person"}
            {props.companyName ? `, and the company ${props.companyName}` : ""}.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" aria-label="Convert lead" noValidate>
          <FormError message={formError} />
          <div className="flex items-center gap-2">
            <Checkbox id={`${id}-deal`} checked={withDeal} onCheckedChange={(v) => setWithDeal(v === true)} disabled={!props.pipelines.length} />
            <Label htmlFor={`${id}-deal`}>Create a deal</Label>
          </div>
          {withDeal ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid gap-2 sm:col-span-2">
                <Label htmlFor={`${id}-name`}>Deal name</Label>
                <Input id={`${id}-name`} value={dealName} onChange={(e) => setDealName(e.target.value)} aria-invalid={!!errors["deal.name"]} />
                {errors["deal.name"] ? <p className="text-sm text-destructive">{errors["deal.name"]}</p> : null}
              </div>
              <div className="grid gap-2">
                <Label htmlFor={`${id}-pipeline`}>Pipeline</Label>
                <select
                  id={`${id}-pipeline`}
                  className={nativeSelectClass}
                  value={pipelineId}
                  onChange={(e) => {
                    setPipelineId(e.target.value);
                    setStageId(props.pipelines.find((p) => p.id === e.target.value)?.stages[0]?.id ?? "");
                  }}
                >
                  {props.pipelines.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
                {errors["deal.pipelineId"] ? <p className="text-sm text-destructive">{errors["deal.pipelineId"]}</p> : null}
              </div>
              <div className="grid gap-2">
                <Label htmlFor={`${id}-stage`}>Stage</Label>
                <select id={`${id}-stage`} className={nativeSelectClass} value={stageId} onChange={(e) => setStageId(e.target.value)}>
                  {pipeline?.stages.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
                {errors["deal.stageId"] ? <p className="text-sm text-destructive">{errors["deal.stageId"]}</p> : null}
              </div>
              <div className="grid gap-2">
                <Label htmlFor={`${id}-value`}>Value</Label>
                <Input id={`${id}-value`} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!errors["deal.value"]} />
                {errors["deal.value"] ? <p className="text-sm text-destructive">{errors["deal.value"]}</p> : null}
              </div>
            </div>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Converting…" : "Convert lead"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
