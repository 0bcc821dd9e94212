"use client";

import { AlertCircleIcon, ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, ChevronRightIcon, RotateCcwIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Suspense, use, useEffect, useMemo, useRef, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { useClickToCall } from "@/modules/calls/ui";
import { COUNT_CAP, type FieldType, type ListField, type ListState, serializeListState, suggestTagsAction, visibleColumns } from "@/modules/crm/lists/ui";
import { BulkBar } from "./bulk-bar";
import { cellContent } from "./cells";
import { cellValue, OBJECT_LABELS, rowTitle } from "./format";
import { canEditInline, type InlineEdit, InlineEditor, useInlineEdit } from "./inline-edit";
import styles from "./record-list.module.css";
import { ArchivedToggle, ColumnChooser, ExportButton, FilterButton, FilterChips, SearchBox } from "./toolbar";
import type { ListMember, ListRow, RecordListProps } from "./types";
import { listHref, useListNavigation } from "./use-list-navigation";
import { ViewsMenu } from "./views-menu";

export type { RecordListProps } from "./types";

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Types of long text, whose columns share the room left and cut their values short (see record-list.module.css). */
const FLUID_TYPES: readonly FieldType[] = ["text", "email", "url", "relation", "tags", "multi_select"];

function exportHref(objectType: string, state: ListState, ids?: string[]) {
  const params = serializeListState({ ...state, after: undefined, view: undefined });
  if (ids?.length) params.set("ids", ids.join(","));
  const qs = params.toString();
  return `/api/crm/export/${objectType}${qs ? `?${qs}` : ""}`;
}

interface CellProps {
  row: ListRow;
  field: ListField;
  first: boolean;
  members: ListMember[];
  defaultCurrency?: string;
  detailBasePath: string;
  untitled: string;
  edit?: InlineEdit;
  title: string;
  /** Phone values get a click-to-call button. */
  callable: boolean;
}

// A page holds hundreds of cells: their styles are declared here once, for
// the whole table, instead of as class lists repeated on every cell. The
// pencil of the edit buttons and the dash of empty cells are drawn by CSS.
const TABLE_STYLES = cn(
  styles.table,
  "[&_tbody_tr]:border-b [&_tbody_tr]:transition-colors [&_tbody_tr:last-child]:border-0 [&_tbody_tr:hover]:bg-muted/50 [&_tbody_tr[data-selected]]:bg-muted",
  "[&_tbody_tr[data-highlight]]:bg-amber-50 [&_tbody_tr[data-highlight]:hover]:bg-amber-100 dark:[&_tbody_tr[data-highlight]]:bg-amber-950/40 [&_tbody_tr[data-highlight]>td:first-child]:shadow-[inset_3px_0_0_var(--color-amber-500)]",
  "[&_td]:max-w-72 [&_td]:p-2 [&_td]:align-middle [&_td]:whitespace-nowrap [&_td+td]:truncate [&_td:first-child]:w-10 [&_td:first-child]:pr-0",
  "[&_td_a]:underline-offset-4 [&_td_a:hover]:underline [&_td_a:focus-visible]:underline",
  "[&_input[type=checkbox]]:size-4 [&_input[type=checkbox]]:accent-primary [&_input[type=checkbox]]:align-middle",
  "[&_[data-cell]]:flex [&_[data-cell]]:min-h-8 [&_[data-cell]]:items-center [&_[data-cell]]:gap-1",
  "[&_[data-cell]>:first-child]:min-w-0 [&_[data-cell]>:first-child]:truncate",
  "[&_[data-edit]]:ml-auto [&_[data-edit]]:shrink-0 [&_[data-edit]]:rounded-sm [&_[data-edit]]:p-1 [&_[data-edit]]:text-muted-foreground [&_[data-edit]]:opacity-0 [&_[data-edit]]:outline-none",
  "[&_[data-call]]:shrink-0 [&_[data-call]]:rounded-sm [&_[data-call]]:p-1 [&_[data-call]]:text-muted-foreground [&_[data-call]]:outline-none [&_[data-call]:hover]:bg-accent [&_[data-call]:hover]:text-accent-foreground [&_[data-call]:focus-visible]:ring-[3px] [&_[data-call]:focus-visible]:ring-ring/50 [&_[data-call]:disabled]:opacity-50",
  "[&_td:hover_[data-edit]]:opacity-100 [&_[data-edit]:focus-visible]:opacity-100 [&_[data-edit]:hover]:bg-accent [&_[data-edit]:hover]:text-accent-foreground [&_[data-edit]:focus-visible]:ring-[3px] [&_[data-edit]:focus-visible]:ring-ring/50",
  "[&_[data-tag]]:rounded-md [&_[data-tag]]:bg-secondary [&_[data-tag]]:px-2 [&_[data-tag]]:py-0.5 [&_[data-tag]]:text-xs [&_[data-tag]]:font-medium [&_[data-tag]]:text-secondary-foreground",
);

/**
 * One cell: plain markup from a function, not a component (the open inline
 * editor is the only stateful cell). Clicks are handled once for the table.
 */
function fieldCell(props: CellProps) {
  const { row, field, edit } = props;
  const value = cellValue(row, field.key);
  const render = (v: unknown, f: ListField = field) =>
    cellContent({ field: f, value: v, row, members: props.members, defaultCurrency: props.defaultCurrency });
  if (props.first) {
    // The cell is already a link: email, phone and URL values show as text inside it.
    const plain = ["email", "phone", "url"].includes(field.type) ? { ...field, type: "text" as const } : field;
    return (
      <a href={`${props.detailBasePath}/${row.id}`} className="font-medium">
        {value === null || value === undefined || value === "" ? <span className="text-muted-foreground">{props.untitled}</span> : render(value, plain)}
      </a>
    );
  }
  const shownValue = edit ? edit.valueOf(row.id, field.key, value) : value;
  // The number as saved: a cell edited a moment ago calls its new number.
  const call =
    props.callable && field.type === "phone" && typeof shownValue === "string" && shownValue ? (
      <button type="button" data-call={shownValue} aria-label={`Call ${props.title} at ${shownValue}`} title={`Call ${shownValue}`} />
    ) : null;
  if (!edit) return call ? <div data-cell>{render(value)}{call}</div> : render(value);
  if (edit.editing && edit.isEditing(row.id, field.key)) {
    return (
      <InlineEditor
        key={edit.editing.attempt}
        editing={edit.editing}
        original={value}
        members={props.members}
        onSave={edit.save}
        onCancel={edit.close}
      />
    );
  }
  return (
    <div data-cell>
      {render(shownValue)}
      {call}
      <button type="button" data-edit={field.key} aria-label={`Edit ${field.label} of ${props.title}`} />
    </div>
  );
}

/** A plain left click on a link to a page of the app (not a new tab, download or mail link). */
function appLink(e: React.MouseEvent): HTMLAnchorElement | null {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.defaultPrevented) return null;
  const a = (e.target as Element).closest("a[href]");
  if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute("download")) return null;
  const href = a.getAttribute("href") ?? "";
  return href.startsWith("/") && !href.startsWith("//") ? a : null;
}

