// The deal page's important dates, read as the member (server component).
import { asMember, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { dayKey } from "@/lib/time";
import { listDateKinds, listDealDates } from "../queries";
import { ImportantDates } from "./important-dates";

export async function DealDatesPanel({ dealId, canEdit = true }: { dealId: string; canEdit?: boolean }) {
  const session = await requireSession();
  const [{ dates, kinds }, timeZone] = await Promise.all([
    asMember(session, async (tx) => ({ dates: await listDealDates(tx, dealId), kinds: await listDateKinds(tx) })),
    getTimeZone(),
  ]);
  return <ImportantDates dealId={dealId} dates={dates} kinds={kinds} today={dayKey(new Date(), timeZone)} canEdit={canEdit} />;
}
