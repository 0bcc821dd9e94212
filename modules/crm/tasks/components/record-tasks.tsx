"use client";

import type { RecordRef } from "@/modules/crm/records/ui";
import type { TaskItem } from "../queries";
import { QuickAddTask } from "./quick-add-task";
import { TaskRow } from "./task-row";

/** A record's open tasks with quick add, above its timeline. */
export function RecordTasks({ subject, tasks, timeZone }: { subject: RecordRef; tasks: TaskItem[]; timeZone: string }) {
  return (
    <div className="grid gap-2">
      {tasks.length ? (
        <ul className="divide-y" aria-label="Open tasks">
          {tasks.map((t) => (
            <TaskRow key={t.id} task={t} timeZone={timeZone} showAssignee />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">No open tasks.</p>
      )}
      <QuickAddTask link={subject} />
    </div>
  );
}
