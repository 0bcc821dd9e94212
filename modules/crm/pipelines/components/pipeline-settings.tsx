"use client";

import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  type Modifier,
  PointerSensor,
  type UniqueIdentifier,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ArrowDownIcon, ArrowUpIcon, GripVerticalIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useId, useState, useTransition } from "react";
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

const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

/**
 * A list reordered by dragging a row's handle, or with the keyboard: focus
 * the handle, space to pick up, arrow keys to move, space to drop, escape to
 * cancel. `onReorder` gets the new order of ids.
 */
function SortableList(props: {
  items: { id: string; name: string }[];
  noun: string;
  onReorder: (ids: string[]) => void;
  children: ReactNode;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = props.items.map((i) => i.id);
  const nameOf = (id: UniqueIdentifier) => props.items.find((i) => i.id === id)?.name ?? props.noun;
  const placeOf = (id: UniqueIdentifier) => `position ${ids.indexOf(String(id)) + 1} of ${ids.length}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}, ${placeOf(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} moved to ${placeOf(over.id)}.` : `${nameOf(active.id)} is outside the list.`),
    onDragEnd: ({ active, over }) => (over ? `${nameOf(active.id)} dropped at ${placeOf(over.id)}.` : `${nameOf(active.id)} dropped.`),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    props.onReorder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: `To reorder a ${props.noun}, press space or enter on its handle, use the up and down arrow keys to move it, space or enter to drop it, escape to cancel.`,
        },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        {props.children}
      </SortableContext>
    </DndContext>
  );
}

/** Drag state of one row of a SortableList, and its handle. */
function useSortableRow(id: string, name: string, disabled = false) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  const style = { transform: CSS.Translate.toString(transform), transition };
  const handle = disabled ? null : (
    <button
      type="button"
      ref={setActivatorNodeRef}
      {...attributes}
      {...listeners}
      aria-label={`Reorder ${name}`}
      className="flex size-6 cursor-grab touch-none items-center justify-center rounded-sm text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 active:cursor-grabbing"
    >
      <GripVerticalIcon aria-hidden className="size-4" />
    </button>
  );
  return { ref: setNodeRef, style, handle, dragging: isDragging };
}

export function PipelineSettings(props: { pipelines: Pipeline[]; dealCounts: Record<string, number> }) {
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
            canUp={index > 0}
            canDown={index < active.length - 1}
            onMove={(dir) => reorder(move(active, index, index + dir).map((x) => x.id))}
          />
        ))}
      </SortableList>
      {archived.map((p) => (
        <PipelineCard key={p.id} pipeline={p} dealCounts={props.dealCounts} canUp={false} canDown={false} onMove={() => {}} />
      ))}
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
  const row = useSortableRow(pipeline.id, pipeline.name, archived);
  const [stages, showStageOrder] = useShownOrder(pipeline.stages);
  const reorderStages = (order: string[]) => {
    showStageOrder(order);
    void run(() => reorderStagesAction({ pipelineId: pipeline.id, ids: order })).then((r) => r.ok || showStageOrder(null));
  };
  return (
    <Card
      ref={row.ref}
      style={row.style}
      aria-labelledby={`${ids}-title`}
      className={row.dragging ? "relative z-10 shadow-lg" : undefined}
    >
      <CardHeader className="flex flex-row flex-wrap items-end gap-2 space-y-0">
        {row.handle ? <div className="self-center">{row.handle}</div> : null}
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
        <SortableList items={stages} noun="stage" onReorder={reorderStages}>
          <ol className="grid gap-2" aria-label={`Stages of ${pipeline.name}`}>
            {stages.map((s, i) => (
              <StageRow
                key={`${s.id}-${s.name}-${s.probability}-${s.isWon}-${s.isLost}-${s.restrictedRoles.join()}`}
                stage={s}
                stages={stages}
                deals={props.dealCounts[s.id] ?? 0}
                canUp={i > 0}
                canDown={i < stages.length - 1}
                onMove={(dir) => reorderStages(move(stages, i, i + dir).map((x) => x.id))}
              />
            ))}
          </ol>
        </SortableList>
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
  const row = useSortableRow(stage.id, stage.name);

  return (
    <li ref={row.ref} style={row.style} className={`rounded-md border bg-card p-3 ${row.dragging ? "relative z-10 shadow-lg" : ""}`}>
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label={`Stage ${stage.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => updateStageAction({ id: stage.id, name, probability, outcome, restrictedRoles: roles }), "Stage saved");
        }}
      >
        <div className="flex items-center gap-1 self-center">
          {row.handle}
          <div className="flex flex-col gap-1">
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canUp || pending} onClick={() => props.onMove(-1)} aria-label={`Move ${stage.name} up`}>
              <ArrowUpIcon aria-hidden />
            </Button>
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canDown || pending} onClick={() => props.onMove(1)} aria-label={`Move ${stage.name} down`}>
              <ArrowDownIcon aria-hidden />
            </Button>
          </div>
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
