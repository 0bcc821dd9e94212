"use client";

import { ArrowDownIcon, ArrowUpIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useMemo, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { SortableList, useSortableRow } from "@/components/sortable-list";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { PipelineOptions } from "./pipeline-options";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionResult } from "@/lib/action-result";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import {
  archivePipelineAction,
  createPipelineAction,
  deletePipelineAction,
  reorderPipelinesAction,
  restorePipelineAction,
  savePipelineStagesAction,
} from "../actions";
import type { Pipeline, Stage } from "../queries";
import { PipelineNouns } from "./pipeline-nouns";
import { newStageIndex, newStageProbability, RESTRICTABLE_ROLES } from "../schema";

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

/**
 * The order shown while a reorder is saved: the dropped order until the
 * server's order changes or the reorder is refused (`null`).
 */
function useShownOrder<T extends { id: string }>(items: T[]): [T[], (ids: string[] | null) => void] {
  const base = items.map((i) => i.id).join();
  const [local, setLocal] = useState<{ base: string; ids: string[] } | null>(null);
  const show = (ids: string[] | null) => setLocal(ids && { base, ids });
  if (!local || local.base !== base) return [items, show];
  const byId = new Map(items.map((i) => [i.id, i]));
  return [local.ids.flatMap((id) => byId.get(id) ?? []), show];
}

type TeamOption = { id: string; name: string };

export function PipelineSettings(props: { pipelines: Pipeline[]; dealCounts: Record<string, number>; teams: TeamOption[] }) {
  const [run, pending] = useRun();
  const [name, setName] = useState("");
  const ids = useId();
  const [active, showOrder] = useShownOrder(props.pipelines.filter((p) => !p.archivedAt));
  const archived = props.pipelines.filter((p) => p.archivedAt);
  const reorder = (ids: string[]) => {
    showOrder(ids);
    void run(() => reorderPipelinesAction({ ids })).then((r) => r.ok || showOrder(null));
  };
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
      <SortableList items={active} noun="pipeline" onReorder={reorder}>
        {active.map((p, index) => (
          <PipelineCard
            key={p.id}
            pipeline={p}
            dealCounts={props.dealCounts}
            teams={props.teams}
            canUp={index > 0}
            canDown={index < active.length - 1}
            onMove={(dir) => reorder(move(active, index, index + dir).map((x) => x.id))}
          />
        ))}
      </SortableList>
      {archived.map((p) => (
        <PipelineCard key={p.id} pipeline={p} dealCounts={props.dealCounts} teams={props.teams} canUp={false} canDown={false} onMove={() => {}} />
      ))}
    </div>
  );
}

function PipelineCard(props: {
  pipeline: Pipeline;
  dealCounts: Record<string, number>;
  teams: TeamOption[];
  canUp: boolean;
  canDown: boolean;
  onMove: (dir: -1 | 1) => void;
}) {
  const { pipeline } = props;
  const [run, pending] = useRun();
  const ids = useId();
  const archived = !!pipeline.archivedAt;
  const row = useSortableRow(pipeline.id, pipeline.name, archived);
  // The form starts afresh whenever the saved pipeline changes (after a save, or someone else's).
  const saved = JSON.stringify([pipeline.name, pipeline.stages]);
  return (
    <Card
      ref={row.ref}
      style={row.style}
      aria-labelledby={`${ids}-title`}
      className={row.dragging ? "relative z-10 shadow-lg" : undefined}
    >
      <CardHeader className="flex flex-row flex-wrap items-center gap-2 space-y-0">
        {row.handle}
        <h2 id={`${ids}-title`} className="font-semibold">
          {pipeline.name}
          <span className="sr-only"> pipeline</span>
        </h2>
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
      <CardContent>
        {!archived ? <PipelineNouns key={`${pipeline.nounSingular}/${pipeline.nounPlural}`} pipeline={pipeline} /> : null}
        <PipelineOptions pipeline={pipeline} />
        <PipelineForm key={saved} pipeline={pipeline} dealCounts={props.dealCounts} teams={props.teams} />
      </CardContent>
    </Card>
  );
}

