"use client";

import { CheckIcon, XIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

export interface ComboboxChoice {
  id: string;
  name: string;
}

export interface ComboboxOption extends ComboboxChoice {
  /** Shown after the name, e.g. a company's domain. */
  detail?: string | null;
}

/**
 * A list narrowed for the moment (a company's people), with an option that
 * widens it; the caller then drops the scope and searches everything.
 */
export interface ComboboxScope {
  label: string;
  emptyText: string;
  widenLabel: string;
  onWiden: () => void;
}

/**
 * An editable combobox over a server search (WAI-ARIA's list autocomplete
 * with automatic selection): typing highlights the first match, so Enter, or
 * Tab on the way to the next field, picks it; leaving with the box emptied
 * clears the choice. The clear button is for the mouse only, so Tab never
 * stops on it. Escape closes the list (and not the dialog around it).
 */
export function SearchCombobox(props: {
  id?: string;
  value: ComboboxChoice | null;
  onChange: (value: ComboboxChoice | null) => void;
  search: (term: string) => Promise<ComboboxOption[]>;
  placeholder: string;
  listLabel: string;
  emptyText: string;
  clearLabel: string;
  scope?: ComboboxScope;
  invalid?: boolean;
  "aria-invalid"?: boolean | "true" | "false";
  "aria-describedby"?: string;
}) {
  const { value, onChange, search, scope } = props;
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value?.name ?? "");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<{ term: string; search: typeof search; options: ComboboxOption[] } | null>(null);
  const [active, setActive] = useState(-1);
  // The box holds typing that is not the current choice.
  const edited = useRef(false);
  // Enter came before the search for what was typed answered.
  const enterPending = useRef(false);

  useEffect(() => {
    if (!edited.current) setText(value?.name ?? "");
  }, [value]);

  const fresh = found !== null && found.term === term && found.search === search;
  const options = found?.options ?? [];
  const itemCount = options.length + (scope ? 1 : 0);
  const widenIndex = scope ? options.length : -1;

  function choose(o: ComboboxChoice | null) {
    edited.current = false;
    enterPending.current = false;
    setText(o?.name ?? "");
    setOpen(false);
    if (o?.id !== value?.id) onChange(o);
  }

  const latest = useRef(choose);
  useEffect(() => {
    latest.current = choose;
  });

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = setTimeout(async () => {
      const options = await search(term);
      if (!live) return;
      setFound({ term, search, options });
      setActive(term.trim() && options.length > 0 ? 0 : -1);
      if (enterPending.current) {
        enterPending.current = false;
        if (options[0]) latest.current(options[0]);
      }
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, term, search]);

  // A dialog closes on Escape from a listener on the document; the window
  // hears it first, so an open list closes alone.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || document.activeElement !== input.current) return;
      e.stopPropagation();
      e.preventDefault();
      edited.current = false;
      enterPending.current = false;
      setText(value?.name ?? "");
      setOpen(false);
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [open, value]);

  function show() {
    setTerm(edited.current ? text : "");
    setOpen(true);
  }

  function takeActive() {
    if (scope && active === widenIndex) {
      scope.onWiden();
      return;
    }
    const o = options[active];
    if (o) choose(o);
    else if (!text.trim()) choose(null);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) show();
      else setActive((a) => Math.min(a + 1, itemCount - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      if (fresh || !edited.current) takeActive();
      else if (!text.trim()) choose(null);
      else enterPending.current = true;
    } else if (e.key === "Tab" && open && edited.current && fresh && options[active]) {
      choose(options[active]);
    }
  }

  function onBlur() {
    setOpen(false);
    enterPending.current = false;
    if (!edited.current) return;
    edited.current = false;
    if (!text.trim() && value) {
      setText("");
      onChange(null);
    } else setText(value?.name ?? "");
  }

  const listed = open && itemCount > 0;
  const optionId = (i: number) => `${listId}-${i}`;
  const message = !open || options.length > 0 ? null : !fresh ? "Searching…" : scope ? scope.emptyText : props.emptyText;

  return (
    <div className="relative">
      <div className="flex gap-1">
        <Input
          ref={input}
          id={props.id}
          role="combobox"
          aria-expanded={open}
          aria-controls={listed ? listId : undefined}
          aria-autocomplete="list"
          aria-invalid={props.invalid || props["aria-invalid"] || undefined}
          aria-describedby={props["aria-describedby"]}
          aria-activedescendant={listed && active >= 0 && active < itemCount ? optionId(active) : undefined}
          autoComplete="off"
          placeholder={props.placeholder}
          value={text}
          onChange={(e) => {
            edited.current = true;
            setText(e.target.value);
            setTerm(e.target.value);
            setOpen(true);
          }}
          onClick={() => {
            if (!open) show();
          }}
          onBlur={onBlur}
          onKeyDown={onKeyDown}
        />
        {value ? (
          <Button
            type="button"
            variant="ghost"
            size="icon"
            tabIndex={-1}
            aria-label={props.clearLabel}
            // Keeps focus in the box, whose blur would otherwise act first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              choose(null);
              input.current?.focus();
            }}
          >
            <XIcon aria-hidden />
          </Button>
        ) : null}
      </div>
      {open && (listed || message) ? (
        <div className="absolute z-50 mt-1 w-full rounded-md border bg-popover p-1 text-popover-foreground shadow-md">
          {message ? <p className="px-2 py-1.5 text-sm text-muted-foreground">{message}</p> : null}
          {listed ? (
            <ul id={listId} role="listbox" aria-label={scope ? scope.label : props.listLabel} className="max-h-64 overflow-auto">
              {options.map((o, i) => (
                <Option key={o.id} id={optionId(i)} active={i === active} onPick={() => choose(o)} onHover={() => setActive(i)}>
                  <span>
                    {o.name}
                    {o.detail ? <span className="ml-2 text-xs text-muted-foreground">{o.detail}</span> : null}
                  </span>
                  {value?.id === o.id ? <CheckIcon className="size-4" aria-hidden /> : null}
                </Option>
              ))}
              {scope ? (
                <Option
                  id={optionId(widenIndex)}
                  active={active === widenIndex}
                  onPick={scope.onWiden}
                  onHover={() => setActive(widenIndex)}
                  className="border-t text-muted-foreground"
                >
                  {scope.widenLabel}
                </Option>
              ) : null}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Option(props: {
  id: string;
  active: boolean;
  onPick: () => void;
  onHover: () => void;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <li
      id={props.id}
      role="option"
      aria-selected={props.active}
      className={cn(
        "flex cursor-default items-center justify-between gap-2 rounded-sm px-2 py-1.5 text-sm",
        props.className,
        props.active && "bg-accent text-accent-foreground",
      )}
      // Keeps focus in the box: the pick happens without a blur in between.
      onMouseDown={(e) => {
        e.preventDefault();
        props.onPick();
      }}
      onMouseEnter={props.onHover}
    >
      {props.children}
    </li>
  );
}
