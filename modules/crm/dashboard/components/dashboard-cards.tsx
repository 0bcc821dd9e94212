import Link from "next/link";
import { ArrowDownRightIcon, ArrowRightIcon, ArrowUpRightIcon, MinusIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime, formatRelative, formatShortDay, formatTime } from "@/lib/time";
import { cn } from "@/lib/utils";
import { formatMoney } from "@/modules/crm/values/ui";
import type { MyTasks, NewPeople, OpenDealsByStage, OrgTimelineItem, TaskItem } from "../queries";

function CardHeading({ children }: { children: React.ReactNode }) {
  return (
    <CardTitle>
      <h2 className="text-base font-semibold">{children}</h2>
    </CardTitle>
  );
}

export function NewPeopleCard({ counts }: { counts: NewPeople }) {
  const delta = counts.thisWeek - counts.lastWeek;
  const Icon = delta > 0 ? ArrowUpRightIcon : delta < 0 ? ArrowDownRightIcon : MinusIcon;
  const change = delta === 0 ? "same as last week" : `${delta > 0 ? "+" : "−"}${Math.abs(delta)} vs last week`;
  return (
    <Card>
      <CardHeader>
        <CardDescription>
          <h2>New people this week</h2>
        </CardDescription>
        <CardTitle className="text-3xl tabular-nums" data-testid="new-people-count">
          {counts.thisWeek}
        </CardTitle>
      </CardHeader>
      <CardContent>
        <p
          className={cn(
            "flex items-center gap-1 text-sm",
            delta > 0 ? "text-emerald-700 dark:text-emerald-400" : "text-muted-foreground",
          )}
          data-testid="new-people-delta"
        >
          <Icon aria-hidden className="size-4" />
          {change} ({counts.lastWeek} last week)
        </p>
      </CardContent>
    </Card>
  );
}

/** Open value per currency, e.g. "$12,000.00 + €500.00"; "—" when nothing is open. */
function valueText(values: { currency: string; minor: string }[]) {
  return values.length ? values.map((v) => formatMoney(v.minor, v.currency)).join(" + ") : "—";
}

