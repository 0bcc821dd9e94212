"use client";

import {
  type Announcements,
  closestCorners,
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  type UniqueIdentifier,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { LockIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { formatShortCalendarDate } from "@/lib/time";
import { cn } from "@/lib/utils";
import { formatMoney } from "@/modules/crm/values/ui";
import { moveDealAction, setDealStatusAction } from "../actions";
import { formatDealNumber } from "../numbers";
import type { BoardCard, ColumnTotals } from "../queries";
import { BOARD_CARDS_MAX_PAGE } from "../schema";
import { LostReasonDialog } from "./lost-reason-dialog";

export interface BoardStage {
  id: string;
  name: string;
  probability: number;
  isWon: boolean;
  isLost: boolean;
  /** Who besides owners and admins may use a restricted stage, in words ("managers", "the Intake team"); empty: anyone. */
  restrictedTo: string[];
  /** Whether the viewer's role may move deals into and out of it. */
  allowed: boolean;
}

export interface KanbanBoardProps {
  pipelineId: string;
  /** Every stage of the pipeline: the open ones are columns, won and lost are drop areas. */
  stages: BoardStage[];
  cards: BoardCard[];
  totals: Record<string, ColumnTotals>;
  version: string;
  members: { id: string; name: string }[];
  currency: string;
  /** The board's filters, for loading a column's further cards. */
  filters: { owner?: string; tag?: string; q?: string };
  /** What the pipeline calls its deals, in a sentence ("case", "cases"); deal and deals unless given. */
  nouns?: { singular: string; plural: string };
}

type Columns = Record<string, BoardCard[]>;

const POLL_MS = 3000;

type Outcome = "won" | "lost";
const OUTCOMES: Outcome[] = ["won", "lost"];
const outcomeId = (o: Outcome) => `outcome-${o}`;
const outcomeOf = (id: UniqueIdentifier | undefined): Outcome | undefined =>
  OUTCOMES.find((o) => outcomeId(o) === String(id ?? ""));

/**
 * What the held card is over, and where the arrow keys take it. `keyboardOutcome`
 * is the drop area the keyboard chose, if any.
 *
 * Every column is as tall as the longest, so the corners of an empty column
 * are far from a card held at its top, and the nearest corners alone would
 * drop the card back into a long neighbouring column. What the pointer (from
 * the keyboard: the held card) is over decides; the nearest corners only when
 * it is over nothing. The Won and Lost drop areas lie over the bottom of the
 * columns while a card is held, so under the pointer they come first.
 *
 * Left and right take the held card to a neighbouring column. The sortable
 * getter looks at everything whose left edge is past the held card's, which
 * the cards of its own column are too, by a fraction of a pixel (the held
 * card is drawn tilted); so sideways it only sees droppables at least half a
 * card away. Down stays in the column; past its last card it reaches the Won
 * and Lost areas, left and right go from one to the other, and up returns.
 * The keyboard does not carry the card onto an area: the areas are fixed to
 * the bottom of the screen, and the keyboard sensor would scroll the page
 * instead of moving the card there. It nudges the card a pixel, so the
 * collision is detected again, and that detection answers with the area.
 */
function boardDragging(keyboardOutcome: { current: Outcome | null }) {
  const collisionDetection: CollisionDetection = (args) => {
    const areas = args.droppableContainers.filter((c) => outcomeOf(c.id));
    if (args.pointerCoordinates) {
      const hits = pointerWithin({ ...args, droppableContainers: areas });
      if (hits.length) return hits;
    } else if (keyboardOutcome.current) {
      const area = areas.find((c) => outcomeOf(c.id) === keyboardOutcome.current);
      if (area) return [{ id: area.id, data: { droppableContainer: area, value: 0 } }];
    }
    const columns = args.droppableContainers.filter((c) => !outcomeOf(c.id));
    for (const detect of [pointerWithin, rectIntersection]) {
      const hits = detect({ ...args, droppableContainers: columns });
      if (hits.length) return hits;
    }
    return closestCorners({ ...args, droppableContainers: columns });
  };

  const coordinateGetter: KeyboardCoordinateGetter = (event, args) => {
    const { collisionRect, droppableContainers, droppableRects } = args.context;
    if (!collisionRect) return sortableKeyboardCoordinates(event, args);
    const nudge = (outcome: Outcome | null) => {
      keyboardOutcome.current = outcome;
      event.preventDefault();
      return { x: args.currentCoordinates.x + (Math.round(collisionRect.left) % 2 ? -1 : 1), y: args.currentCoordinates.y };
    };
    const among = (keep: (id: UniqueIdentifier, rect: { left: number; top: number } | undefined) => boolean) => {
      const entries = droppableContainers.getEnabled().filter((entry) => keep(entry.id, droppableRects.get(entry.id)));
      const containers = { getEnabled: () => entries, get: (id: UniqueIdentifier) => droppableContainers.get(id) };
      return sortableKeyboardCoordinates(event, {
        ...args,
        context: { ...args.context, droppableContainers: containers as unknown as typeof droppableContainers },
      });
    };
    const sameColumn = (rect: { left: number } | undefined) => !!rect && Math.abs(rect.left - collisionRect.left) <= collisionRect.width / 2;
    const onArea = keyboardOutcome.current;
    if (onArea) {
      if (event.code === "ArrowLeft" || event.code === "ArrowRight") return nudge(onArea === "won" ? "lost" : "won");
      if (event.code === "ArrowUp") return nudge(null);
      return undefined;
    }
    if (event.code === "ArrowLeft" || event.code === "ArrowRight") return among((id, rect) => !outcomeOf(id) && !!rect && !sameColumn(rect));
    // Below means at least half a card lower: the tilted card's box reaches above its own place.
    const below = (rect: { top: number } | undefined) => !!rect && rect.top > collisionRect.top + collisionRect.height / 2;
    if (event.code === "ArrowDown") return among((id, rect) => !outcomeOf(id) && sameColumn(rect) && below(rect)) ?? nudge("won");
    return sortableKeyboardCoordinates(event, args);
  };
  return { collisionDetection, coordinateGetter };
}

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

// Won and lost are outcomes, not steps of the work (as in Pipedrive): a
// closed deal leaves the board, and dropping a card on the Won or Lost area
// that appears while it is held closes it.
const isOpen = (s: BoardStage) => !s.isWon && !s.isLost;

export function KanbanBoard(props: KanbanBoardProps) {
  const router = useRouter();
  const stages = useMemo(() => props.stages.filter(isOpen), [props.stages]);
  const [columns, setColumns] = useState<Columns>(() => group(stages, props.cards));
  const [activeId, setActiveId] = useState<string | null>(null);
  const iconId = useId();
  const snapshot = useRef<{ columns: Columns; stageId: string; index: number } | null>(null);
  const pending = useRef(0);
  const version = useRef(props.version);
  const shown = useRef(columns);
  useEffect(() => {
    shown.current = columns;
  });
  // Bumped by every change of the columns' basis (fresh server data, a drag):
  // cards fetched for an older basis are dropped.
  const generation = useRef(0);
  // Columns whose deeper cards are being re-read: they load no further page meanwhile.
  const rereading = useRef(new Set<string>());

  const filterParams = (params: URLSearchParams) => {
    for (const [k, v] of Object.entries(props.filters)) if (v) params.set(k, v);
    return params;
  };
  async function fetchCards(stageId: string, after: BoardCard, limit?: number): Promise<BoardCard[]> {
    const params = filterParams(new URLSearchParams({ pipeline: props.pipelineId, stage: stageId, after: `${after.position}:${after.id}` }));
    if (limit) params.set("limit", String(limit));
    const res = await fetch(`/deals/board-cards?${params}`, { cache: "no-store" });
    if (!res.ok) throw new Error(String(res.status));
    return ((await res.json()) as { cards: BoardCard[] }).cards;
  }

  // Fresh server data (a refresh after a poll, or after this user's own
  // change) replaces local state, except mid-drag (it arrives again after the
  // drop). It holds each column's first page: a column the user scrolled
  // deeper keeps its depth, the cards below the first page re-read after it.
  // Until they arrive the column keeps the cards it showed there, so it does
  // not shrink under the reader.
  useEffect(() => {
    version.current = props.version;
    if (snapshot.current || pending.current) return;
    const gen = ++generation.current;
    const next = group(stages, props.cards);
    const fresh = new Set(props.cards.map((c) => c.id));
    const deeper: { stageId: string; head: number; after: BoardCard; more: number }[] = [];
    for (const stage of stages) {
      const head = next[stage.id];
      const before = shown.current[stage.id] ?? [];
      const more = Math.min(before.length, props.totals[stage.id]?.count ?? 0) - head.length;
      if (more <= 0 || !head.length) continue;
      next[stage.id] = [...head, ...before.filter((c) => !fresh.has(c.id)).slice(0, more)];
      deeper.push({ stageId: stage.id, head: head.length, after: head[head.length - 1], more });
    }
    setColumns(next);
    rereading.current = new Set(deeper.map((d) => d.stageId));
    for (const d of deeper) void reread(d, gen);
  }, [stages, props.cards, props.totals, props.version]);

  async function reread(d: { stageId: string; head: number; after: BoardCard; more: number }, gen: number) {
    try {
      const cards: BoardCard[] = [];
      let after = d.after;
      while (cards.length < d.more) {
        const limit = Math.min(BOARD_CARDS_MAX_PAGE, d.more - cards.length);
        const page = await fetchCards(d.stageId, after, limit);
        cards.push(...page);
        if (page.length < limit || gen !== generation.current) break;
        after = page[page.length - 1];
      }
      if (gen !== generation.current) return;
      setColumns((cols) => {
        const elsewhere = new Set(Object.entries(cols).flatMap(([k, list]) => (k === d.stageId ? [] : list.map((c) => c.id))));
        return { ...cols, [d.stageId]: [...cols[d.stageId].slice(0, d.head), ...cards.filter((c) => !elsewhere.has(c.id))] };
      });
    } catch {
      // The cards shown stay until the next refresh.
    } finally {
      if (gen === generation.current) rereading.current.delete(d.stageId);
    }
  }

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

  const keyboardOutcome = useRef<Outcome | null>(null);
  const dragging = useMemo(() => boardDragging(keyboardOutcome), []);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: dragging.coordinateGetter }),
  );

  // A column's further cards, as it scrolls into view (keyset after its last card).
  const [loadingStage, setLoadingStage] = useState<string | null>(null);
  async function loadMore(stageId: string) {
    const last = columns[stageId]?.at(-1);
    // Not while a card is held: the columns it is measured against stay put until the drop.
    if (!last || loadingStage || snapshot.current || rereading.current.has(stageId)) return;
    const gen = generation.current;
    setLoadingStage(stageId);
    try {
      const cards = await fetchCards(stageId, last);
      if (gen !== generation.current) return;
      setColumns((cols) => {
        const shownIds = new Set(Object.values(cols).flat().map((c) => c.id));
        return { ...cols, [stageId]: [...(cols[stageId] ?? []), ...cards.filter((c) => !shownIds.has(c.id))] };
      });
    } catch {
      toast.error("More deals could not be loaded. Check your connection and try again.");
    } finally {
      setLoadingStage(null);
    }
  }

  const stageById = useMemo(() => new Map(props.stages.map((s) => [s.id, s])), [props.stages]);
  const memberName = useMemo(() => new Map(props.members.map((m) => [m.id, m.name])), [props.members]);

  const findStage = (id: string, cols = columns): string | undefined => {
    if (id in cols) return id;
    return Object.keys(cols).find((k) => cols[k].some((c) => c.id === id));
  };
  const cardById = (id: string) => Object.values(columns).flat().find((c) => c.id === id);
  const nameOf = (id: string | number) => cardById(String(id))?.name ?? "deal";
  const placeOf = (overId: string | number) => {
    const outcome = outcomeOf(overId);
    if (outcome) return outcome === "won" ? "Won: drop to mark it won" : "Lost: drop to mark it lost";
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
    keyboardOutcome.current = null;
    const stageId = findStage(String(active.id));
    if (!stageId) return;
    snapshot.current = { columns, stageId, index: columns[stageId].findIndex((c) => c.id === active.id) };
    generation.current++;
    rereading.current.clear();
    setActiveId(String(active.id));
  }

  // Crossing into another column moves the card there right away, so the
  // target column makes room while the card is still held.
  function onDragOver({ active, over }: DragOverEvent) {
    if (!over || outcomeOf(over.id)) return;
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
    const outcome = outcomeOf(over.id);
    if (outcome) {
      // The card goes back where it was until the deal is closed.
      onDragCancel();
      if (outcome === "lost") setLosing({ id, name: nameOf(id) });
      else void close(id, "won", null, before.columns);
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

  // Closing a deal: the same service call as the deal page's Won and Lost
  // buttons. The card leaves the board when the pipeline has a stage for the
  // outcome (the deal moves there); otherwise it stays, marked.
  const [losing, setLosing] = useState<{ id: string; name: string } | null>(null);
  const [lostError, setLostError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  async function close(id: string, status: Outcome, reason: string | null, before: Columns): Promise<boolean> {
    const leaves = props.stages.some((s) => (status === "won" ? s.isWon : s.isLost));
    setColumns((cols) =>
      Object.fromEntries(
        Object.entries(cols).map(([k, list]) => [k, leaves ? list.filter((c) => c.id !== id) : list.map((c) => (c.id === id ? { ...c, status } : c))]),
      ),
    );
    pending.current++;
    setClosing(true);
    try {
      const result = await setDealStatusAction({ id, status, reason: reason || null });
      if (!result.ok) {
        setColumns(before);
        if (status === "lost") setLostError(result.fieldErrors?.reason ?? result.error);
        else toast.error(result.error);
        return false;
      }
      toast.success(`Deal marked as ${status}`);
      return true;
    } catch {
      setColumns(before);
      toast.error("The deal could not be updated. Check your connection and try again.");
      return false;
    } finally {
      pending.current--;
      setClosing(false);
    }
  }

  // A filtered board says how many matches each column holds, narrows the
  // columns without any, and brings the first column with matches into view:
  // otherwise a search whose only matches sit in off-screen columns looks
  // like it found nothing.
  const filtered = Boolean(props.filters.q || props.filters.tag || props.filters.owner);
  const board = useRef<HTMLDivElement>(null);
  const matchCount = (stageId: string) => props.totals[stageId]?.count ?? 0;
  const showColumn = (stageId: string) => {
    const el = board.current?.querySelector<HTMLElement>(`[data-stage-id="${stageId}"]`);
    if (!board.current || !el) return;
    const left = el.offsetLeft;
    const right = left + el.offsetWidth;
    const view = board.current;
    if (left < view.scrollLeft || right > view.scrollLeft + view.clientWidth) view.scrollTo({ left: Math.max(0, left - 8) });
  };
  const filterKey = filtered ? JSON.stringify(props.filters) : "";
  useEffect(() => {
    if (!filterKey) return;
    const first = stages.find((s) => matchCount(s.id) > 0);
    if (first) showColumn(first.id);
  }, [filterKey]);

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={dragging.collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move a deal, press space or enter on its handle. Use the arrow keys to move it within a stage or to the next stage, or down past a stage's last deal to the Won and Lost areas, space or enter to drop it, escape to cancel.",
        },
      }}
    >
      <div className={cn("min-w-0", CARD_STYLES)}>
        <svg aria-hidden className="hidden">
          <symbol id={`${iconId}-grip`} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <circle cx="9" cy="12" r="1" />
            <circle cx="9" cy="5" r="1" />
            <circle cx="9" cy="19" r="1" />
            <circle cx="15" cy="12" r="1" />
            <circle cx="15" cy="5" r="1" />
            <circle cx="15" cy="19" r="1" />
          </symbol>
          <symbol id={`${iconId}-calendar`} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M8 2v4" />
            <path d="M16 2v4" />
            <rect width="18" height="18" x="3" y="4" rx="2" />
            <path d="M3 10h18" />
          </symbol>
        </svg>
        {filtered ? (
          <FilterMatches
            stages={stages}
            count={matchCount}
            won={props.stages.filter((s) => s.isWon).reduce((n, s) => n + matchCount(s.id), 0)}
            lost={props.stages.filter((s) => s.isLost).reduce((n, s) => n + matchCount(s.id), 0)}
            onShow={showColumn}
          />
        ) : null}
        {/* relative: screen-reader-only text in far columns is absolutely positioned and would otherwise widen the page */}
        <div ref={board} className="relative flex min-h-[60vh] gap-3 overflow-x-auto pb-4" data-testid="kanban-board">
          {stages.map((stage) => (
            <BoardColumn
              key={stage.id}
              stage={stage}
              cards={columns[stage.id] ?? []}
              totals={props.totals[stage.id]}
              filtered={filtered}
              nouns={props.nouns ?? { singular: "deal", plural: "deals" }}
              currency={props.currency}
              memberName={memberName}
              iconId={iconId}
              loading={loadingStage === stage.id}
              onMore={() => void loadMore(stage.id)}
            />
          ))}
        </div>
        <DragOverlay>{active ? <CardBody card={active} memberName={memberName} iconId={iconId} overlay /> : null}</DragOverlay>
        {/* Always there, so the areas are measured with the board when a card is picked up; shown only then. */}
        <div
          className={active ? "fixed inset-x-0 bottom-0 z-40 grid grid-cols-2 gap-3 border-t bg-background/95 p-3 shadow-lg" : "hidden"}
          data-testid="outcome-areas"
        >
          {OUTCOMES.map((o) => (
            <OutcomeArea key={o} outcome={o} />
          ))}
        </div>
        <LostReasonDialog
          open={!!losing}
          onOpenChange={(open) => {
            if (!open) setLosing(null);
          }}
          title={losing ? `Mark “${losing.name}” as lost` : undefined}
          pending={closing}
          error={lostError}
          onSubmit={async (reason) => {
            if (!losing) return;
            setLostError(null);
            if (await close(losing.id, "lost", reason, columns)) setLosing(null);
          }}
        />
      </div>
    </DndContext>
  );
}

