"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { Building2Icon, HandshakeIcon, InboxIcon, Loader2Icon, SearchIcon, UserIcon, type LucideIcon } from "lucide-react";
import { navFor } from "@/components/app-shell/nav";
import { usePipelineNav } from "@/components/app-shell/pipeline-nav";
import { Button } from "@/components/ui/button";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@/components/ui/command";
import { can, type Role } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";
import { DEFAULT_NOUNS } from "@/modules/crm/pipelines/ui";
import { matchesWords, matchParts, quickActionsFor, SEARCH_MATCH_LABELS, useRecordSearch } from "@/modules/crm/search/ui";
import type { SearchHit } from "@/modules/crm/search/ui";

export type CommandPaletteProps = {
  role: Role;
  className?: string;
};

/** The top-bar search button and the ⌘K / Ctrl K palette it opens. */
export function CommandPalette({ role, className }: CommandPaletteProps) {
  const [open, setOpen] = React.useState(false);
  const [query, setQuery] = React.useState("");
  const router = useRouter();
  const isMac = useIsMac();
  const q = query.trim();
  const search = useRecordSearch(q, { enabled: open && can(role, "records.work") });
  const results = search.results;
  const actions = quickActionsFor(role).filter((a) => !q || matchesWords(q, `${a.label} ${a.keywords.join(" ")}`));
  const sections = navFor(role, usePipelineNav())
    .map((section) => ({
      ...section,
      // The palette has no counts: an entry shown only while counted stays in the sidebar.
      items: section.items.filter((item) => !item.whenCounted && (!q || matchesWords(q, `${section.label ?? ""} ${item.label}`))),
    }))
    .filter((section) => section.items.length > 0);

  React.useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        setOpen((value) => !value);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  function onOpenChange(value: boolean) {
    setOpen(value);
    if (!value) setQuery("");
  }

  function go(href: string) {
    onOpenChange(false);
    router.push(href);
  }

  return (
    <>
      <Button
        variant="outline"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Meta+K Control+K"
        className={cn(
          "size-8 gap-2 font-normal text-muted-foreground shadow-none sm:w-56 sm:justify-start sm:px-2.5 lg:w-72",
          className,
        )}
      >
        <SearchIcon aria-hidden />
        <span className="hidden sm:inline">Search…</span>
        <span className="sr-only sm:hidden">Search</span>
        <kbd
          aria-hidden
          className="pointer-events-none ml-auto hidden h-5 items-center gap-0.5 rounded border bg-muted px-1.5 font-sans text-[11px] font-medium text-muted-foreground select-none sm:inline-flex"
        >
          {isMac ? "⌘K" : "Ctrl K"}
        </kbd>
      </Button>
      <CommandDialog
        open={open}
        onOpenChange={onOpenChange}
        title="Search Covey"
        description="Search leads, people, companies and deals, or jump to a page."
        commandProps={{ shouldFilter: false }}
      >
        <CommandInput
          placeholder="Search leads, people, companies, deals…"
          value={query}
          onValueChange={setQuery}
          aria-busy={search.status === "loading"}
        />
        <CommandList>
          <CommandEmpty>
            {search.status === "loading" ? "Searching…" : search.status === "error" ? search.message : `No results for “${q}”.`}
          </CommandEmpty>
          {results && (
            <>
              <HitGroup heading="People" icon={UserIcon} hits={results.people} query={results.q} onSelect={go} />
              <HitGroup heading="Companies" icon={Building2Icon} hits={results.companies} query={results.q} onSelect={go} />
              {dealGroups(results.deals).map(([noun, hits]) => (
                <HitGroup key={noun} heading={noun} icon={HandshakeIcon} hits={hits} query={results.q} onSelect={go} />
              ))}
              <HitGroup heading="Leads" icon={InboxIcon} hits={results.leads} query={results.q} onSelect={go} />
            </>
          )}
          {actions.length > 0 && (
            <CommandGroup heading="Quick actions">
              {actions.map(({ href, label, icon: Icon }) => (
                <CommandItem key={href} value={`action:${href}`} onSelect={() => go(href)}>
                  <Icon aria-hidden />
                  {label}
                </CommandItem>
              ))}
            </CommandGroup>
          )}
          {sections.map((section) => (
            <CommandGroup key={section.label ?? "main"} heading={section.label ?? "Go to"}>
              {section.items.map(({ href, label, icon: Icon }) => (
                <CommandItem key={href} value={`page:${href}`} onSelect={() => go(href)}>
                  <Icon aria-hidden />
                  {label}
                </CommandItem>
              ))}
            </CommandGroup>
          ))}
        </CommandList>
        <div
          role="status"
          className="flex h-8 items-center gap-2 border-t px-3 text-xs text-muted-foreground"
        >
          {search.status === "loading" ? (
            <>
              <Loader2Icon aria-hidden className="size-3 animate-spin" />
              Searching…
            </>
          ) : search.status === "error" ? (
            search.message
          ) : results ? (
            resultSummary(results.people.length + results.companies.length + results.deals.length + results.leads.length)
          ) : (
            "Type two or more letters to search records"
          )}
        </div>
      </CommandDialog>
    </>
  );
}

/** Deal hits under what their pipelines call them ("Cases", "Intended parents"), in the order found. */
function dealGroups(hits: SearchHit[]): [string, SearchHit[]][] {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) {
    const noun = hit.noun ?? DEFAULT_NOUNS.plural;
    groups.set(noun, [...(groups.get(noun) ?? []), hit]);
  }
  return [...groups];
}

function resultSummary(n: number) {
  return n === 0 ? "No matching records" : `${n} matching record${n === 1 ? "" : "s"}`;
}

function HitGroup({
  heading,
  icon: Icon,
  hits,
  query,
  onSelect,
}: {
  heading: string;
  icon: LucideIcon;
  hits: SearchHit[];
  /** The query these hits answer, whose words the match line marks. */
  query: string;
  onSelect: (href: string) => void;
}) {
  if (hits.length === 0) return null;
  return (
    <CommandGroup heading={heading}>
      {hits.map((hit) => (
        <CommandItem key={hit.id} value={`${hit.type}:${hit.id}`} onSelect={() => onSelect(hit.href)}>
          <Icon aria-hidden />
          <span className="flex min-w-0 flex-col">
            <span className="truncate">{hit.title}</span>
            {hit.match && (
              <span data-testid="search-match" className="truncate text-xs text-muted-foreground">
                {SEARCH_MATCH_LABELS[hit.match.field]}:{" "}
                {matchParts(hit.match.text, query, hit.match.field).map((part, i) =>
                  part.mark ? (
                    <mark key={i} className="rounded-sm bg-primary/15 font-medium text-foreground">
                      {part.text}
                    </mark>
                  ) : (
                    part.text
                  ),
                )}
              </span>
            )}
            {hit.subtitle && <span className="truncate text-xs text-muted-foreground">{hit.subtitle}</span>}
          </span>
        </CommandItem>
      ))}
    </CommandGroup>
  );
}

const subscribe = () => () => {};

/** Server renders the Ctrl hint; Apple devices switch to ⌘ after hydration. */
function useIsMac() {
  return React.useSyncExternalStore(
    subscribe,
    () => /Mac|iPhone|iPad/.test(navigator.userAgent),
    () => false,
  );
}
