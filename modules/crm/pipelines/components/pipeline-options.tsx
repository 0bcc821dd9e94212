"use client";

import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { toast } from "sonner";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { setPipelineOptionsAction } from "../actions";

/**
 * A pipeline's own fieldset: whether its deals are numbered (00001, ...)
 * and whether each is about one person (made person first, one open deal
 * per person). Each box saves as it is ticked.
 */
export function PipelineOptions(props: { pipeline: { id: string; name: string; numbered: boolean; personRequired: boolean } }) {
  const { pipeline } = props;
  const ids = useId();
  const router = useRouter();
  const [pending, start] = useTransition();
  function save(change: { numbered?: boolean; personRequired?: boolean }) {
    start(async () => {
      const result = await setPipelineOptionsAction({ id: pipeline.id, numbered: pipeline.numbered, personRequired: pipeline.personRequired, ...change });
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      toast.success(`${pipeline.name} saved`);
      router.refresh();
    });
  }
  return (
    <fieldset className="mb-4 grid gap-3 rounded-md border p-3" disabled={pending}>
      <legend className="px-1 text-sm font-medium">Records</legend>
      <div className="flex items-start gap-2">
        <Checkbox id={`${ids}-numbered`} checked={pipeline.numbered} onCheckedChange={(v) => save({ numbered: v === true })} className="mt-0.5" />
        <div className="grid gap-0.5">
          <Label htmlFor={`${ids}-numbered`}>Number its deals</Label>
          <p className="text-xs text-muted-foreground">Each takes the organization&apos;s next number (00001, 00002, …) and keeps it.</p>
        </div>
      </div>
      <div className="flex items-start gap-2">
        <Checkbox
          id={`${ids}-person`}
          checked={pipeline.personRequired}
          onCheckedChange={(v) => save({ personRequired: v === true })}
          className="mt-0.5"
        />
        <div className="grid gap-0.5">
          <Label htmlFor={`${ids}-person`}>Each deal is about one person</Label>
          <p className="text-xs text-muted-foreground">New asks for the person first; a person has one open deal here at a time.</p>
        </div>
      </div>
    </fieldset>
  );
}
