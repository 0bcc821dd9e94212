import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { dayKey, timeKey } from "@/lib/time";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { recordHref } from "@/modules/crm/records/ui";
import { getTask } from "@/modules/crm/tasks";
import { TaskForm } from "@/modules/crm/tasks/ui";
import { listMembers } from "@/modules/orgs";

export const metadata: Metadata = { title: "Task" };

/** The due date and time as the form shows them: all-day in UTC (a calendar date), timed in the reader's zone. */
function dueParts(dueAt: string | null, allDay: boolean, timeZone: string) {
  if (!dueAt) return { dueDate: "", dueTime: "" };
  if (allDay) return { dueDate: dayKey(dueAt, "UTC"), dueTime: "" };
  return { dueDate: dayKey(dueAt, timeZone), dueTime: timeKey(dueAt, timeZone) };
}

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePermission("records.work");
  const { id } = await params;
  if (!UUID_RE.test(id)) notFound();
  const [task, members] = await Promise.all([asMember(session, (tx) => getTask(tx, id)), listMembers(session)]);
  if (!task) notFound();
  const timeZone = await getTimeZone();

  return (
    <div className="grid min-w-0 grid-cols-1">
      <PageHeader
        title={task.title}
        description={task.archived ? "This task is archived." : task.completedAt ? "Completed." : undefined}
        actions={
          task.record ? (
            <Link href={recordHref(task.record.type, task.record.id)} className="text-sm underline underline-offset-4">
              Open {task.record.name}
            </Link>
          ) : undefined
        }
      />
      <Card>
        <CardContent>
          <TaskForm
            id={task.id}
            members={members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }))}
            values={{
              title: task.title,
              description: task.description ?? "",
              ...dueParts(task.dueAt, task.allDay, timeZone),
              priority: task.priority,
              status: task.status,
              assigneeId: task.assignee?.id ?? "",
              link: task.record ? { type: task.record.type, id: task.record.id } : null,
            }}
          />
        </CardContent>
      </Card>
    </div>
  );
}
