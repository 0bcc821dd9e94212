"use client";

import Link from "next/link";
import { useFormStatus } from "react-dom";
import { LogOutIcon, UserRoundIcon } from "lucide-react";

import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export type UserMenuProps = {
  user: { name: string; email: string };
  role?: Role;
  signOutAction: () => Promise<void>;
};

export function initials(name: string, email = ""): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? email).slice(0, 2);
  return letters.toUpperCase() || "?";
}

export function UserMenu({ user, role, signOutAction }: UserMenuProps) {
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="rounded-full"
          aria-label={`Account menu for ${user.name || user.email}`}
        >
          <Avatar className="size-8">
            <AvatarFallback className="bg-primary/10 text-primary">
              {initials(user.name, user.email)}
            </AvatarFallback>
          </Avatar>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="flex flex-col gap-0.5 font-normal">
          <span className="flex items-center gap-2">
            <span className="truncate text-sm font-medium">{user.name}</span>
            {role && (
              <Badge variant="secondary" className="ml-auto">
                {ROLE_LABELS[role]}
              </Badge>
            )}
          </span>
          <span className="truncate text-xs text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings/profile">
            <UserRoundIcon aria-hidden />
            Profile
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <form action={signOutAction}>
          <SignOutItem />
        </form>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function SignOutItem() {
  const { pending } = useFormStatus();

  return (
    // The item is the submit button itself, so keyboard selection submits the
    // form. Keeping the menu open on select keeps the form mounted while the
    // action runs.
    <DropdownMenuItem asChild disabled={pending} onSelect={(event) => event.preventDefault()}>
      <button type="submit" className="w-full">
        <LogOutIcon aria-hidden />
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </DropdownMenuItem>
  );
}
