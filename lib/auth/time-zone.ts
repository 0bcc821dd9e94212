// The one place the server learns which zone to show a member's dates and
// times in. Server only.

import { cookies } from "next/headers";
import { cache } from "react";
import { TIME_ZONE_COOKIE, userTimeZone } from "@/lib/time";
import { getSession } from "./session";

/** The browser's zone, as components/time-zone.tsx last stored it; null before it has. */
export async function browserTimeZone(): Promise<string | null> {
  return (await cookies()).get(TIME_ZONE_COOKIE)?.value ?? null;
}

/** The signed-in member's zone: their profile's, else their browser's, else UTC. Cached for the request. */
export const getTimeZone = cache(async (): Promise<string> => {
  const [session, browser] = await Promise.all([getSession(), browserTimeZone()]);
  return userTimeZone(session?.user.timeZone, browser);
});
