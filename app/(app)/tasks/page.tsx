import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { zoneLabel } from "@/lib/time";
import { listTaskGroups, TasksNav } from "@/modules/crm/tasks";
import { GROUP_LABELS, NewTaskButton, QuickAddTask, TaskRow } from "@/modules/crm/tasks/ui";
import { listMembers } from "@/modules/orgs";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: { searchParams: Promise<{ scope?: string }> }) {
  const session = await requirePermission("records.work");
  const scope = (await searchParams).scope === "all" ? "all" : "mine";
  const timeZone = await getTimeZone();
  const [{ groups }, members] = await Promise.all([
    asMember(session, (tx) => listTaskGroups(tx, { scope, userId: session.user.id, timeZone })),
    listMembers(session),
  ]);

  return (
    <div className="grid min-w-0 grid-cols-1">
      <PageHeader
        title="Tasks"
        description={`Open tasks by due date (${zoneLabel(timeZone)} time).`}
        actions={<NewTaskButton members={members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }))} me={session.user.id} />}
      />
      <TasksNav current={scope} />
      <div className="mb-6">
        <QuickAddTask label="Add a task for me" />
      </div>
      {groups.length === 0 ? (
        <Card>
          <CardContent className="py-10 text-center text-sm text-muted-foreground">
            {scope === "mine" ? "You have no open tasks." : "No open tasks in your organization."} Add one above or from a
            person, company or deal.
          </CardContent>
        </Card>
      ) : (
        <div className="grid gap-4">
          {groups.map((g) => (
            <Card key={g.group} aria-labelledby={`group-${g.group}`}>
              <CardHeader>
                <CardTitle>
                  <h2 id={`group-${g.group}`} className={g.group === "overdue" ? "text-destructive" : undefined}>
                    {GROUP_LABELS[g.group]} <span className="font-normal text-muted-foreground">({g.total})</span>
                  </h2>
                </CardTitle>
              </CardHeader>
              <CardContent>
                <ul className="divide-y" aria-labelledby={`group-${g.group}`}>
                  {g.tasks.map((task) => (
                    <TaskRow key={task.id} task={task} timeZone={timeZone} showRecord showAssignee={scope === "all"} />
                  ))}
                </ul>
                {g.total > g.tasks.length ? (
                  <p className="pt-2 text-sm text-muted-foreground">
                    {g.total - g.tasks.length} more in the{" "}
                    <Link href="/tasks/list?sort=due_at" className="underline underline-offset-4">
                      list
                    </Link>
                    .
                  </p>
                ) : null}
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
