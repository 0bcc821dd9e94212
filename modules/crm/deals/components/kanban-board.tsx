"use client";

import {
  type Announcements,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { format, parseISO } from "date-fns";
import { CalendarIcon, GripVerticalIcon, LockIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { formatMoney } from "@/modules/crm/values/normalize";
import { moveDealAction } from "../actions";
import type { BoardCard, ColumnTotals } from "../queries";

export interface BoardStage {
  id: string;
  name: string;
  probability: number;
  isWon: boolean;
  isLost: boolean;
  /** Roles other than owner/admin allowed in a restricted stage (empty: anyone). */
  restrictedTo: string[];
  /** Whether the viewer's role may move deals into and out of it. */
  allowed: boolean;
}

export interface KanbanBoardProps {
  pipelineId: string;
  stages: BoardStage[];
  cards: BoardCard[];
  totals: Record<string, ColumnTotals>;
  version: string;
  members: { id: string; name: string }[];
  currency: string;
  /** Cards rendered per column; more are behind "Show more". */
  perColumn: number;
  /** Link that raises perColumn (keeps the filters). */
  showMoreHref: string;
}

type Columns = Record<string, BoardCard[]>;

const POLL_MS = 3000;

function group(stages: BoardStage[], cards: BoardCard[]): Columns {
  const out: Columns = Object.fromEntries(stages.map((s) => [s.id, [] as BoardCard[]]));
  for (const c of cards) out[c.stageId]?.push(c);
  return out;
}

function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase() || "?";
}

/** The column total in the org currency, then other currencies present. */
function totalText(t: ColumnTotals | undefined, currency: string) {
  if (!t || !t.values.length) return { main: formatMoney(0, currency), others: [] as string[] };
  const main = t.values.find((v) => v.currency === currency);
  const others = t.values.filter((v) => v.currency !== currency).map((v) => formatMoney(v.minor, v.currency));
  return { main: main ? formatMoney(main.minor, currency) : others.shift() ?? formatMoney(0, currency), others };
}

export function KanbanBoard(props: KanbanBoardProps) {
  const router = useRouter();
  const [columns, setColumns] = useState<Columns>(() => group(props.stages, props.cards));
  const [activeId, setActiveId] = useState<string | null>(null);
  const snapshot = useRef<{ columns: Columns; stageId: string; index: number } | null>(null);
  const pending = useRef(0);
  const version = useRef(props.version);

  // Fresh server data replaces local state, except mid-drag (it arrives again after the drop).
  useEffect(() => {
    version.current = props.version;
    if (!snapshot.current && !pending.current) setColumns(group(props.stages, props.cards));
  }, [props.stages, props.cards, props.version]);

  // Other people's moves: poll the board's fingerprint while the tab is visible.
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (stopped || document.visibilityState !== "visible" || snapshot.current || pending.current) return;
      try {
        const res = await fetch(`/deals/board-version?pipeline=${props.pipelineId}`, { cache: "no-store" });
        if (!res.ok) return;
        const { version: latest } = (await res.json()) as { version: string };
        if (!stopped && latest !== version.current && !snapshot.current && !pending.current) {
          version.current = latest;
          router.refresh();
        }
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    const timer = setInterval(tick, POLL_MS);
    const onVisible = () => void tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [props.pipelineId, router]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const stageById = useMemo(() => new Map(props.stages.map((s) => [s.id, s])), [props.stages]);
  const memberName = useMemo(() => new Map(props.members.map((m) => [m.id, m.name])), [props.members]);

  const findStage = (id: string, cols = columns): string | undefined => {
    if (id in cols) return id;
    return Object.keys(cols).find((k) => cols[k].some((c) => c.id === id));
  };
  const cardById = (id: string) => Object.values(columns).flat().find((c) => c.id === id);
  const nameOf = (id: string | number) => cardById(String(id))?.name ?? "deal";
  const placeOf = (overId: string | number) => {
    const stageId = findStage(String(overId));
    if (!stageId) return "";
    const list = columns[stageId];
    const i = list.findIndex((c) => c.id === overId);
    const pos = i < 0 ? list.length : i + 1;
    return `${stageById.get(stageId)?.name ?? ""}, position ${pos} of ${Math.max(list.length, 1)}`;
  };

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} is over ${placeOf(over.id)}.` : `${nameOf(active.id)} is not over a stage.`),
    onDragEnd: ({ active, over }) => (over ? `${nameOf(active.id)} dropped in ${placeOf(over.id)}.` : `${nameOf(active.id)} dropped.`),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled. It is back where it was.`,
  };

  function onDragStart({ active }: DragStartEvent) {
    const stageId = findStage(String(active.id));
    if (!stageId) return;
    snapshot.current = { columns, stageId, index: columns[stageId].findIndex((c) => c.id === active.id) };
    setActiveId(String(active.id));
  }

  // Crossing into another column moves the card there right away, so the
  // target column makes room while the card is still held.
  function onDragOver({ active, over }: DragOverEvent) {
    if (!over) return;
    const from = findStage(String(active.id));
    const to = findStage(String(over.id));
    if (!from || !to || from === to) return;
    setColumns((cols) => {
      const card = cols[from].find((c) => c.id === active.id);
      if (!card) return cols;
      const target = cols[to];
      const overIndex = target.findIndex((c) => c.id === over.id);
      const index = overIndex < 0 ? target.length : overIndex;
      return {
        ...cols,
        [from]: cols[from].filter((c) => c.id !== active.id),
        [to]: [...target.slice(0, index), { ...card, stageId: to }, ...target.slice(index)],
      };
    });
  }

  function onDragCancel() {
    if (snapshot.current) setColumns(snapshot.current.columns);
    snapshot.current = null;
    setActiveId(null);
  }

  async function onDragEnd({ active, over }: DragEndEvent) {
    const before = snapshot.current;
    setActiveId(null);
    const id = String(active.id);
    const stageId = findStage(id);
    if (!before || !over || !stageId) {
      onDragCancel();
      return;
    }
    let list = columns[stageId];
    const from = list.findIndex((c) => c.id === id);
    const overIndex = list.findIndex((c) => c.id === over.id);
    if (overIndex >= 0 && overIndex !== from) list = arrayMove(list, from, overIndex);
    const index = list.findIndex((c) => c.id === id);
    const next = { ...columns, [stageId]: list };
    snapshot.current = null;
    if (stageId === before.stageId && index === before.index) {
      setColumns(next);
      return;
    }
    setColumns(next);
    pending.current++;
    try {
      const result = await moveDealAction({
        id,
        stageId,
        beforeId: list[index - 1]?.id ?? null,
        afterId: list[index + 1]?.id ?? null,
      });
      if (!result.ok) {
        setColumns(before.columns);
        toast.error(result.error);
      }
    } catch {
      setColumns(before.columns);
      toast.error("The move could not be saved. Check your connection and try again.");
    } finally {
      pending.current--;
    }
  }

  const active = activeId ? cardById(activeId) : undefined;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCorners}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move a deal, press space or enter on its handle. Use the arrow keys to move it within a stage or to the next stage, space or enter to drop it, escape to cancel.",
        },
      }}
    >
      {/* relative: screen-reader-only text in far columns is absolutely positioned and would otherwise widen the page */}
      <div className="relative flex min-h-[60vh] gap-3 overflow-x-auto pb-4" data-testid="kanban-board">
        {props.stages.map((stage) => (
          <BoardColumn
            key={stage.id}
            stage={stage}
            cards={columns[stage.id] ?? []}
            totals={props.totals[stage.id]}
            currency={props.currency}
            memberName={memberName}
            perColumn={props.perColumn}
            showMoreHref={props.showMoreHref}
          />
        ))}
      </div>
      <DragOverlay>{active ? <CardBody card={active} memberName={memberName} overlay /> : null}</DragOverlay>
    </DndContext>
  );
}

