"use client";

import { ArchiveIcon, Columns3Icon, DownloadIcon, ListFilterIcon, SearchIcon, XIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { useTimeZone } from "@/components/time-zone";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";
import { type ListField, visibleColumns } from "@/modules/crm/lists/ui";
import type { Filter } from "@/modules/crm/lists/ui";
import { FilterBuilder } from "./filter-builder";
import { describeFilter } from "./format";
import type { ListMember } from "./types";

const SEARCH_DEBOUNCE_MS = 300;

/** Quick search; typing settles for a moment before the URL (and the list) follows. */
export function SearchBox(props: { value: string; label: string; placeholder?: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(props.value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { onSearch } = props;

  // A view applied or the back button changes q from outside.
  useEffect(() => setText(props.value), [props.value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  function change(next: string) {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (next.trim() !== props.value) onSearch(next.trim());
    }, SEARCH_DEBOUNCE_MS);
  }

  return (
    <div className="relative w-full sm:w-72">
      <label htmlFor={id} className="sr-only">
        {props.label}
      </label>
      <SearchIcon aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input
        id={id}
        type="search"
        placeholder={props.placeholder ?? props.label}
        className="h-8 pl-8"
        value={text}
        maxLength={200}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            clearTimeout(timer.current);
            onSearch(text.trim());
          }
        }}
      />
    </div>
  );
}

export function FilterButton(props: { fields: ListField[]; members: ListMember[]; onAdd: (f: Filter) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm">
          <ListFilterIcon aria-hidden />
          Filter
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start" className="w-80" aria-label="Add filter">
        {open ? (
          <FilterBuilder
            fields={props.fields}
            members={props.members}
            onApply={(f) => {
              setOpen(false);
              props.onAdd(f);
            }}
          />
        ) : null}
      </PopoverContent>
    </Popover>
  );
}

export function FilterChips(props: {
  filters: Filter[];
  fields: ListField[];
  members: ListMember[];
  onRemove: (index: number) => void;
  onClear: () => void;
}) {
  const zone = useTimeZone();
  if (!props.filters.length) return null;
  return (
    <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters">
      {props.filters.map((f, i) => {
        const text = describeFilter(
          f,
          props.fields.find((x) => x.key === f.field),
          props.members,
          zone,
        );
        return (
          <li
            key={`${i}-${f.field}-${f.op}`}
            className="inline-flex max-w-full items-center gap-1 rounded-md border bg-secondary py-0.5 pr-0.5 pl-2 text-xs text-secondary-foreground"
          >
            <span className="truncate">{text}</span>
            <button
              type="button"
              onClick={() => props.onRemove(i)}
              aria-label={`Remove filter: ${text}`}
              className="rounded-sm p-0.5 text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              <XIcon aria-hidden className="size-3.5" />
            </button>
          </li>
        );
      })}
      <li>
        <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={props.onClear}>
          Clear filters
        </Button>
      </li>
    </ul>
  );
}

/** Which columns show, in field order; kept in the URL as `cols`. */
export function ColumnChooser(props: { fields: ListField[]; columns?: string[]; onChange: (cols: string[] | undefined) => void }) {
  const shown = visibleColumns(props.fields, props.columns).map((f) => f.key);
  function toggle(key: string, on: boolean) {
    const next = on ? [...shown, key] : shown.filter((k) => k !== key);
    if (!next.length) return;
    // Keep the chosen order; a newly shown column goes where it sits among the fields.
    const order = new Map(props.fields.map((f, i) => [f.key, i]));
    const kept = shown.filter((k) => next.includes(k));
    const added = next.filter((k) => !shown.includes(k));
    const merged = [...kept];
    for (const k of added) {
      const at = merged.findIndex((m) => (order.get(m) ?? 0) > (order.get(k) ?? 0));
      if (at < 0) merged.push(k);
      else merged.splice(at, 0, k);
    }
    props.onChange(merged);
  }
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3Icon aria-hidden />
          Columns
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="max-h-80 w-56">
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        {props.fields.map((f) => (
          <DropdownMenuCheckboxItem
            key={f.key}
            checked={shown.includes(f.key)}
            disabled={shown.length === 1 && shown.includes(f.key)}
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(on) => toggle(f.key, on === true)}
          >
            {f.label}
          </DropdownMenuCheckboxItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => props.onChange(undefined)}>Reset to default</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export function ArchivedToggle(props: { archived: boolean; onToggle: () => void }) {
  return (
    <Button
      variant="outline"
      size="sm"
      aria-pressed={props.archived}
      onClick={props.onToggle}
      className={cn(props.archived && "border-primary bg-accent text-accent-foreground")}
    >
      <ArchiveIcon aria-hidden />
      Show archived
    </Button>
  );
}

export function ExportButton(props: { href: string }) {
  return (
    <Button variant="outline" size="sm" asChild>
      <a href={props.href} download>
        <DownloadIcon aria-hidden />
        Export
      </a>
    </Button>
  );
}
