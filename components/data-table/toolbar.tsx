"use client";

import { ArchiveIcon, Columns3Icon, DownloadIcon, ListFilterIcon, SearchIcon, XIcon } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
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

/** What the filter builder offers: the list's fields, its members and, for tag fields, the org's tags. */
interface FilterChoices {
  fields: ListField[];
  members: ListMember[];
  suggestTags?: (q: string) => Promise<string[]>;
}

/** The filter builder in a popover opened by `trigger`; it closes once the filter is applied. */
function FilterPopover(props: FilterChoices & { label: string; trigger: ReactNode; initial?: Filter; onApply: (f: Filter) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>{props.trigger}</PopoverTrigger>
      <PopoverContent align="start" className="w-80" aria-label={props.label}>
        {open ? (
          <FilterBuilder
            fields={props.fields}
            members={props.members}
            suggestTags={props.suggestTags}
            initial={props.initial}
            onApply={(f) => {
              setOpen(false);
              props.onApply(f);
            }}
          />
        ) : null}
      </PopoverContent>
    </Popover>
  );
}

export function FilterButton(props: FilterChoices & { onAdd: (f: Filter) => void }) {
  return (
    <FilterPopover
      fields={props.fields}
      members={props.members}
      suggestTags={props.suggestTags}
      label="Add filter"
      onApply={props.onAdd}
      trigger={
        <Button variant="outline" size="sm">
          <ListFilterIcon aria-hidden />
          Filter
        </Button>
      }
    />
  );
}

/** An applied filter: clicking it opens its builder, filled in, to change it. */
function FilterChip(props: FilterChoices & { filter: Filter; text: string; onChange: (f: Filter) => void; onRemove: () => void }) {
  return (
    <li className="inline-flex max-w-full items-center gap-1 rounded-md border bg-secondary py-0.5 pr-0.5 pl-2 text-xs text-secondary-foreground">
      <FilterPopover
        fields={props.fields}
        members={props.members}
        suggestTags={props.suggestTags}
        label="Edit filter"
        initial={props.filter}
        onApply={props.onChange}
        trigger={
          <button
            type="button"
            aria-label={`Edit filter: ${props.text}`}
            className="truncate rounded-sm outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            {props.text}
          </button>
        }
      />
      <button
        type="button"
        onClick={props.onRemove}
        aria-label={`Remove filter: ${props.text}`}
        className="rounded-sm p-0.5 text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <XIcon aria-hidden className="size-3.5" />
      </button>
    </li>
  );
}

export function FilterChips(
  props: FilterChoices & {
    filters: Filter[];
    onChange: (index: number, f: Filter) => void;
    onRemove: (index: number) => void;
    onClear: () => void;
  },
) {
  const zone = useTimeZone();
  if (!props.filters.length) return null;
  return (
    <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters">
      {props.filters.map((f, i) => (
        <FilterChip
          key={`${i}-${f.field}-${f.op}`}
          filter={f}
          text={describeFilter(
            f,
            props.fields.find((x) => x.key === f.field),
            props.members,
            zone,
          )}
          fields={props.fields}
          members={props.members}
          suggestTags={props.suggestTags}
          onChange={(next) => props.onChange(i, next)}
          onRemove={() => props.onRemove(i)}
        />
      ))}
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