/**
 * Where a filtered board's matches are: a count per column, each a button
 * that brings its column into view, and how many closed deals match.
 */
function FilterMatches(props: { stages: BoardStage[]; count: (stageId: string) => number; won: number; lost: number; onShow: (stageId: string) => void }) {
  const withMatches = props.stages.filter((s) => props.count(s.id) > 0);
  const total = withMatches.reduce((n, s) => n + props.count(s.id), 0);
  return (
    <p className="flex flex-wrap items-center gap-x-2 gap-y-1 pb-3 text-sm text-muted-foreground" role="status" data-testid="board-matches">
      {total ? (
        <>
          <span>
            {total} matching deal{total === 1 ? "" : "s"}:
          </span>
          {withMatches.map((s) => (
            <button
              key={s.id}
              type="button"
              onClick={() => props.onShow(s.id)}
              className="rounded-full border bg-background px-2 py-0.5 text-xs font-medium text-foreground hover:bg-accent"
            >
              {s.name} <span className="tabular-nums">{props.count(s.id)}</span>
            </button>
          ))}
        </>
      ) : (
        <span>No open deals match the filters.</span>
      )}
      {props.won || props.lost ? (
        <span>
          Closed, not on the board: {[props.won ? `${props.won} won` : "", props.lost ? `${props.lost} lost` : ""].filter(Boolean).join(", ")}.
        </span>
      ) : null}
    </p>
  );
}