/** "Showing 50 of 1,000+ people". */
function showing(shown: number, total: number | undefined, labels: { one: string; many: string }): string {
  const of = total === undefined ? "" : ` of ${total > COUNT_CAP ? `${COUNT_CAP.toLocaleString()}+` : total.toLocaleString()}`;
  return `Showing ${shown.toLocaleString()}${of} ${shown === 1 && total === undefined ? labels.one : labels.many}`;
}

/** The count as it arrives (the rows are on screen before it). */
function Showing(props: { shown: number; total: Promise<number | undefined>; labels: { one: string; many: string } }) {
  return showing(props.shown, use(props.total), props.labels);
}

function SortButton(props: { field: ListField; state: ListState; onSort: (dir: "asc" | "desc") => void }) {
  const active = props.state.sort.field === props.field.key ? props.state.sort.dir : null;
  const Icon = active === "asc" ? ArrowUpIcon : active === "desc" ? ArrowDownIcon : ArrowUpDownIcon;
  return (
    <button
      type="button"
      onClick={() => props.onSort(active === "asc" ? "desc" : "asc")}
      className={cn(
        "-mx-1 inline-flex items-center gap-1 rounded-sm px-1 py-0.5 outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
        active && "text-foreground",
        props.field.align === "right" && "flex-row-reverse",
      )}
    >
      {props.field.label}
      <Icon aria-hidden className={cn("size-3.5", !active && "opacity-40")} />
    </button>
  );
}

