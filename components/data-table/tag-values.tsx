"use client";

import { XIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

const SUGGEST_DEBOUNCE_MS = 150;

/**
 * The tags a tag filter matches: chosen ones as chips, and a box that
 * suggests the org's existing tags holding what is typed (a tag filter
 * matches whole tags, so a half-typed tag alone would find nothing). The
 * best suggestion is highlighted at once, so Enter takes it; arrows move,
 * Escape closes the suggestions, Backspace in an empty box drops the last
 * chip. The typed text itself (`text`) is the caller's, so applying the
 * filter can take a tag nobody picked.
 */
export function TagValuesInput(props: {
  id: string;
  values: string[];
  onValuesChange: (values: string[]) => void;
  text: string;
  onTextChange: (text: string) => void;
  suggest: (q: string) => Promise<string[]>;
  invalid?: boolean;
  describedBy?: string;
}) {
  const { values, text } = props;
  const listId = `${useId()}-suggestions`;
  const [open, setOpen] = useState(false);
  // Suggestions for the text they were found for: those for an older text are not offered.
  const [found, setFound] = useState<{ text: string; tags: string[] }>({ text: "", tags: [] });
  const [active, setActive] = useState(0);
  // The latest lookup, without asking again each time the parent renders a new function.
  const suggest = useRef(props.suggest);
  useEffect(() => {
    suggest.current = props.suggest;
  });

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = setTimeout(async () => {
      const tags = await suggest.current(text.trim());
      if (live) {
        setFound({ text, tags });
        setActive(0);
      }
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, text]);

  const options = found.text === text ? found.tags.filter((t) => !values.includes(t)) : [];
  const shown = open && options.length > 0;
  const optionId = (i: number) => `${listId}-${i}`;

  function add(tag: string) {
    const t = tag.trim();
    if (t && !values.includes(t)) props.onValuesChange([...values, t]);
    props.onTextChange("");
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) setOpen(true);
      else if (options.length) setActive((a) => (a + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
    } else if (e.key === "Enter" || e.key === ",") {
      // An empty box lets Enter apply the filter.
      if (e.key === "Enter" && !text.trim() && !shown) return;
      e.preventDefault();
      add(shown && e.key === "Enter" ? options[Math.min(active, options.length - 1)] : text);
    } else if (e.key === "Escape" && shown) {
      // Closes the suggestions, not the popover holding the filter.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === "Backspace" && !text && values.length) {
      props.onValuesChange(values.slice(0, -1));
    }
  }

  return (
    <div className="grid gap-1.5">
      {values.length ? (
        <ul className="flex flex-wrap gap-1" aria-label="Chosen tags">
          {values.map((v) => (
            <li key={v} className="inline-flex max-w-full items-center gap-0.5 rounded-md bg-secondary py-0.5 pr-0.5 pl-2 text-xs text-secondary-foreground">
              <span className="truncate">{v}</span>
              <button
                type="button"
                onClick={() => props.onValuesChange(values.filter((x) => x !== v))}
                aria-label={`Remove ${v}`}
                className="rounded-sm p-0.5 text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
              >
                <XIcon aria-hidden className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Input
        id={props.id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown ? optionId(Math.min(active, options.length - 1)) : undefined}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        placeholder="Type to find tags"
        autoComplete="off"
        maxLength={100}
        value={text}
        onChange={(e) => {
          props.onTextChange(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Matching tags"
        hidden={!shown}
        className="grid max-h-48 overflow-y-auto rounded-md border p-1"
      >
        {options.map((tag, i) => (
          <li
            key={tag}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // Keeps the focus in the box, so typing goes on after a pick.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => add(tag)}
            onMouseMove={() => setActive(i)}
            className={cn("cursor-default truncate rounded-sm px-2 py-1 text-sm", i === active && "bg-accent text-accent-foreground")}
          >
            {tag}
          </li>
        ))}
      </ul>
    </div>
  );
}