function OutcomeArea({ outcome }: { outcome: Outcome }) {
  const { setNodeRef, isOver } = useDroppable({ id: outcomeId(outcome) });
  const won = outcome === "won";
  return (
    <div
      ref={setNodeRef}
      data-testid={`drop-${outcome}`}
      className={cn(
        "flex h-16 items-center justify-center rounded-lg border-2 border-dashed text-sm font-semibold transition-colors",
        won ? "border-emerald-700 text-emerald-800 dark:text-emerald-300" : "border-destructive text-destructive",
        isOver && (won ? "bg-emerald-700 text-white dark:text-white" : "bg-destructive text-white"),
      )}
    >
      {won ? "Won" : "Lost"}
    </div>
  );
}

function BoardColumn(props: {
  stage: BoardStage;
  cards: BoardCard[];
  totals: ColumnTotals | undefined;
  filtered: boolean;
  nouns: { singular: string; plural: string };
  currency: string;
  memberName: Map<string, string>;
  iconId: string;
  loading: boolean;
  onMore: () => void;
}) {
  const { stage, cards } = props;
  const { setNodeRef, isOver } = useDroppable({ id: stage.id });
  const count = props.totals?.count ?? 0;
  const total = totalText(props.totals, props.currency);
  const headingId = `stage-${stage.id}`;
  const hidden = count - cards.length;
  const noMatches = props.filtered && count === 0;
  // Scrolling the column's end into view loads the next cards; the button does the same from the keyboard.
  const end = useRef<HTMLDivElement>(null);
  const { onMore, loading } = props;
  useEffect(() => {
    const el = end.current;
    if (!el || hidden <= 0 || loading) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore();
    }, { rootMargin: "200px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hidden, loading, onMore]);
  return (
    <section
      aria-labelledby={headingId}
      className={cn("flex shrink-0 flex-col rounded-lg border transition-[width]", noMatches ? "w-40 border-dashed bg-muted/20" : "w-72 bg-muted/40")}
      data-testid="kanban-column"
      data-stage={stage.name}
      data-stage-id={stage.id}
      data-no-matches={noMatches || undefined}
    >
      <header className="grid gap-0.5 border-b px-3 py-2">
        <div className="flex items-center gap-2">
          <h2 id={headingId} className="truncate text-sm font-semibold">
            {stage.name}
          </h2>
          {stage.restrictedTo.length ? (
            <span
              className="text-muted-foreground"
              title={`Only ${stage.restrictedTo.join(", ")}, admins and owners can move ${props.nouns.plural} into or out of this stage`}
            >
              <LockIcon className="size-3.5" aria-hidden />
              <span className="sr-only">Restricted stage{stage.allowed ? "" : `: you cannot move ${props.nouns.plural} here`}</span>
            </span>
          ) : null}
          <span className="ml-auto rounded-full bg-background px-2 text-xs tabular-nums text-muted-foreground" data-testid="column-count">
            {count}
            <span className="sr-only">{props.filtered ? ` matching ${count === 1 ? props.nouns.singular : props.nouns.plural}` : ` ${props.nouns.plural}`}</span>
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
            <SortableCard key={card.id} card={card} memberName={props.memberName} iconId={props.iconId} />
          ))}
          {!cards.length ? <li className="px-1 py-6 text-center text-xs text-muted-foreground">{props.filtered ? "No matches" : `No ${props.nouns.plural}`}</li> : null}
        </ol>
      </SortableContext>
      {hidden > 0 ? (
        <div ref={end} className="border-t px-3 py-1.5 text-center">
          <button type="button" onClick={onMore} disabled={loading} className="text-xs font-medium text-primary hover:underline disabled:opacity-60">
            {loading ? "Loading…" : `Show ${hidden} more`}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function SortableCard({ card, memberName, iconId }: { card: BoardCard; memberName: Map<string, string>; iconId: string }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: card.id });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      {...listeners}
      className={isDragging ? "touch-none opacity-40" : "touch-none"}
      data-testid="deal-card"
      data-deal={card.name}
    >
      <CardBody
        card={card}
        memberName={memberName}
        iconId={iconId}
        handle={
          <button ref={setActivatorNodeRef} type="button" {...attributes} aria-label={`Move ${card.name}`} data-handle>
            <Icon href={`#${iconId}-grip`} />
          </button>
        }
      />
    </li>
  );
}

