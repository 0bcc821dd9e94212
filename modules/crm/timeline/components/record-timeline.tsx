import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { NoteComposer } from "@/modules/crm/notes/ui";
import type { RecordRef } from "@/modules/crm/records/ui";
import { listOpenTasksFor } from "@/modules/crm/tasks";
import { RecordTasks } from "@/modules/crm/tasks/ui";
import { myMailbox, recipientAddress } from "@/modules/gmail";
import { ComposeEmail } from "@/modules/gmail/ui";
import { countTimeline, listTimeline } from "../queries";
import type { TimelineActivity } from "../schema";
import { ActivityFilter } from "./activity-filter";
import { TimelineFeed } from "./timeline-feed";

/**
 * The timeline panel of a person, company, deal or lead page: open tasks with
 * quick add, the note composer, and the record's timeline, newest first,
 * filtered to one kind of activity when the page's `?activity=` names one.
 */
export async function RecordTimeline({ subject, activity = null }: { subject: RecordRef; activity?: TimelineActivity | null }) {
  const session = await requireSession();
  const timeZone = await getTimeZone();
  const s: RecordRef = { type: subject.type, id: subject.id };
  const emailable = s.type === "person" || s.type === "lead" || s.type === "deal";
  const [tasks, page, counts, mailbox, to] = await asMember(session, (tx) =>
    Promise.all([
      listOpenTasksFor(tx, s),
      listTimeline(tx, s, { timeZone, activity }),
      countTimeline(tx, s),
      myMailbox(tx, session.user.id),
      emailable ? recipientAddress(tx, s as { type: "person" | "lead" | "deal"; id: string }) : null,
    ]),
  );
  const from = mailbox?.status === "connected" ? mailbox.email : null;
  const viewer = { userId: session.user.id, moderates: can(session.role, "settings.manage"), timeZone, mailbox: from };
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Tasks</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <RecordTasks subject={s} tasks={tasks} timeZone={timeZone} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle>
            <h2>Activity</h2>
          </CardTitle>
          {emailable ? <ComposeEmail subject={s as { type: "person" | "lead" | "deal"; id: string }} from={from} to={to} /> : null}
        </CardHeader>
        <CardContent className="grid gap-6">
          <NoteComposer subject={s} />
          <div className="grid gap-4">
            <ActivityFilter subject={s} current={activity} counts={counts} />
            <TimelineFeed key={activity ?? "all"} subject={s} activity={activity} initial={page} viewer={viewer} />
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