/** A stage as the form holds it: `id` null until saved, `key` stable for React and the drag list. */
interface StageDraft {
  key: string;
  id: string | null;
  name: string;
  probability: string;
  outcome: "open" | "won" | "lost";
  restrictedRoles: string[];
  restrictedTeamIds: string[];
}

const draftOf = (s: Stage): StageDraft => ({
  key: s.id,
  id: s.id,
  name: s.name,
  probability: String(s.probability),
  outcome: s.isWon ? "won" : s.isLost ? "lost" : "open",
  restrictedRoles: [...s.restrictedRoles],
  restrictedTeamIds: [...s.restrictedTeamIds],
});

/**
 * A pipeline's name and stages as one form: edit, reorder, add and delete
 * stages, then save them all at once (one transaction), or discard.
 */
function PipelineForm({ pipeline, dealCounts, teams }: { pipeline: Pipeline; dealCounts: Record<string, number>; teams: TeamOption[] }) {
  const router = useRouter();
  const ids = useId();
  const [pending, start] = useTransition();
  const initial = useMemo(() => pipeline.stages.map(draftOf), [pipeline.stages]);
  const [name, setName] = useState(pipeline.name);
  const [stages, setStages] = useState<StageDraft[]>(initial);
  const [deleted, setDeleted] = useState<{ id: string; moveTo: string }[]>([]);
  const [newName, setNewName] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const added = useRef(0);
  const dirty = name !== pipeline.name || deleted.length > 0 || JSON.stringify(stages) !== JSON.stringify(initial);
  const kept = stages.filter((s) => s.id);

  const patch = (key: string, change: Partial<StageDraft>) => setStages((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));
  const remove = (draft: StageDraft) => {
    setStages((list) => list.filter((s) => s.key !== draft.key));
    if (draft.id) setDeleted((list) => [...list, { id: draft.id!, moveTo: kept.find((s) => s.id !== draft.id)?.id ?? "" }]);
  };
  const restore = (id: string) => {
    const stage = pipeline.stages.find((s) => s.id === id);
    if (!stage) return;
    setDeleted((list) => list.filter((d) => d.id !== id));
    setStages((list) => {
      const at = Math.min(list.length, stage.position);
      return [...list.slice(0, at), draftOf(stage), ...list.slice(at)];
    });
  };
  const add = () => {
    const stageName = newName.trim();
    if (!stageName) return;
    setStages((list) => {
      const shape = list.map((s) => ({ probability: Number(s.probability) || 0, isWon: s.outcome === "won", isLost: s.outcome === "lost" }));
      const index = newStageIndex(shape);
      const draft: StageDraft = {
        key: `new-${++added.current}`,
        id: null,
        name: stageName,
        probability: String(newStageProbability(shape, index)),
        outcome: "open",
        restrictedRoles: [],
        restrictedTeamIds: [],
      };
      return [...list.slice(0, index), draft, ...list.slice(index)];
    });
    setNewName("");
  };
  const reorder = (keys: string[]) => setStages((list) => keys.flatMap((k) => list.find((s) => s.key === k) ?? []));

  function save() {
    setErrors({});
    start(async () => {
      const result = await savePipelineStagesAction({
        pipelineId: pipeline.id,
        name,
        stages: stages.map((s) => ({
          id: s.id,
          name: s.name,
          // An emptied box is no percentage (not 0%), so it is refused by name.
          probability: s.probability.trim() === "" ? undefined : s.probability,
          outcome: s.outcome,
          restrictedRoles: s.restrictedRoles,
          restrictedTeamIds: s.restrictedTeamIds,
        })),
        deleted: deleted.map((d) => ({ id: d.id, moveToStageId: d.moveTo || null })),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        return;
      }
      toast.success("Pipeline saved");
      router.refresh();
    });
  }

  const errorOf = (i: number, field: string) => errors[`stages.${i}.${field}`];
  return (
    <form
      className="grid gap-3"
      aria-label={`${pipeline.name} settings`}
      // The server names the bad row ("Stage 3 (Demo): …"); the browser's own bubble would not.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-name`}>Pipeline name</Label>
        <Input
          id={`${ids}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="w-64 font-medium"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? `${ids}-name-error` : undefined}
        />
        {errors.name ? (
          <p id={`${ids}-name-error`} className="text-sm text-destructive">
            {errors.name}
          </p>
        ) : null}
      </div>
      <p className="text-xs text-muted-foreground">
        Restrict a stage to let only some roles or teams move deals into or out of it: a member may when their role or one of their
        teams is ticked. Owners and admins can always move deals.
      </p>
      <SortableList items={stages.map((s) => ({ id: s.key, name: s.name || "new stage" }))} noun="stage" onReorder={reorder}>
        <ol className="grid gap-2" aria-label={`Stages of ${pipeline.name}`}>
          {stages.map((s, i) => (
            <StageRow
              key={s.key}
              stage={s}
              deals={s.id ? (dealCounts[s.id] ?? 0) : 0}
              teams={teams}
              error={(field) => errorOf(i, field)}
              canUp={i > 0}
              canDown={i < stages.length - 1}
              onMove={(dir) => setStages((list) => move(list, i, i + dir))}
              onChange={(change) => patch(s.key, change)}
              onDelete={() => remove(s)}
            />
          ))}
        </ol>
      </SortableList>
      {deleted.length ? (
        <ul className="grid gap-2" aria-label="Stages deleted on save">
          {deleted.map((d, i) => {
            const stage = pipeline.stages.find((s) => s.id === d.id);
            const deals = dealCounts[d.id] ?? 0;
            const error = errors[`deleted.${i}.moveToStageId`];
            return (
              <li key={d.id} className="flex flex-wrap items-center gap-3 rounded-md border border-dashed p-3 text-sm">
                <span>
                  <span className="font-medium">{stage?.name}</span> is deleted on save
                  {deals ? `; its ${deals} deal${deals === 1 ? "" : "s"} move to` : "."}
                </span>
                {deals ? (
                  <NativeSelect
                    aria-label={`Move the deals of ${stage?.name} to`}
                    value={d.moveTo}
                    onChange={(e) => setDeleted((list) => list.map((x) => (x.id === d.id ? { ...x, moveTo: e.target.value } : x)))}
                    className="w-48"
                    aria-invalid={error ? true : undefined}
                  >
                    {kept.map((s) => (
                      <option key={s.key} value={s.id!}>
                        {s.name}
                      </option>
                    ))}
                  </NativeSelect>
                ) : null}
                {error ? <span className="text-destructive">{error}</span> : null}
                <Button type="button" variant="ghost" size="sm" className="ml-auto" onClick={() => restore(d.id)}>
                  Keep {stage?.name}
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="flex flex-wrap items-end gap-2">
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-stage`}>New stage</Label>
          <Input
            id={`${ids}-stage`}
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            onKeyDown={(e) => {
              // Enter adds the stage here, rather than saving the whole form.
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
            placeholder="e.g. Demo booked"
            className="w-56"
          />
        </div>
        <Button type="button" variant="outline" disabled={!newName.trim()} onClick={add}>
          <PlusIcon aria-hidden />
          Add stage
        </Button>
      </div>
      <div className="flex items-center gap-2 border-t pt-3">
        <Button type="submit" disabled={pending || !dirty}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
        <Button
          type="button"
          variant="outline"
          disabled={pending || !dirty}
          onClick={() => {
            setName(pipeline.name);
            setStages(initial);
            setDeleted([]);
            setErrors({});
          }}
        >
          Discard
        </Button>
        {dirty ? <span className="text-sm text-muted-foreground">Unsaved changes</span> : null}
      </div>
    </form>
  );
}

function StageRow(props: {
  stage: StageDraft;
  deals: number;
  teams: TeamOption[];
  error: (field: string) => string | undefined;
  canUp: boolean;
  canDown: boolean;
  onMove: (dir: -1 | 1) => void;
  onChange: (change: Partial<StageDraft>) => void;
  onDelete: () => void;
}) {
  const { stage } = props;
  const ids = useId();
  const label = stage.name.trim() || "new stage";
  const row = useSortableRow(stage.key, label);
  const field = (name: string) => {
    const error = props.error(name);
    return {
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${ids}-${name}-error` : undefined,
      error: error ? (
        <p id={`${ids}-${name}-error`} className="text-xs text-destructive">
          {error}
        </p>
      ) : null,
    };
  };
  const name = field("name");
  const probability = field("probability");
  return (
    <li ref={row.ref} style={row.style} className={`rounded-md border bg-card p-3 ${row.dragging ? "relative z-10 shadow-lg" : ""}`}>
      <div role="group" aria-label={`Stage ${label}`} className="flex flex-wrap items-start gap-3">
        <div className="flex items-center gap-1 self-center">
          {row.handle}
          <div className="flex flex-col gap-1">
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canUp} onClick={() => props.onMove(-1)} aria-label={`Move ${label} up`}>
              <ArrowUpIcon aria-hidden />
            </Button>
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canDown} onClick={() => props.onMove(1)} aria-label={`Move ${label} down`}>
              <ArrowDownIcon aria-hidden />
            </Button>
          </div>
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-name`}>Name</Label>
          <Input
            id={`${ids}-name`}
            value={stage.name}
            onChange={(e) => props.onChange({ name: e.target.value })}
            className="w-44"
            aria-invalid={name["aria-invalid"]}
            aria-describedby={name["aria-describedby"]}
          />
          {name.error}
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-p`}>Probability %</Label>
          <Input
            id={`${ids}-p`}
            type="number"
            min={0}
            max={100}
            value={stage.probability}
            onChange={(e) => props.onChange({ probability: e.target.value })}
            className="w-24"
            aria-invalid={probability["aria-invalid"]}
            aria-describedby={probability["aria-describedby"]}
          />
          {probability.error}
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-o`}>Outcome</Label>
          <NativeSelect
            id={`${ids}-o`}
            value={stage.outcome}
            onChange={(e) => props.onChange({ outcome: e.target.value as StageDraft["outcome"] })}
            className="w-28"
          >
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
                  checked={stage.restrictedRoles.includes(r)}
                  onCheckedChange={(v) =>
                    props.onChange({ restrictedRoles: v ? [...stage.restrictedRoles, r] : stage.restrictedRoles.filter((x) => x !== r) })
                  }
                />
                {ROLE_LABELS[r]}s
              </label>
            ))}
          </div>
        </fieldset>
        {props.teams.length ? (
          <fieldset className="grid gap-1">
            <legend className="text-sm font-medium">Or these teams</legend>
            <div className="flex min-h-9 flex-wrap items-center gap-3">
              {props.teams.map((t) => (
                <label key={t.id} className="flex items-center gap-1.5 text-sm">
                  <Checkbox
                    checked={stage.restrictedTeamIds.includes(t.id)}
                    onCheckedChange={(v) =>
                      props.onChange({
                        restrictedTeamIds: v ? [...stage.restrictedTeamIds, t.id] : stage.restrictedTeamIds.filter((x) => x !== t.id),
                      })
                    }
                  />
                  {t.name}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <span className="self-center text-xs text-muted-foreground">
          {stage.id ? `${props.deals} deal${props.deals === 1 ? "" : "s"}` : "New"}
        </span>
        <Button type="button" variant="ghost" size="icon" className="ml-auto self-center" aria-label={`Delete ${label}`} onClick={props.onDelete}>
          <Trash2Icon aria-hidden />
        </Button>
      </div>
    </li>
  );
}
