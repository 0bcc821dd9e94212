"use client";

import { ArrowDownIcon, ArrowUpIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionResult } from "@/lib/action-result";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import {
  addStageAction,
  archivePipelineAction,
  createPipelineAction,
  deletePipelineAction,
  deleteStageAction,
  renamePipelineAction,
  reorderPipelinesAction,
  reorderStagesAction,
  restorePipelineAction,
  updateStageAction,
} from "../actions";
import type { Pipeline, Stage } from "../queries";
import { RESTRICTABLE_ROLES } from "../schema";

type Run = (fn: () => Promise<ActionResult<unknown>>, success?: string) => Promise<ActionResult<unknown>>;

function useRun(): [Run, boolean] {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run: Run = (fn, success) =>
    new Promise((resolve) =>
      start(async () => {
        const r = await fn();
        if (!r.ok) toast.error(r.error);
        else {
          if (success) toast.success(success);
          router.refresh();
        }
        resolve(r);
      }),
    );
  return [run, pending];
}

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

export function PipelineSettings(props: { pipelines: Pipeline[]; dealCounts: Record<string, number> }) {
  const [run, pending] = useRun();
  const [name, setName] = useState("");
  const ids = useId();
  const active = props.pipelines.filter((p) => !p.archivedAt);
  return (
    <div className="grid gap-6">
      <form
        className="flex flex-wrap items-end gap-2"
        aria-label="Add a pipeline"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await run(() => createPipelineAction({ name }), "Pipeline added");
          if (r.ok) setName("");
        }}
      >
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-new`}>New pipeline</Label>
          <Input id={`${ids}-new`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Partnerships" className="w-64" />
        </div>
        <Button type="submit" disabled={pending || !name.trim()}>
          <PlusIcon aria-hidden />
          Add pipeline
        </Button>
      </form>
      {props.pipelines.map((p) => {
        const index = active.findIndex((a) => a.id === p.id);
        return (
          <PipelineCard
            key={p.id}
            pipeline={p}
            dealCounts={props.dealCounts}
            canUp={index > 0}
            canDown={index >= 0 && index < active.length - 1}
            onMove={(dir) => run(() => reorderPipelinesAction({ ids: move(active, index, index + dir).map((x) => x.id) }))}
          />
        );
      })}
    </div>
  );
}

function PipelineCard(props: {
  pipeline: Pipeline;
  dealCounts: Record<string, number>;
  canUp: boolean;
  canDown: boolean;
  onMove: (dir: -1 | 1) => void;
}) {
  const { pipeline } = props;
  const [run, pending] = useRun();
  const [name, setName] = useState(pipeline.name);
  const ids = useId();
  const archived = !!pipeline.archivedAt;
  return (
    <Card aria-labelledby={`${ids}-title`}>
      <CardHeader className="flex flex-row flex-wrap items-end gap-2 space-y-0">
        <h2 id={`${ids}-title`} className="sr-only">
          {pipeline.name} pipeline
        </h2>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => renamePipelineAction({ id: pipeline.id, name }), "Pipeline renamed");
          }}
        >
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-name`}>Pipeline name</Label>
            <Input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} className="w-64 font-medium" />
          </div>
          <Button type="submit" variant="outline" disabled={pending || name.trim() === pipeline.name}>
            Rename
          </Button>
        </form>
        {archived ? <Badge variant="outline">Archived</Badge> : null}
        <div className="ml-auto flex gap-1">
          {!archived ? (
            <>
              <Button variant="ghost" size="icon" disabled={!props.canUp || pending} onClick={() => props.onMove(-1)} aria-label={`Move ${pipeline.name} up`}>
                <ArrowUpIcon aria-hidden />
              </Button>
              <Button variant="ghost" size="icon" disabled={!props.canDown || pending} onClick={() => props.onMove(1)} aria-label={`Move ${pipeline.name} down`}>
                <ArrowDownIcon aria-hidden />
              </Button>
            </>
          ) : null}
          <Button
            variant="outline"
            disabled={pending}
            onClick={() =>
              run(
                () => (archived ? restorePipelineAction({ id: pipeline.id }) : archivePipelineAction({ id: pipeline.id })),
                archived ? "Pipeline restored" : "Pipeline archived",
              )
            }
          >
            {archived ? "Restore" : "Archive"}
          </Button>
          <Button variant="ghost" className="text-destructive" disabled={pending} onClick={() => run(() => deletePipelineAction({ id: pipeline.id }), "Pipeline deleted")}>
            Delete
          </Button>
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-xs text-muted-foreground">
          Restrict a stage to let only some roles move deals into or out of it. Owners and admins can always move deals.
        </p>
        <ol className="grid gap-2" aria-label={`Stages of ${pipeline.name}`}>
          {pipeline.stages.map((s, i) => (
            <StageRow
              key={`${s.id}-${s.position}-${s.name}`}
              stage={s}
              stages={pipeline.stages}
              deals={props.dealCounts[s.id] ?? 0}
              canUp={i > 0}
              canDown={i < pipeline.stages.length - 1}
              onMove={(dir) =>
                run(() =>
                  reorderStagesAction({ pipelineId: pipeline.id, ids: move(pipeline.stages, i, i + dir).map((x) => x.id) }),
                )
              }
            />
          ))}
        </ol>
        <AddStage pipelineId={pipeline.id} />
      </CardContent>
    </Card>
  );
}