function Icon({ href, className = "size-4" }: { href: string; className?: string }) {
  return (
    <svg aria-hidden className={className}>
      <use href={href} />
    </svg>
  );
}

// Cards are the bulk of a board's markup (hundreds of them): their styles
// are declared once here, for every card under the board, keyed by data
// attributes, instead of as class lists repeated on each card.
const CARD_STYLES = cn(
  "[&_[data-card]]:grid [&_[data-card]]:gap-1.5 [&_[data-card]]:rounded-md [&_[data-card]]:border [&_[data-card]]:bg-card [&_[data-card]]:p-2.5 [&_[data-card]]:text-card-foreground [&_[data-card]]:shadow-xs",
  "[&_[data-card][data-priority]]:border-amber-500 [&_[data-card][data-priority]]:border-l-4 [&_[data-card-number]]:mr-1.5 [&_[data-card-number]]:font-mono [&_[data-card-number]]:text-muted-foreground",
  "[&_[data-card-priority]]:rounded-md [&_[data-card-priority]]:bg-amber-100 [&_[data-card-priority]]:px-1.5 [&_[data-card-priority]]:py-0.5 [&_[data-card-priority]]:text-xs [&_[data-card-priority]]:font-medium [&_[data-card-priority]]:text-amber-900",
  "[&_[data-card]:focus-within]:ring-2 [&_[data-card]:focus-within]:ring-ring/60 [&_[data-card][data-overlay]]:rotate-1 [&_[data-card][data-overlay]]:shadow-lg",
  "[&_[data-card-head]]:flex [&_[data-card-head]]:items-start [&_[data-card-head]]:gap-1.5",
  "[&_[data-card-head]>svg]:-ml-1 [&_[data-card-head]>svg]:mt-0.5 [&_[data-card-head]>svg]:text-muted-foreground",
  "[&_[data-card-head]>a]:min-w-0 [&_[data-card-head]>a]:flex-1 [&_[data-card-head]>a]:text-sm [&_[data-card-head]>a]:leading-5 [&_[data-card-head]>a]:font-medium [&_[data-card-head]>a]:break-words [&_[data-card-head]>a:hover]:underline",
  "[&_[data-handle]]:-ml-1 [&_[data-handle]]:cursor-grab [&_[data-handle]]:rounded [&_[data-handle]]:p-0.5 [&_[data-handle]]:text-muted-foreground [&_[data-handle]]:outline-none [&_[data-handle]:hover]:bg-accent [&_[data-handle]:focus-visible]:ring-[3px] [&_[data-handle]:focus-visible]:ring-ring [&_[data-handle]:active]:cursor-grabbing",
  "[&_[data-card-who]]:truncate [&_[data-card-who]]:text-xs [&_[data-card-who]]:text-muted-foreground",
  "[&_[data-card-meta]]:flex [&_[data-card-meta]]:items-center [&_[data-card-meta]]:gap-2 [&_[data-card-meta]]:text-xs",
  "[&_[data-status]]:rounded-md [&_[data-status]]:px-2 [&_[data-status]]:py-0.5 [&_[data-status]]:text-xs [&_[data-status]]:font-medium [&_[data-status=won]]:bg-primary [&_[data-status=won]]:text-primary-foreground [&_[data-status=lost]]:bg-destructive [&_[data-status=lost]]:text-destructive-foreground",
  "[&_[data-owner]]:flex [&_[data-owner]]:size-6 [&_[data-owner]]:items-center [&_[data-owner]]:justify-center [&_[data-owner]]:rounded-full [&_[data-owner]]:bg-secondary [&_[data-owner]]:text-[10px] [&_[data-owner]]:font-semibold [&_[data-owner]]:text-secondary-foreground",
);

