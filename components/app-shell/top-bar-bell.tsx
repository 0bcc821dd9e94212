"use client";

import { useShellStatus } from "@/components/app-shell/shell-status";
import { NotificationBell } from "@/modules/notifications/ui";

export function TopBarBell() {
  const status = useShellStatus();
  return <NotificationBell summary={status?.notifications ?? null} />;
}