function BoardColumn(props: {
  stage: BoardStage;
  cards: BoardCard[];
  totals: ColumnTotals | undefined;
  currency: string;
  memberName: Map<string, string>;
  perColumn: number;
  showMoreHref: string;
}) {
  const { stage, cards } = props;
  const { setNodeRef, isOver } = useDroppable({ id: stage.id });
  const count = props.totals?.count ?? 0;
  const total = totalText(props.totals, props.currency);
  const headingId = `stage-${stage.id}`;
  const hidden = count - cards.length;
  return (
    <section
      aria-labelledby={headingId}
      className="flex w-72 shrink-0 flex-col rounded-lg border bg-muted/40"
      data-testid="kanban-column"
      data-stage={stage.name}
    >
      <header className="grid gap-0.5 border-b px-3 py-2">
        <div className="flex items-center gap-2">
          <h2 id={headingId} className="truncate text-sm font-semibold">
            {stage.name}
          </h2>
          {stage.restrictedTo.length ? (
            <span
              className="text-muted-foreground"
              title={`Only ${stage.restrictedTo.join(", ")}s, admins and owners can move deals into or out of this stage`}
            >
              <LockIcon className="size-3.5" aria-hidden />
              <span className="sr-only">Restricted stage{stage.allowed ? "" : ": your role cannot move deals here"}</span>
            </span>
          ) : null}
          <span className="ml-auto rounded-full bg-background px-2 text-xs tabular-nums text-muted-foreground" data-testid="column-count">
            {count}
            <span className="sr-only"> deals</span>
          </span>
        </div>
        <p className="text-xs tabular-nums text-muted-foreground" data-testid="column-total">
          {total.main}
          {total.others.length ? <span> + {total.others.join(" + ")}</span> : null}
          <span aria-hidden> · </span>
          {stage.probability}%
        </p>
      </header>
      <SortableContext id={stage.id} items={cards.map((c) => c.id)} strategy={verticalListSortingStrategy}>
        <ol
          ref={setNodeRef}
          aria-label={`${stage.name} deals`}
          className={cn("flex min-h-24 flex-1 flex-col gap-2 p-2 transition-colors", isOver && "bg-accent/50")}
        >
          {cards.map((card) => (
            <SortableCard key={card.id} card={card} memberName={props.memberName} />
          ))}
          {!cards.length ? <li className="px-1 py-6 text-center text-xs text-muted-foreground">No deals</li> : null}
        </ol>
      </SortableContext>
      {hidden > 0 ? (
        <Link href={props.showMoreHref} className="border-t px-3 py-2 text-center text-xs font-medium text-primary hover:underline" scroll={false}>
          Show {hidden} more
        </Link>
      ) : null}
    </section>
  );
}