function CardBody(props: { card: BoardCard; memberName: Map<string, string>; iconId: string; handle?: React.ReactNode; overlay?: boolean }) {
  const { card } = props;
  const owner = card.ownerId ? props.memberName.get(card.ownerId) : undefined;
  const who = [card.companyName, card.personName].filter(Boolean).join(" · ");
  return (
    <div data-card data-overlay={props.overlay || undefined} data-priority={card.priority || undefined}>
      <div data-card-head>
        {props.handle ?? <Icon href={`#${props.iconId}-grip`} />}
        <Link href={`/deals/${card.id}`} draggable={false}>
          {card.number ? <span data-card-number>{formatDealNumber(card.number)}</span> : null}
          {card.name}
        </Link>
        {card.priority ? <span data-card-priority>Priority</span> : null}
        {card.status !== "open" ? <span data-status={card.status}>{card.status === "won" ? "Won" : "Lost"}</span> : null}
      </div>
      {who ? <p data-card-who>{who}</p> : null}
      <div data-card-meta>
        <span className="font-medium tabular-nums">{formatMoney(card.valueMinor, card.currency)}</span>
        {card.expectedCloseDate ? (
          <span className="flex items-center gap-1 text-muted-foreground" title="Expected close">
            <Icon href={`#${props.iconId}-calendar`} className="size-3" />
            <span className="sr-only">Expected close </span>
            {formatShortCalendarDate(card.expectedCloseDate)}
          </span>
        ) : null}
        <span className="ml-auto text-muted-foreground" title="Days in this stage">
          {`${card.daysInStage}d`}
          <span className="sr-only"> in stage</span>
        </span>
        {owner ? (
          <span data-owner title={`Owner: ${owner}`}>
            <span aria-hidden>{initials(owner)}</span>
            <span className="sr-only">Owner: {owner}</span>
          </span>
        ) : null}
      </div>
    </div>
  );
}