/**
 * A server-driven record list: search, filters, sort, columns, saved views,
 * keyset pages, selection with bulk actions and inline edit. Every list
 * setting lives in the URL (see modules/crm/lists/state.ts), so a reload or a
 * shared link shows the same list.
 */
export function RecordList(props: RecordListProps) {
  const { fields, rows, state, members } = props;
  const labels = OBJECT_LABELS[props.objectType];
  const nav = useListNavigation(props.basePath, state);
  const [selection, setSelection] = useState<Readonly<Record<string, boolean>>>({});
  const edit = useInlineEdit({ action: props.inlineEdit, rows, onSaved: nav.refresh });
  const router = useRouter();
  const dial = useClickToCall();
  // The row whose box was clicked last: a Shift-click selects (or clears) the rows from it to the clicked one.
  const anchor = useRef<number | null>(null);
  const suggestTags = async (q: string) => {
    const r = await suggestTagsAction({ objectType: props.objectType, q });
    return r.ok ? r.data : [];
  };

  // A new page, a new filter or a finished bulk action brings new rows; a selection of old ones would mislead.
  useEffect(() => {
    setSelection({});
    anchor.current = null;
  }, [rows]);

  function selectRow(index: number, on: boolean, range: boolean) {
    const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
    const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
    const ids = rows.slice(from, to + 1).map((r) => r.id);
    setSelection((s) => ({ ...s, ...Object.fromEntries(ids.map((id) => [id, on])) }));
    anchor.current = index;
  }

  const shown = useMemo(() => visibleColumns(fields, state.columns), [fields, state.columns]);
  const editable = useMemo(() => new Set(shown.filter((f) => canEditInline(f, props.inlineEdit)).map((f) => f.key)), [shown, props.inlineEdit]);

  const selectedIds = rows.filter((r) => selection[r.id]).map((r) => r.id);
  const allSelected = rows.length > 0 && selectedIds.length === rows.length;
  const someSelected = selectedIds.length > 0 && !allSelected;
  const searching = !!state.q || state.filters.length > 0;
  const firstPage = !state.after;
  const untitled = `Untitled ${labels.one}`;

  // Links to records navigate in the app and edit buttons open their cell's
  // editor, from one listener for the whole table.
  const onTableClick = (e: React.MouseEvent) => {
    const link = appLink(e);
    if (link) {
      e.preventDefault();
      router.push(link.getAttribute("href")!);
      return;
    }
    const callButton = (e.target as Element).closest("button[data-call]");
    const rowId = callButton?.closest("tr")?.dataset.row;
    if (callButton && rowId && (props.objectType === "person" || props.objectType === "lead")) {
      dial.call({ type: props.objectType, id: rowId }, callButton.getAttribute("data-call") ?? undefined);
      return;
    }
    const button = (e.target as Element).closest("button[data-edit]");
    if (button) openCell(button);
  };
  // A Shift-click on a box would also select the page's text between the two clicks.
  const onTableMouseDown = (e: React.MouseEvent) => {
    if (e.shiftKey && (e.target as Element).matches("input[type=checkbox]")) e.preventDefault();
  };
  const onTableDoubleClick = (e: React.MouseEvent) => {
    const button = (e.target as Element).closest("[data-cell]")?.querySelector("button[data-edit]");
    if (button) openCell(button);
  };
  function openCell(button: Element) {
    const row = rows.find((r) => r.id === button.closest("tr")?.dataset.row);
    const field = shown.find((f) => f.key === button.getAttribute("data-edit"));
    if (!row || !field || !editable.has(field.key)) return;
    edit.open(row.id, field, rowTitle(row, fields), edit.valueOf(row.id, field.key, cellValue(row, field.key)));
  }

  return (
    <div className="grid min-w-0 grid-cols-1 gap-3">
      {props.stateError ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden />
          <AlertTitle>Part of this list&apos;s settings could not be used</AlertTitle>
          <AlertDescription>
            <p>{props.stateError}</p>
            <Link href={props.basePath} className="underline underline-offset-4">
              Reset the list
            </Link>
          </AlertDescription>
        </Alert>
      ) : null}

      <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label={`${labels.many} list controls`}>
        <SearchBox
          label={`Search ${labels.many}`}
          placeholder={props.searchPlaceholder}
          value={state.q ?? ""}
          onSearch={(q) => nav.update({ q: q || undefined }, { replace: true })}
        />
        <FilterButton
          fields={fields}
          members={members}
          suggestTags={suggestTags}
          onAdd={(f) => nav.update({ filters: [...state.filters, f] })}
        />
        <ViewsMenu
          objectType={props.objectType}
          views={props.views}
          state={state}
          onApply={(view) =>
            view
              ? nav.go({ ...view.state, filters: view.state.filters ?? [], view: view.id })
              : nav.go({ ...state, after: undefined, view: undefined })
          }
          onSaved={(id) => nav.go({ ...state, after: undefined, view: id })}
          onChanged={nav.refresh}
        />
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <ArchivedToggle archived={!!state.archived} onToggle={() => nav.update({ archived: !state.archived || undefined })} />
          <ColumnChooser fields={fields} columns={state.columns} onChange={(columns) => nav.go({ ...state, columns })} />
          {props.canExport ? <ExportButton href={exportHref(props.objectType, state)} /> : null}
        </div>
      </div>

      <FilterChips
        filters={state.filters}
        fields={fields}
        members={members}
        suggestTags={suggestTags}
        onChange={(i, f) => nav.update({ filters: state.filters.map((g, j) => (j === i ? f : g)) })}
        onRemove={(i) => nav.update({ filters: state.filters.filter((_, j) => j !== i) })}
        onClear={() => nav.update({ filters: [], q: undefined })}
      />

      {selectedIds.length && props.bulk ? (
        <BulkBar
          ids={selectedIds}
          labels={labels}
          bulk={props.bulk}
          members={members}
          archived={!!state.archived}
          canDelete={props.canDelete}
          exportHref={props.canExport ? exportHref(props.objectType, state, selectedIds) : null}
          onDone={nav.refresh}
          onClear={() => setSelection({})}
        />
      ) : null}

      {rows.length === 0 && firstPage ? (
        <div className="rounded-md border border-dashed px-6 py-12 text-center">
          {!searching && !state.archived ? (
            (props.emptyState ?? (
              <div className="grid gap-1">
                <p className="font-medium">No {labels.many} yet</p>
                <p className="text-sm text-muted-foreground">{capitalize(labels.many)} you add show up here.</p>
              </div>
            ))
          ) : !searching ? (
            <div className="grid justify-items-center gap-3">
              <p className="font-medium">No archived {labels.many}</p>
              <Button variant="outline" size="sm" onClick={() => nav.update({ archived: undefined })}>
                Show active {labels.many}
              </Button>
            </div>
          ) : (
            <div className="grid justify-items-center gap-3">
              <div className="grid gap-1">
                <p className="font-medium">No {labels.many} match your search and filters</p>
                <p className="text-sm text-muted-foreground">Try fewer filters or another search.</p>
              </div>
              <Button variant="outline" size="sm" onClick={() => nav.update({ filters: [], q: undefined })}>
                Clear filters
              </Button>
            </div>
          )}
        </div>
      ) : (
        <div
          ref={edit.container}
          className={cn("rounded-md border transition-opacity", nav.pending && "opacity-60")}
          aria-busy={nav.pending}
        >
          <Table className={TABLE_STYLES} onClick={onTableClick} onMouseDown={onTableMouseDown} onDoubleClick={onTableDoubleClick}>
            <caption className="sr-only">
              {capitalize(labels.many)}
              {state.archived ? " (archived)" : ""}
            </caption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead scope="col" className="w-10">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    className="size-4 align-middle accent-primary"
                    checked={allSelected}
                    ref={(el) => {
                      if (el) el.indeterminate = someSelected;
                    }}
                    onChange={(e) => setSelection(e.target.checked ? Object.fromEntries(rows.map((r) => [r.id, true])) : {})}
                  />
                </TableHead>
                {shown.map((field) => {
                  const sorted = state.sort.field === field.key;
                  return (
                    <TableHead
                      key={field.key}
                      scope="col"
                      data-fluid={FLUID_TYPES.includes(field.type) || undefined}
                      className={cn(field.align === "right" && "text-right")}
                      aria-sort={field.sortable ? (sorted ? (state.sort.dir === "asc" ? "ascending" : "descending") : "none") : undefined}
                    >
                      {field.sortable ? (
                        <SortButton field={field} state={state} onSort={(dir) => nav.update({ sort: { field: field.key, dir } })} />
                      ) : (
                        field.label
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            </TableHeader>
            <tbody>
              {rows.map((row, rowIndex) => {
                const title = rowTitle(row, fields);
                const selected = !!selection[row.id];
                return (
                  <tr
                    key={row.id}
                    data-row={row.id}
                    data-selected={selected || undefined}
                    data-highlight={(props.highlightKey && String(row[props.highlightKey]) === "true") || undefined}
                  >
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${title}`}
                        checked={selected}
                        onChange={(e) => selectRow(rowIndex, e.target.checked, (e.nativeEvent as MouseEvent).shiftKey === true)}
                      />
                    </td>
                    {shown.map((field, index) => (
                      <td
                        key={field.key}
                        data-label={field.label}
                        data-fluid={FLUID_TYPES.includes(field.type) || undefined}
                        className={field.align === "right" ? "text-right" : field.align === "center" ? "text-center" : undefined}
                      >
                        {fieldCell({
                          row,
                          field,
                          first: index === 0,
                          title,
                          members,
                          defaultCurrency: props.defaultCurrency,
                          detailBasePath: props.detailBasePath,
                          untitled,
                          edit: editable.has(field.key) ? edit : undefined,
                          callable: !!props.callable,
                        })}
                      </td>
                    ))}
                  </tr>
                );
              })}
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={shown.length + 1} className="py-8 text-center text-muted-foreground">
                    No more {labels.many}.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </Table>
        </div>
      )}

      {rows.length > 0 || !firstPage ? (
        <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label="Pages">
          <p className="text-muted-foreground" aria-live="polite">
            {typeof props.total === "object" ? (
              <Suspense fallback={showing(rows.length, undefined, labels)}>
                <Showing shown={rows.length} total={props.total} labels={labels} />
              </Suspense>
            ) : (
              showing(rows.length, props.total, labels)
            )}
          </p>
          <div className="flex items-center gap-2">
            {!firstPage ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={listHref(props.basePath, { ...state, after: undefined })} scroll={false}>
                  <RotateCcwIcon aria-hidden />
                  First page
                </Link>
              </Button>
            ) : null}
            {props.nextCursor ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={listHref(props.basePath, { ...state, after: props.nextCursor })} scroll={false}>
                  Next page
                  <ChevronRightIcon aria-hidden />
                </Link>
              </Button>
            ) : !firstPage ? (
              <Button variant="outline" size="sm" disabled>
                Next page
                <ChevronRightIcon aria-hidden />
              </Button>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
