"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { TIME_ZONE_COOKIE } from "@/modules/crm/tasks/ui";

/**
 * Tells the server the browser's time zone (a cookie), so "today" and "this
 * week" are the viewer's; re-renders once when it first learns or it changes.
 */
export function TimeZoneSync({ current }: { current: string | null }) {
  const router = useRouter();
  React.useEffect(() => {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!tz || tz === current) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(tz)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [current, router]);
  return null;
}
