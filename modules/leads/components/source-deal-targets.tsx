"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { SourceDealTarget } from "../source-deals";
import { setLeadSourceDealStageAction } from "../settings-actions";

const STAYS = "";

/**
 * Settings → Leads: per source, whether its arriving leads stay leads or
 * become deals at once on a pipeline's stage. Each choice saves on its own.
 */
export function SourceDealTargets(props: {
  sources: SourceDealTarget[];
  pipelines: { id: string; name: string; stages: { id: string; name: string; isWon: boolean; isLost: boolean }[] }[];
}) {
  const router = useRouter();
  const ids = useId();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const sources = props.sources.filter((s) => !s.archived || s.stageId);

  const save = (key: string, stageId: string | null) =>
    start(async () => {
      const r = await setLeadSourceDealStageAction({ key, stageId });
      if (!r.ok) {
        setErrors({ [key]: r.fieldErrors?.stageId ?? r.error });
        toast.error(r.error);
        return;
      }
      setErrors(({ [key]: _, ...rest }) => rest);
      toast.success(stageId ? "New leads from this source become deals" : "New leads from this source stay leads");
      router.refresh();
    });

  return (
    <Card role="region" aria-labelledby={`${ids}-heading`}>
      <CardHeader>
        <CardTitle>
          <h2 id={`${ids}-heading`}>Leads that arrive as deals</h2>
        </CardTitle>
        <CardDescription>
          A lead arriving by a source set here becomes a deal at once: its person (found by email or phone, or added) and a deal at the
          stage chosen, owned as your routing rules decide. A lead from someone who already has an open deal on that pipeline joins that
          deal instead of making a second one. Leads converted this way keep their source and campaign ids.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-3" aria-label="Sources and where their leads go">
          {sources.map((s) => {
            const error = errors[s.key];
            return (
              <li key={s.key} className="flex flex-wrap items-center justify-between gap-2" aria-label={`Where ${s.label} leads go`}>
                <Label htmlFor={`${ids}-${s.key}`} className="font-normal">
                  {s.label} leads
                </Label>
                <div className="grid gap-1">
                  <NativeSelect
                    id={`${ids}-${s.key}`}
                    className="w-72"
                    value={s.stageId ?? STAYS}
                    disabled={pending}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${ids}-${s.key}-error` : undefined}
                    onChange={(e) => save(s.key, e.target.value === STAYS ? null : e.target.value)}
                  >
                    <option value={STAYS}>Stay leads</option>
                    {props.pipelines.map((p) => (
                      <optgroup key={p.id} label={`Become a deal on ${p.name} at`}>
                        {p.stages
                          .filter((stage) => !stage.isWon && !stage.isLost)
                          .map((stage) => (
                            <option key={stage.id} value={stage.id}>
                              {p.name}: {stage.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </NativeSelect>
                  {error ? (
                    <p id={`${ids}-${s.key}-error`} className="text-xs text-destructive">
                      {error}
                    </p>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </CardContent>
    </Card>
  );
}
