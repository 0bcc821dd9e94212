// The dashboard's upcoming dates, read as the member (server component): both
// scopes at once, two small indexed reads, so switching needs no round trip.
import { asMember, type Session } from "@/lib/auth/session";
import { dayKey } from "@/lib/time";
import { UPCOMING_DAYS, upcomingDates } from "../queries";
import { UpcomingDatesCard } from "./upcoming-dates-card";

export async function UpcomingDates({ session, timeZone }: { session: Session; timeZone: string }) {
  const today = dayKey(new Date(), timeZone);
  const { mine, all } = await asMember(session, async (tx) => ({
    mine: await upcomingDates(tx, { today, ownerId: session.user.id }),
    all: await upcomingDates(tx, { today, ownerId: null }),
  }));
  return <UpcomingDatesCard mine={mine} all={all} today={today} days={UPCOMING_DAYS} />;
}
