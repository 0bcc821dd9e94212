import type { Role } from "@/lib/auth/permissions";
import { AppSidebar, SidebarBrand } from "@/components/app-shell/app-sidebar";
import { PipelineNavProvider } from "@/components/app-shell/pipeline-nav";
import { ShellStatusProvider } from "@/components/app-shell/shell-status";
import type { PipelineNavEntry } from "@/modules/crm/pipelines/ui";
import { TopBar } from "@/components/app-shell/top-bar";

export type AppShellProps = {
  user: { name: string; email: string };
  org: { name: string };
  role: Role;
  /** Server action that ends the session; submitted by the user menu's "Sign out". */
  signOutAction: () => Promise<void>;
  /** The deals entries of the navigation, one per pipeline noun ("Cases", "Intended parents"). */
  pipelineNav?: PipelineNavEntry[];
  children: React.ReactNode;
};

export function AppShell({ user, org, role, signOutAction, pipelineNav = [], children }: AppShellProps) {
  // The provider keeps the top bar's counts fresh (bell, alerts).
  return (
    <PipelineNavProvider entries={pipelineNav}>
      <ShellStatusProvider>
        <div className="flex min-h-svh">
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow-md focus:ring-[3px] focus:ring-ring/50 focus:outline-none"
          >
            Skip to content
          </a>
          {/* The column stretches with the page, so its background and border run
              to the bottom of a long page (and of a full-page capture or print);
              the brand and navigation inside stay in view as it scrolls. */}
          <aside className="hidden w-60 shrink-0 border-r border-sidebar-border bg-sidebar text-sidebar-foreground md:block">
            <div className="sticky top-0 flex h-svh flex-col">
              <SidebarBrand />
              <AppSidebar role={role} />
            </div>
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <TopBar user={user} org={org} role={role} signOutAction={signOutAction} />
            <main id="main" tabIndex={-1} className="flex-1 scroll-mt-14 px-4 py-6 outline-none md:px-8">
              {children}
            </main>
          </div>
        </div>
      </ShellStatusProvider>
    </PipelineNavProvider>
  );
}
