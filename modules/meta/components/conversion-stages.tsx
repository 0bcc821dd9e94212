"use client";

import { PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { saveMetaConversionStages } from "../actions";

/** The select's value for Convert: never a status key, which starts with a letter. */
const CONVERTED = "_converted";
/** A deal stage's select value: its id after this prefix, never a status key either. */
const STAGE = "_stage:";

interface Draft {
  id: number;
  stage: string;
  eventName: string;
}

/**
 * Which lead statuses (and Convert), or stages of the deals Meta leads
 * became, send which Meta CRM event, for every page with a dataset; saved
 * together.
 */
export function ConversionStagesForm(props: {
  stages: { status: string | null; stageId: string | null; eventName: string }[];
  statuses: { key: string; label: string }[];
  dealStages: { stageId: string; stageName: string; pipelineName: string }[];
}) {
  const router = useRouter();
  const ids = useId();
  const next = useRef(props.stages.length);
  const initial = props.stages.map((s, i) => ({ id: i, stage: s.stageId ? STAGE + s.stageId : (s.status ?? CONVERTED), eventName: s.eventName }));
  const [rows, setRows] = useState<Draft[]>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  const dealStage = (stage: string) => props.dealStages.find((s) => STAGE + s.stageId === stage);
  const labelOf = (stage: string) => {
    if (stage === CONVERTED) return "Converted";
    const deal = dealStage(stage);
    if (deal) return `${deal.pipelineName}: ${deal.stageName}`;
    return props.statuses.find((s) => s.key === stage)?.label ?? stage;
  };
  const pipelines = [...new Set(props.dealStages.map((s) => s.pipelineName))];
  const patch = (id: number, change: Partial<Draft>) => setRows((list) => list.map((r) => (r.id === id ? { ...r, ...change } : r)));
  const unused = () =>
    [...props.statuses.map((s) => s.key), CONVERTED, ...props.dealStages.map((s) => STAGE + s.stageId)].find((k) => !rows.some((r) => r.stage === k));

  return (
    <form
      className="grid gap-3"
      aria-label="Conversions API stages"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await saveMetaConversionStages({
            stages: rows.map((row) => ({
              status: row.stage === CONVERTED || row.stage.startsWith(STAGE) ? null : row.stage,
              stageId: row.stage.startsWith(STAGE) ? row.stage.slice(STAGE.length) : null,
              eventName: row.eventName,
            })),
          });
          if (!r.ok) {
            setErrors(r.fieldErrors ?? {});
            toast.error(r.error);
            return;
          }
          setErrors({});
          toast.success("Conversion stages saved");
          router.refresh();
        });
      }}
    >
      {rows.length === 0 ? <p className="text-sm text-muted-foreground">No stage is reported to Meta.</p> : null}
      <ul className="grid gap-2" aria-label="Stages reported to Meta">
        {rows.map((row, i) => {
          const stageError = errors[`stages.${i}.status`];
          const nameError = errors[`stages.${i}.eventName`];
          return (
            <li key={row.id} className="flex flex-wrap items-start gap-3" aria-label={`Stage ${labelOf(row.stage)}`}>
              <div className="grid gap-1">
                <Label htmlFor={`${ids}-${row.id}-stage`}>When a lead or its deal reaches</Label>
                <NativeSelect
                  id={`${ids}-${row.id}-stage`}
                  value={row.stage}
                  onChange={(e) => patch(row.id, { stage: e.target.value })}
                  className="w-56"
                  aria-invalid={stageError ? true : undefined}
                  aria-describedby={stageError ? `${ids}-${row.id}-stage-error` : undefined}
                >
                  <optgroup label="Lead status">
                    {props.statuses.map((s) => (
                      <option key={s.key} value={s.key}>
                        {s.label}
                      </option>
                    ))}
                    <option value={CONVERTED}>Converted</option>
                  </optgroup>
                  {pipelines.map((pipeline) => (
                    <optgroup key={pipeline} label={`${pipeline} stage`}>
                      {props.dealStages
                        .filter((s) => s.pipelineName === pipeline)
                        .map((s) => (
                          <option key={s.stageId} value={STAGE + s.stageId}>
                            {labelOf(STAGE + s.stageId)}
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </NativeSelect>
                {stageError ? (
                  <p id={`${ids}-${row.id}-stage-error`} className="text-xs text-destructive">
                    {stageError}
                  </p>
                ) : null}
              </div>
              <div className="grid gap-1">
                <Label htmlFor={`${ids}-${row.id}-event`}>Send Meta the event</Label>
                <Input
                  id={`${ids}-${row.id}-event`}
                  value={row.eventName}
                  onChange={(e) => patch(row.id, { eventName: e.target.value })}
                  className="w-56"
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? `${ids}-${row.id}-event-error` : undefined}
                />
                {nameError ? (
                  <p id={`${ids}-${row.id}-event-error`} className="text-xs text-destructive">
                    {nameError}
                  </p>
                ) : null}
              </div>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                className="mt-6"
                aria-label={`Stop reporting ${labelOf(row.stage)}`}
                onClick={() => setRows((list) => list.filter((r) => r.id !== row.id))}
              >
                <Trash2Icon aria-hidden />
              </Button>
            </li>
          );
        })}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="outline"
          disabled={!unused()}
          onClick={() => {
            const stage = unused();
            const eventName = (k: string) => (k === CONVERTED ? "converted" : (dealStage(k)?.stageName.slice(0, 50) ?? k));
            if (stage) setRows((list) => [...list, { id: next.current++, stage, eventName: eventName(stage) }]);
          }}
        >
          <PlusIcon aria-hidden />
          Add a stage
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save stages"}
        </Button>
      </div>
    </form>
  );
}