function SortableCard({ card, memberName }: { card: BoardCard; memberName: Map<string, string> }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: card.id });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      {...listeners}
      className={cn("touch-none", isDragging && "opacity-40")}
      data-testid="deal-card"
      data-deal={card.name}
    >
      <CardBody
        card={card}
        memberName={memberName}
        handle={
          <button
            ref={setActivatorNodeRef}
            type="button"
            {...attributes}
            aria-label={`Move ${card.name}`}
            className="-ml-1 cursor-grab rounded p-0.5 text-muted-foreground outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring active:cursor-grabbing"
          >
            <GripVerticalIcon className="size-4" aria-hidden />
          </button>
        }
      />
    </li>
  );
}

function CardBody(props: { card: BoardCard; memberName: Map<string, string>; handle?: React.ReactNode; overlay?: boolean }) {
  const { card } = props;
  const owner = card.ownerId ? props.memberName.get(card.ownerId) : undefined;
  const who = [card.companyName, card.personName].filter(Boolean).join(" · ");
  return (
    <div
      className={cn(
        "grid gap-1.5 rounded-md border bg-card p-2.5 text-card-foreground shadow-xs",
        "focus-within:ring-2 focus-within:ring-ring/60",
        props.overlay && "rotate-1 shadow-lg",
      )}
    >
      <div className="flex items-start gap-1.5">
        {props.handle ?? <GripVerticalIcon className="-ml-1 mt-0.5 size-4 text-muted-foreground" aria-hidden />}
        <Link href={`/deals/${card.id}`} className="min-w-0 flex-1 text-sm font-medium leading-5 break-words hover:underline" draggable={false}>
          {card.name}
        </Link>
        {card.status !== "open" ? (
          <Badge variant={card.status === "won" ? "default" : "destructive"} className="capitalize">
            {card.status}
          </Badge>
        ) : null}
      </div>
      {who ? <p className="truncate text-xs text-muted-foreground">{who}</p> : null}
      <div className="flex items-center gap-2 text-xs">
        <span className="font-medium tabular-nums">{formatMoney(card.valueMinor, card.currency)}</span>
        {card.expectedCloseDate ? (
          <span className="flex items-center gap-1 text-muted-foreground" title="Expected close">
            <CalendarIcon className="size-3" aria-hidden />
            <span className="sr-only">Expected close </span>
            {format(parseISO(card.expectedCloseDate), "MMM d")}
          </span>
        ) : null}
        <span className="ml-auto text-muted-foreground" title="Days in this stage">
          {card.daysInStage}d<span className="sr-only"> in stage</span>
        </span>
        {owner ? (
          <span
            className="flex size-6 items-center justify-center rounded-full bg-secondary text-[10px] font-semibold text-secondary-foreground"
            title={`Owner: ${owner}`}
          >
            <span aria-hidden>{initials(owner)}</span>
            <span className="sr-only">Owner: {owner}</span>
          </span>
        ) : null}
      </div>
    </div>
  );
}
