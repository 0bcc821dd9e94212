"use client";

import { usePathname } from "next/navigation";
import * as React from "react";
import { SHELL_STATUS_CHANGED } from "@/lib/shell-status";
import type { NotificationSummary } from "@/modules/notifications/ui";

export interface ShellStatus {
  notifications: NotificationSummary;
  /** Integration alerts nobody has acknowledged, snoozed or resolved (0 for members, who see none). */
  openAlerts: number;
  /** Deals waiting in a handoff queue that the viewer's side accepts or denies. */
  handoffsToDecide: number;
}

const ShellStatusContext = React.createContext<ShellStatus | null>(null);

/**
 * How often the shell asks for its counts. The embedded runtime has no
 * Realtime to push them, so the shell polls, and also asks again when the
 * tab comes back into view, on every navigation and when a component
 * announces a change (lib/shell-status).
 */
export const SHELL_POLL_MS = 10_000;

/** Keeps the top bar's counts fresh for the components under it (null until the first answer). */
export function ShellStatusProvider({ children }: { children: React.ReactNode }) {
  const [status, setStatus] = React.useState<ShellStatus | null>(null);
  const pathname = usePathname();
  const inFlight = React.useRef<AbortController | null>(null);

  const refresh = React.useCallback(() => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    fetch("/api/app-shell", { signal: controller.signal, cache: "no-store" })
      .then((res) => (res.ok ? (res.json() as Promise<ShellStatus>) : null))
      .then((next) => {
        if (next) setStatus(next);
      })
      // A failed poll keeps the last counts; the next one tries again.
      .catch(() => {});
  }, []);

  React.useEffect(() => {
    refresh();
  }, [refresh, pathname]);

  React.useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, SHELL_POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener(SHELL_STATUS_CHANGED, refresh);
    return () => {
      window.removeEventListener(SHELL_STATUS_CHANGED, refresh);
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      inFlight.current?.abort();
    };
  }, [refresh]);

  return <ShellStatusContext.Provider value={status}>{children}</ShellStatusContext.Provider>;
}

export const useShellStatus = () => React.useContext(ShellStatusContext);