function StageRow(props: {
  stage: Stage;
  stages: Stage[];
  deals: number;
  canUp: boolean;
  canDown: boolean;
  onMove: (dir: -1 | 1) => void;
}) {
  const { stage } = props;
  const [run, pending] = useRun();
  const ids = useId();
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState(String(stage.probability));
  const [outcome, setOutcome] = useState(stage.isWon ? "won" : stage.isLost ? "lost" : "open");
  const [roles, setRoles] = useState<string[]>(stage.restrictedRoles);
  const [deleting, setDeleting] = useState(false);
  const others = props.stages.filter((s) => s.id !== stage.id);
  const [moveTo, setMoveTo] = useState(others[0]?.id ?? "");
  const dirty =
    name !== stage.name ||
    probability !== String(stage.probability) ||
    outcome !== (stage.isWon ? "won" : stage.isLost ? "lost" : "open") ||
    roles.slice().sort().join() !== stage.restrictedRoles.slice().sort().join();

  return (
    <li className="rounded-md border p-3">
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label={`Stage ${stage.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => updateStageAction({ id: stage.id, name, probability, outcome, restrictedRoles: roles }), "Stage saved");
        }}
      >
        <div className="flex flex-col gap-1">
          <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canUp || pending} onClick={() => props.onMove(-1)} aria-label={`Move ${stage.name} up`}>
            <ArrowUpIcon aria-hidden />
          </Button>
          <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canDown || pending} onClick={() => props.onMove(1)} aria-label={`Move ${stage.name} down`}>
            <ArrowDownIcon aria-hidden />
          </Button>
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-name`}>Name</Label>
          <Input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} className="w-44" />
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-p`}>Probability %</Label>
          <Input id={`${ids}-p`} type="number" min={0} max={100} value={probability} onChange={(e) => setProbability(e.target.value)} className="w-24" />
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-o`}>Outcome</Label>
          <NativeSelect id={`${ids}-o`} value={outcome} onChange={(e) => setOutcome(e.target.value)} className="w-28">
            <option value="open">Open</option>
            <option value="won">Won</option>
            <option value="lost">Lost</option>
          </NativeSelect>
        </div>
        <fieldset className="grid gap-1">
          <legend className="text-sm font-medium">Only these roles may move deals</legend>
          <div className="flex h-9 items-center gap-3">
            {RESTRICTABLE_ROLES.map((r) => (
              <label key={r} className="flex items-center gap-1.5 text-sm">
                <Checkbox
                  checked={roles.includes(r)}
                  onCheckedChange={(v) => setRoles((cur) => (v ? [...cur, r] : cur.filter((x) => x !== r)))}
                />
                {ROLE_LABELS[r]}s
              </label>
            ))}
          </div>
        </fieldset>
        <span className="pb-2 text-xs text-muted-foreground">
          {props.deals} deal{props.deals === 1 ? "" : "s"}
        </span>
        <div className="ml-auto flex gap-1">
          <Button type="submit" variant="outline" disabled={pending || !dirty}>
            Save
          </Button>
          <Button type="button" variant="ghost" size="icon" aria-label={`Delete ${stage.name}`} disabled={pending} onClick={() => setDeleting(true)}>
            <Trash2Icon aria-hidden />
          </Button>
        </div>
      </form>
      <Dialog open={deleting} onOpenChange={setDeleting}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete the “{stage.name}” stage?</DialogTitle>
            <DialogDescription>
              {props.deals
                ? `Its ${props.deals} deal${props.deals === 1 ? "" : "s"} move to the stage you choose, at the end of that column.`
                : "It has no deals."}
            </DialogDescription>
          </DialogHeader>
          {props.deals ? (
            <div className="grid gap-1">
              <Label htmlFor={`${ids}-move`}>Move its deals to</Label>
              <NativeSelect id={`${ids}-move`} value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
                {others.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={pending}
              onClick={async () => {
                const r = await run(() => deleteStageAction({ id: stage.id, moveToStageId: props.deals ? moveTo : null }), "Stage deleted");
                if (r.ok) setDeleting(false);
              }}
            >
              Delete stage
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </li>
  );
}

function AddStage({ pipelineId }: { pipelineId: string }) {
  const [run, pending] = useRun();
  const [name, setName] = useState("");
  const ids = useId();
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await run(() => addStageAction({ pipelineId, name, probability: 0, outcome: "open", restrictedRoles: [] }), "Stage added");
        if (r.ok) setName("");
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-stage`}>New stage</Label>
        <Input id={`${ids}-stage`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Demo booked" className="w-56" />
      </div>
      <Button type="submit" variant="outline" disabled={pending || !name.trim()}>
        <PlusIcon aria-hidden />
        Add stage
      </Button>
    </form>
  );
}
