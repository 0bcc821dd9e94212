"use client";

import {
  type CellContext,
  type ColumnDef,
  flexRender,
  type HeaderContext,
  getCoreRowModel,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import { AlertCircleIcon, ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, ChevronRightIcon, RotateCcwIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { type ListField, visibleColumns } from "@/modules/crm/lists/fields";
import { COUNT_CAP, type ListState, serializeListState } from "@/modules/crm/lists/state";
import { cn } from "@/lib/utils";
import { BulkBar } from "./bulk-bar";
import { CellContent } from "./cells";
import { cellValue, OBJECT_LABELS, rowTitle } from "./format";
import { canEditInline, EditableCell } from "./inline-edit";
import { ArchivedToggle, ColumnChooser, ExportButton, FilterButton, FilterChips, SearchBox } from "./toolbar";
import type { InlineEditAction, ListMember, ListRow, RecordListProps } from "./types";
import { listHref, useListNavigation } from "./use-list-navigation";
import { ViewsMenu } from "./views-menu";

export type { RecordListProps } from "./types";

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

function exportHref(objectType: string, state: ListState, ids?: string[]) {
  const params = serializeListState({ ...state, after: undefined, view: undefined });
  if (ids?.length) params.set("ids", ids.join(","));
  const qs = params.toString();
  return `/api/crm/export/${objectType}${qs ? `?${qs}` : ""}`;
}

// Cell and header renderers live at module level: TanStack renders them as
// components, so a new function per render would remount every cell (and
// drop an open inline editor) whenever the page refreshes its props.
interface ListTableMeta {
  fields: ListField[];
  members: ListMember[];
  defaultCurrency?: string;
  detailBasePath: string;
  untitled: string;
  inlineEdit?: InlineEditAction;
  refresh: () => void;
}

interface FieldColumnMeta {
  field: ListField;
  first: boolean;
}

function SelectAllHeader({ table }: HeaderContext<ListRow, unknown>) {
  return (
    <Checkbox
      aria-label="Select all on this page"
      checked={table.getIsAllRowsSelected() ? true : table.getIsSomeRowsSelected() ? "indeterminate" : false}
      onCheckedChange={(on) => table.toggleAllRowsSelected(on === true)}
    />
  );
}

function SelectRowCell({ row, table }: CellContext<ListRow, unknown>) {
  const meta = table.options.meta as ListTableMeta;
  return (
    <Checkbox
      aria-label={`Select ${rowTitle(row.original, meta.fields)}`}
      checked={row.getIsSelected()}
      onCheckedChange={(on) => row.toggleSelected(on === true)}
    />
  );
}

function FieldCell({ row, column, table, getValue }: CellContext<ListRow, unknown>) {
  const meta = table.options.meta as ListTableMeta;
  const { field, first } = column.columnDef.meta as FieldColumnMeta;
  const value = getValue();
  const render = (v: unknown, f: ListField = field) => (
    <CellContent field={f} value={v} row={row.original} members={meta.members} defaultCurrency={meta.defaultCurrency} />
  );
  if (first) {
    // The cell is already a link: email, phone and URL values show as text inside it.
    const plain = ["email", "phone", "url"].includes(field.type) ? { ...field, type: "text" as const } : field;
    return (
      <Link
        href={`${meta.detailBasePath}/${row.original.id}`}
        className="font-medium text-foreground underline-offset-4 hover:underline focus-visible:underline"
      >
        {value === null || value === undefined || value === "" ? (
          <span className="text-muted-foreground">{meta.untitled}</span>
        ) : (
          render(value, plain)
        )}
      </Link>
    );
  }
  if (meta.inlineEdit && canEditInline(field, meta.inlineEdit)) {
    return (
      <EditableCell
        field={field}
        rowId={row.original.id}
        rowTitle={rowTitle(row.original, meta.fields)}
        value={value}
        members={meta.members}
        action={meta.inlineEdit}
        onSaved={meta.refresh}
      >
        {(v) => render(v)}
      </EditableCell>
    );
  }
  return render(value);
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
  const [selection, setSelection] = useState<RowSelectionState>({});

  // A new page, a new filter or a finished bulk action brings new rows; a selection of old ones would mislead.
  useEffect(() => setSelection({}), [rows]);

  const shown = useMemo(() => visibleColumns(fields, state.columns), [fields, state.columns]);

  const columns = useMemo<ColumnDef<ListRow>[]>(
    () => [
      { id: "__select", header: SelectAllHeader, cell: SelectRowCell },
      ...shown.map<ColumnDef<ListRow>>((field, index) => ({
        id: field.key,
        accessorFn: (row) => cellValue(row, field.key),
        header: field.label,
        cell: FieldCell,
        meta: { field, first: index === 0 } satisfies FieldColumnMeta,
      })),
    ],
    [shown],
  );

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    enableRowSelection: true,
    state: {
      rowSelection: selection,
      sorting: [{ id: state.sort.field, desc: state.sort.dir === "desc" }],
    },
    onRowSelectionChange: setSelection,
    meta: {
      fields,
      members,
      defaultCurrency: props.defaultCurrency,
      detailBasePath: props.detailBasePath,
      untitled: `Untitled ${labels.one}`,
      inlineEdit: props.inlineEdit,
      refresh: nav.refresh,
    } satisfies ListTableMeta,
  });

  const selectedIds = rows.filter((r) => selection[r.id]).map((r) => r.id);
  const searching = !!state.q || state.filters.length > 0;
  const firstPage = !state.after;
  const fieldByKey = new Map(fields.map((f) => [f.key, f]));

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
          value={state.q ?? ""}
          onSearch={(q) => nav.update({ q: q || undefined }, { replace: true })}
        />
        <FilterButton fields={fields} members={members} onAdd={(f) => nav.update({ filters: [...state.filters, f] })} />
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
        <div className={cn("rounded-md border transition-opacity", nav.pending && "opacity-60")} aria-busy={nav.pending}>
          <Table>
            <caption className="sr-only">
              {capitalize(labels.many)}
              {state.archived ? " (archived)" : ""}
            </caption>
            <TableHeader>
              {table.getHeaderGroups().map((group) => (
                <TableRow key={group.id} className="hover:bg-transparent">
                  {group.headers.map((header) => {
                    const field = fieldByKey.get(header.column.id);
                    const sorted = state.sort.field === header.column.id;
                    return (
                      <TableHead
                        key={header.id}
                        scope="col"
                        className={cn(header.column.id === "__select" && "w-10", field?.align === "right" && "text-right")}
                        aria-sort={field?.sortable ? (sorted ? (state.sort.dir === "asc" ? "ascending" : "descending") : "none") : undefined}
                      >
                        {field?.sortable ? (
                          <SortButton field={field} state={state} onSort={(dir) => nav.update({ sort: { field: field.key, dir } })} />
                        ) : (
                          flexRender(header.column.columnDef.header, header.getContext())
                        )}
                      </TableHead>
                    );
                  })}
                </TableRow>
              ))}
            </TableHeader>
            <TableBody>
              {table.getRowModel().rows.map((row) => (
                <TableRow key={row.id} data-state={row.getIsSelected() ? "selected" : undefined}>
                  {row.getVisibleCells().map((cell) => {
                    const field = fieldByKey.get(cell.column.id);
                    return (
                      <TableCell
                        key={cell.id}
                        className={cn(
                          "max-w-72",
                          field?.align === "right" && "text-right",
                          field?.align === "center" && "text-center",
                          cell.column.id !== "__select" && "truncate",
                        )}
                      >
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
              {rows.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={shown.length + 1} className="py-8 text-center text-muted-foreground">
                    No more {labels.many}.
                  </TableCell>
                </TableRow>
              ) : null}
            </TableBody>
          </Table>
        </div>
      )}

      {rows.length > 0 || !firstPage ? (
        <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label="Pages">
          <p className="text-muted-foreground" aria-live="polite">
            Showing {rows.length.toLocaleString()}
            {props.total !== undefined
              ? ` of ${props.total > COUNT_CAP ? `${COUNT_CAP.toLocaleString()}+` : props.total.toLocaleString()}`
              : ""} {rows.length === 1 && props.total === undefined ? labels.one : labels.many}
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
