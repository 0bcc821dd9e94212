"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { type Granularity, PRESET_LABELS, PRESETS, type Preset, presetRange } from "../params";

export interface ReportControlsProps {
  preset: Preset;
  from: string;
  to: string;
  granularity: Granularity;
  /** The reader's today, from which the presets count back. */
  today: string;
  uses: { range: boolean; pipeline: boolean };
  pipelines: { id: string; name: string }[];
  pipelineId: string | null;
  stages: { id: string; name: string }[];
  stageId: string | null;
  /** The report's stage picker, when it looks at a stage. */
  stagePicker: { label: string; default: string } | null;
}

/**
 * The range, pipeline and stage a report is drawn for. Choosing a preset, a
 * pipeline or a stage applies at once; typed days apply with Apply. The
 * choice lives in the URL, so a report can be reloaded and shared as shown.
 */
export function ReportControls(props: ReportControlsProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [preset, setPreset] = useState<Preset>(props.preset);
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  const [pipelineId, setPipelineId] = useState(props.pipelineId ?? "");
  const [stageId, setStageId] = useState(props.stageId ?? "");

  function go(next: { preset?: Preset; from?: string; to?: string; pipelineId?: string; stageId?: string }) {
    const p = { preset, from, to, pipelineId, stageId, ...next };
    const q = new URLSearchParams();
    if (p.preset === "custom") {
      q.set("from", p.from);
      q.set("to", p.to);
    } else {
      q.set("range", p.preset);
    }
    q.set("by", props.granularity);
    if (p.pipelineId) q.set("pipeline", p.pipelineId);
    if (p.stageId) q.set("stage", p.stageId);
    router.push(`${pathname}?${q}`);
  }

  function pickPreset(value: Preset) {
    setPreset(value);
    if (value === "custom") return;
    const range = presetRange(value, props.today);
    setFrom(range.from);
    setTo(range.to);
    go({ preset: value, ...range });
  }

  return (
    <form
      aria-label="Report options"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        go({});
      }}
    >
      {props.uses.range ? (
        <>
          <div className="grid gap-1.5">
            <Label htmlFor="report-range">Range</Label>
            <NativeSelect id="report-range" className="w-40" value={preset} onChange={(e) => pickPreset(e.target.value as Preset)}>
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABELS[p]}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="report-from">From</Label>
            <Input
              id="report-from"
              type="date"
              className="w-40"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                setPreset("custom");
              }}
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="report-to">To</Label>
            <Input
              id="report-to"
              type="date"
              className="w-40"
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                setPreset("custom");
              }}
            />
          </div>
        </>
      ) : null}
      {props.uses.pipeline && props.pipelines.length > 1 ? (
        <div className="grid gap-1.5">
          <Label htmlFor="report-pipeline">Pipeline</Label>
          <NativeSelect
            id="report-pipeline"
            className="w-48"
            value={pipelineId}
            onChange={(e) => {
              setPipelineId(e.target.value);
              setStageId("");
              go({ pipelineId: e.target.value, stageId: "" });
            }}
          >
            {props.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
      {props.stagePicker && props.stages.length ? (
        <div className="grid gap-1.5">
          <Label htmlFor="report-stage">{props.stagePicker.label}</Label>
          <NativeSelect
            id="report-stage"
            className="w-48"
            value={stageId}
            onChange={(e) => {
              setStageId(e.target.value);
              go({ stageId: e.target.value });
            }}
          >
            <option value="">{props.stagePicker.default}</option>
            {props.stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
      {props.uses.range ? (
        <Button type="submit" variant="outline">
          Apply
        </Button>
      ) : null}
    </form>
  );
}
