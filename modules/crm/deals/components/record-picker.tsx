"use client";

import { CheckIcon, ChevronsUpDownIcon, XIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";
import { searchLinkableAction } from "../actions";

export interface Picked {
  id: string;
  name: string;
}

/** Picks one company or person by searching their names as you type. */
export function RecordPicker(props: {
  kind: "company" | "person";
  id?: string;
  value: Picked | null;
  onChange: (value: Picked | null) => void;
  invalid?: boolean;
  "aria-describedby"?: string;
}) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [results, setResults] = useState<Picked[]>([]);
  const noun = props.kind === "company" ? "company" : "person";

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = setTimeout(async () => {
      const found = await searchLinkableAction(props.kind, q);
      if (live) setResults(found);
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, q, props.kind]);

  return (
    <div className="flex gap-1">
      <Popover open={open} onOpenChange={setOpen}>
        <PopoverTrigger asChild>
          <Button
            id={props.id}
            type="button"
            variant="outline"
            role="combobox"
            aria-expanded={open}
            aria-invalid={props.invalid || undefined}
            aria-describedby={props["aria-describedby"]}
            className="flex-1 justify-between font-normal"
          >
            <span className={cn("truncate", !props.value && "text-muted-foreground")}>
              {props.value?.name || `Choose a ${noun}`}
            </span>
            <ChevronsUpDownIcon className="opacity-50" aria-hidden />
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-72 p-0" align="start">
          <Command shouldFilter={false}>
            <CommandInput value={q} onValueChange={setQ} placeholder={`Search ${props.kind === "company" ? "companies" : "people"}…`} />
            <CommandList>
              <CommandEmpty>No {props.kind === "company" ? "companies" : "people"} found.</CommandEmpty>
              <CommandGroup>
                {results.map((r) => (
                  <CommandItem
                    key={r.id}
                    value={r.id}
                    onSelect={() => {
                      props.onChange(r);
                      setOpen(false);
                    }}
                  >
                    <CheckIcon className={cn("size-4", props.value?.id === r.id ? "opacity-100" : "opacity-0")} aria-hidden />
                    {r.name}
                  </CommandItem>
                ))}
              </CommandGroup>
            </CommandList>
          </Command>
        </PopoverContent>
      </Popover>
      {props.value ? (
        <Button type="button" variant="ghost" size="icon" onClick={() => props.onChange(null)} aria-label={`Clear ${noun}`}>
          <XIcon aria-hidden />
        </Button>
      ) : null}
    </div>
  );
}
