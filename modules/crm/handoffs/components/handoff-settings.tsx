"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { setPipelineHandoffsAction } from "../actions";

export interface HandoffSettingsPipeline {
  id: string;
  name: string;
  hideLocked: boolean;
  stages: { id: string; name: string; acceptStageId: string | null; denyStageId: string | null; locked: boolean }[];
}

/**
 * Settings → Pipelines, per pipeline: which stages are handoff stages (and
 * where an accepted or denied deal goes), which are locked to those who may
 * use them, and whether locked deals are hidden from everyone else.
 */
export function HandoffSettings({ pipeline }: { pipeline: HandoffSettingsPipeline }) {
  const ids = useId();
  const router = useRouter();
  const [stages, setStages] = useState(pipeline.stages);
  const [hideLocked, setHideLocked] = useState(pipeline.hideLocked);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  const change = (i: number, patch: Partial<(typeof stages)[number]>) => setStages((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const others = (id: string) => stages.filter((s) => s.id !== id);

  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await setPipelineHandoffsAction({ pipelineId: pipeline.id, hideLocked, stages });
          if (!r.ok) {
            setErrors(r.fieldErrors ?? {});
            toast.error(r.error);
            return;
          }
          setErrors({});
          toast.success(`Handoffs of ${pipeline.name} saved`);
          router.refresh();
        });
      }}
    >
      <fieldset className="grid gap-3">
        <legend className="sr-only">Handoff and locked stages of {pipeline.name}</legend>
        {stages.map((s, i) => {
          const error = errors[`stages.${i}.acceptStageId`] ?? errors[`stages.${i}.denyStageId`];
          return (
            <div key={s.id} className="grid gap-2 rounded-md border p-3 sm:grid-cols-[10rem_1fr_1fr_auto] sm:items-end" data-testid="handoff-stage">
              <p className="text-sm font-medium sm:self-center">{s.name}</p>
              <div className="grid gap-1">
                <Label htmlFor={`${ids}-${i}-accept`}>Handoff: accept → </Label>
                <NativeSelect
                  id={`${ids}-${i}-accept`}
                  value={s.acceptStageId ?? ""}
                  aria-invalid={error ? true : undefined}
                  onChange={(e) => change(i, { acceptStageId: e.target.value || null })}
                >
                  <option value="">Not a handoff stage</option>
                  {others(s.id).map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="grid gap-1">
                <Label htmlFor={`${ids}-${i}-deny`}>deny → </Label>
                <NativeSelect
                  id={`${ids}-${i}-deny`}
                  value={s.denyStageId ?? ""}
                  aria-invalid={error ? true : undefined}
                  onChange={(e) => change(i, { denyStageId: e.target.value || null })}
                >
                  <option value="">Not a handoff stage</option>
                  {others(s.id).map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="flex items-center gap-2 sm:h-9">
                <Checkbox id={`${ids}-${i}-locked`} checked={s.locked} onCheckedChange={(v) => change(i, { locked: v === true })} />
                <Label htmlFor={`${ids}-${i}-locked`}>Locked</Label>
              </div>
              {error ? (
                <p role="alert" className="text-sm text-destructive sm:col-span-4">
                  {error}
                </p>
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <div className="flex items-center gap-2">
        <Checkbox id={`${ids}-hide`} checked={hideLocked} onCheckedChange={(v) => setHideLocked(v === true)} />
        <Label htmlFor={`${ids}-hide`}>Hide deals in locked stages from those who may not change them</Label>
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          Save handoffs
        </Button>
      </div>
    </form>
  );
}
