import type { Role } from "@/lib/auth/permissions";
import { Separator } from "@/components/ui/separator";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { MobileSidebar } from "@/components/app-shell/app-sidebar";
import { CommandPalette } from "@/components/app-shell/command-palette";
import { TopBarBell } from "@/components/app-shell/top-bar-bell";
import { UserMenu } from "@/components/app-shell/user-menu";

export type TopBarProps = {
  user: { name: string; email: string };
  org: { name: string };
  role: Role;
  signOutAction: () => Promise<void>;
};

export function TopBar({ user, org, role, signOutAction }: TopBarProps) {
  return (
    <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/85 px-4 backdrop-blur-sm md:px-6">
      <MobileSidebar role={role} />
      <span className="truncate text-sm font-semibold">{org.name}</span>
      <div className="ml-auto flex items-center gap-1.5">
        <CommandPalette role={role} />
        <Separator orientation="vertical" className="mx-1 data-[orientation=vertical]:h-5" />
        <TopBarBell />
        <ThemeToggle />
        <UserMenu user={user} role={role} signOutAction={signOutAction} />
      </div>
    </header>
  );
}