export function OpenDealsCard({ data }: { data: OpenDealsByStage }) {
  const total = data.stages.reduce((n, s) => n + s.count, 0);
  const widest = Math.max(1, ...data.stages.map((s) => s.count));
  return (
    <Card>
      <CardHeader>
        <CardHeading>Open deals by stage</CardHeading>
        <CardDescription>
          {data.pipeline ? `${data.pipeline.name} pipeline · ${total} open` : "No pipeline yet"}
        </CardDescription>
        <CardAction>
          <Button variant="ghost" size="sm" asChild>
            <Link href={data.pipeline ? `/deals?pipeline=${data.pipeline.id}` : "/deals"}>
              Board <ArrowRightIcon aria-hidden />
            </Link>
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent>
        {total === 0 ? (
          <EmptyNote>
            No open deals yet. <Link href="/deals" className="font-medium text-foreground underline underline-offset-4">Add a deal</Link> to
            see your pipeline here.
          </EmptyNote>
        ) : null}
        <ul className={cn("grid gap-3", total === 0 && "sr-only")} aria-label="Open deals per stage" data-testid="deals-by-stage">
          {data.stages.map((stage) => (
            <li key={stage.id} className="grid gap-1" data-stage={stage.name}>
              <div className="flex items-baseline justify-between gap-3 text-sm">
                <span className="truncate font-medium">{stage.name}</span>
                <span className="shrink-0 text-muted-foreground tabular-nums">
                  <span data-testid="stage-count">{stage.count}</span> {stage.count === 1 ? "deal" : "deals"} ·{" "}
                  {valueText(stage.values)}
                </span>
              </div>
              <div aria-hidden className="h-2 overflow-hidden rounded-full bg-muted">
                <div className="h-full rounded-full bg-primary" style={{ width: `${(stage.count / widest) * 100}%` }} />
              </div>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}

function TaskList({ label, tasks, count, tone, formatDue }: {
  label: string;
  tasks: TaskItem[];
  count: number;
  tone: "overdue" | "today";
  formatDue: (t: TaskItem) => string;
}) {
  if (count === 0) return null;
  return (
    <section className="grid gap-2" aria-label={label}>
      <h3 className="flex items-center gap-2 text-sm font-medium">
        {label}
        <Badge variant={tone === "overdue" ? "destructive" : "secondary"} className="tabular-nums">
          {count}
        </Badge>
      </h3>
      <ul className="grid gap-1.5">
        {tasks.map((task) => (
          <li key={task.id} className="flex items-baseline justify-between gap-3 text-sm">
            <span className="truncate">{task.title}</span>
            <span
              className={cn(
                "shrink-0 text-xs tabular-nums",
                tone === "overdue" ? "text-destructive" : "text-muted-foreground",
              )}
            >
              {formatDue(task)}
            </span>
          </li>
        ))}
      </ul>
      {count > tasks.length ? (
        <p className="text-xs text-muted-foreground">and {count - tasks.length} more</p>
      ) : null}
    </section>
  );
}

export function MyTasksCard({ tasks, timeZone }: { tasks: MyTasks; timeZone: string }) {
  // All-day tasks are a calendar date, stored at midnight UTC.
  const overdueDue = (t: TaskItem) =>
    t.allDay ? formatShortDay(t.dueAt, "UTC") : `${formatShortDay(t.dueAt, timeZone)}, ${formatTime(t.dueAt, timeZone)}`;
  const todayDue = (t: TaskItem) => (t.allDay ? "Today" : formatTime(t.dueAt, timeZone));
  return (
    <Card>
      <CardHeader>
        <CardHeading>My tasks</CardHeading>
        <CardDescription data-testid="my-tasks-summary">
          {tasks.overdueCount} overdue · {tasks.todayCount} due today
        </CardDescription>
        <CardAction>
          <Button variant="ghost" size="sm" asChild>
            <Link href="/tasks">
              All tasks <ArrowRightIcon aria-hidden />
            </Link>
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        {tasks.overdueCount + tasks.todayCount === 0 ? (
          <EmptyNote>Nothing overdue or due today.</EmptyNote>
        ) : (
          <>
            <TaskList label="Overdue" tasks={tasks.overdue} count={tasks.overdueCount} tone="overdue" formatDue={overdueDue} />
            <TaskList label="Due today" tasks={tasks.today} count={tasks.todayCount} tone="today" formatDue={todayDue} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function RecentTimelineCard({ items, now, timeZone }: { items: OrgTimelineItem[]; now: Date; timeZone: string }) {
  return (
    <Card>
      <CardHeader>
        <CardHeading>Recent activity</CardHeading>
        <CardDescription>The latest changes across your organization.</CardDescription>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <EmptyNote>
            Nothing has happened yet. Create a <Link href="/people" className="font-medium text-foreground underline underline-offset-4">person</Link>{" "}
            or <Link href="/import" className="font-medium text-foreground underline underline-offset-4">import a CSV</Link> to get started.
          </EmptyNote>
        ) : (
          <ol className="grid gap-3" data-testid="recent-timeline">
            {items.map((item) => (
              <li key={item.id} className="flex items-baseline justify-between gap-3 text-sm">
                <p className="min-w-0">
                  <span className="font-medium">{actorName(item)}</span> {item.summary}
                  {item.record ? (
                    <>
                      {" · "}
                      <Link href={item.record.href} className="font-medium underline-offset-4 hover:underline">
                        {item.record.name}
                      </Link>
                    </>
                  ) : item.link ? (
                    <>
                      {" · "}
                      <Link href={item.link.href} className="font-medium underline-offset-4 hover:underline">
                        {item.link.label}
                      </Link>
                    </>
                  ) : null}
                </p>
                <time
                  dateTime={item.occurredAt.toISOString()}
                  title={formatDateTime(item.occurredAt, timeZone)}
                  className="shrink-0 text-xs text-muted-foreground tabular-nums"
                >
                  {now.getTime() - item.occurredAt.getTime() < 60_000
                    ? "just now"
                    : formatRelative(item.occurredAt, now)}
                </time>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function actorName(item: OrgTimelineItem) {
  if (item.actor) return item.actor;
  return item.actorType === "api_key" ? "An API key" : item.actorType === "system" ? "Covey" : "A former member";
}

function EmptyNote({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">{children}</p>;
}
