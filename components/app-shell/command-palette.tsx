"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { SearchIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import type { Role } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@/components/ui/command";
import { navFor } from "@/components/app-shell/nav";

export type CommandPaletteProps = {
  role: Role;
  className?: string;
};

/** The top-bar search button and the ⌘K / Ctrl K palette it opens. */
export function CommandPalette({ role, className }: CommandPaletteProps) {
  const [open, setOpen] = React.useState(false);
  const router = useRouter();
  const isMac = useIsMac();
  const sections = navFor(role);

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

  function go(href: string) {
    setOpen(false);
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
        onOpenChange={setOpen}
        title="Search Covey"
        description="Jump to a page or search your records."
      >
        <CommandInput placeholder="Search or jump to…" />
        <CommandList>
          <CommandEmpty>No results found.</CommandEmpty>
          {sections.map((section) => (
            <CommandGroup key={section.label ?? "main"} heading={section.label ?? "Go to"}>
              {section.items.map(({ href, label, icon: Icon }) => (
                <CommandItem
                  key={href}
                  value={`${section.label ?? ""} ${label}`}
                  onSelect={() => go(href)}
                >
                  <Icon aria-hidden />
                  {label}
                </CommandItem>
              ))}
            </CommandGroup>
          ))}
        </CommandList>
      </CommandDialog>
    </>
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
