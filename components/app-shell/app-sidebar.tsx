"use client";

import * as React from "react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { BirdIcon, MenuIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import type { Role } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetTitle,
  SheetTrigger,
} from "@/components/ui/sheet";
import { isActive, type NavItem, navFor } from "@/components/app-shell/nav";
import { usePipelineNav } from "@/components/app-shell/pipeline-nav";
import { useShellStatus } from "@/components/app-shell/shell-status";

/** What a badge's count says to a screen reader, one and many. */
const BADGE_WORDS: Record<NonNullable<NavItem["badge"]>, [string, string]> = {
  openAlerts: ["1 open alert", "# open alerts"],
  handoffsToDecide: ["1 handoff waiting", "# handoffs waiting"],
};

export function AppSidebar({ role, onNavigate }: { role: Role; onNavigate?: () => void }) {
  const pathname = usePathname();
  const pipeline = useSearchParams().get("pipeline");
  const pipelineNav = usePipelineNav();
  const sections = navFor(role, pipelineNav);
  const firstPipelineId = pipelineNav?.[0]?.pipelineIds[0];
  const status = useShellStatus();

  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-6 overflow-y-auto px-3 py-4">
      {sections.map((section, i) => {
        const headingId = section.label ? `nav-section-${i}` : undefined;
        return (
          <div key={section.label ?? i} className="flex flex-col gap-1">
            {section.label && (
              <div id={headingId} className="px-2 pb-1 text-xs font-medium text-muted-foreground">
                {section.label}
              </div>
            )}
            <ul aria-labelledby={headingId} className="flex flex-col gap-0.5">
              {section.items.map(({ href, label, icon: Icon, badge, whenCounted, pipelineIds }) => {
                const active = isActive(pathname, { href, pipelineIds }, { pipeline, firstPipelineId });
                const count = badge && status ? status[badge] : 0;
                if (whenCounted && count === 0) return null;
                const badgeId = `nav-badge-${href.replace(/[^a-z0-9]+/gi, "-")}`;
                return (
                  <li key={href} className="relative">
                    <Link
                      href={href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      aria-describedby={count ? badgeId : undefined}
                      className={cn(
                        "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm font-medium text-sidebar-foreground transition-colors outline-none hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50",
                        active && "bg-sidebar-accent text-sidebar-accent-foreground",
                      )}
                    >
                      <Icon
                        aria-hidden
                        className={cn(
                          "size-4 shrink-0",
                          active ? "text-sidebar-primary" : "text-muted-foreground",
                        )}
                      />
                      {label}
                    </Link>
                    {/* Beside the link, not in it: the link's name stays its label, the count its description. */}
                    {count > 0 && (
                      <span
                        id={badgeId}
                        data-testid="nav-badge"
                        className="pointer-events-none absolute top-1.5 right-2 rounded-full bg-destructive px-1.5 text-xs leading-5 font-semibold text-white"
                      >
                        <span className="sr-only">{BADGE_WORDS[badge!][count === 1 ? 0 : 1].replace("#", String(count))}, </span>
                        {count}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

export function SidebarBrand({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <Link
      href="/"
      onClick={onNavigate}
      className="flex h-14 shrink-0 items-center gap-2 px-5 text-sm font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50"
    >
      <span className="flex size-7 items-center justify-center rounded-md bg-sidebar-primary text-sidebar-primary-foreground">
        <BirdIcon aria-hidden className="size-4" />
      </span>
      Covey
    </Link>
  );
}

/** The sidebar in a left sheet, for screens too narrow to show it inline. */
export function MobileSidebar({ role }: { role: Role }) {
  const [open, setOpen] = React.useState(false);

  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="-ml-2 md:hidden" aria-label="Open navigation">
          <MenuIcon aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent
        side="left"
        className="w-72 gap-0 bg-sidebar p-0 text-sidebar-foreground sm:max-w-72"
      >
        <SheetTitle className="sr-only">Navigation</SheetTitle>
        <SheetDescription className="sr-only">Go to a section of Covey.</SheetDescription>
        <SidebarBrand onNavigate={() => setOpen(false)} />
        <AppSidebar role={role} onNavigate={() => setOpen(false)} />
      </SheetContent>
    </Sheet>
  );
}
