"use client";

import { CheckIcon, XIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { findCompanies } from "../actions";

export interface CompanyOption {
  id: string;
  name: string;
}

/**
 * A company combobox: type to search the org's companies on the server (a
 * list of tens of thousands does not fit a select), arrows and Enter to pick.
 */
export function CompanyPicker(props: {
  id?: string;
  value: CompanyOption | null;
  onChange: (value: CompanyOption | null) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const listId = useId();
  const [query, setQuery] = useState(props.value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<(CompanyOption & { domain: string | null })[]>([]);
  const [active, setActive] = useState(0);
  const seq = useRef(0);

  useEffect(() => setQuery(props.value?.name ?? ""), [props.value]);

  useEffect(() => {
    if (!open) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      const result = await findCompanies(query === props.value?.name ? "" : query);
      if (n !== seq.current || !result.ok) return;
      setOptions(result.data);
      setActive(0);
    }, 150);
    return () => clearTimeout(timer);
  }, [query, open, props.value?.name]);

  function pick(o: CompanyOption | null) {
    props.onChange(o);
    setQuery(o?.name ?? "");
    setOpen(false);
  }

  return (
    <div className="relative">
      <div className="flex gap-1">
        <Input
          id={props.id}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-invalid={props.invalid || undefined}
          aria-describedby={props.describedBy}
          aria-activedescendant={open && options[active] ? `${listId}-${options[active].id}` : undefined}
          autoComplete="off"
          placeholder="Search companies…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setOpen(true);
              setActive((a) => Math.min(a + 1, options.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter" && open && options[active]) {
              e.preventDefault();
              pick(options[active]);
            } else if (e.key === "Escape") {
              setOpen(false);
              setQuery(props.value?.name ?? "");
            }
          }}
        />
        {props.value ? (
          <Button type="button" variant="ghost" size="icon" aria-label="Clear company" onClick={() => pick(null)}>
            <XIcon aria-hidden />
          </Button>
        ) : null}
      </div>
      {open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Companies"
          className="absolute z-50 mt-1 max-h-64 w-full overflow-auto rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
        >
          {options.length === 0 ? (
            <li className="px-2 py-1.5 text-sm text-muted-foreground" role="presentation">
              No companies found
            </li>
          ) : (
            options.map((o, i) => (
              <li
                key={o.id}
                id={`${listId}-${o.id}`}
                role="option"
                aria-selected={i === active}
                className={cn(
                  "flex cursor-default items-center justify-between gap-2 rounded-sm px-2 py-1.5 text-sm",
                  i === active && "bg-accent text-accent-foreground",
                )}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(o);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span>
                  {o.name}
                  {o.domain ? <span className="ml-2 text-xs text-muted-foreground">{o.domain}</span> : null}
                </span>
                {props.value?.id === o.id ? <CheckIcon className="size-4" aria-hidden /> : null}
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
