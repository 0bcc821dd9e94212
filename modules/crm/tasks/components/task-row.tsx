"use client";

import Link from "next/link";
import { useOptimistic, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/lib/utils";
import { recordHref } from "@/modules/crm/records/ui";
import { completeTask } from "../actions";
import type { TaskItem } from "../queries";
import { PRIORITY_LABELS } from "../schema";
import { DueLabel } from "./due-label";

/**
 * One task with its complete checkbox. The tick shows at once; when the
 * server refuses, the transition ends without new props and the box flips
 * back, with the reason in a toast.
 */
export function TaskRow(props: {
  task: TaskItem;
  timeZone: string;
  showRecord?: boolean;
  showAssignee?: boolean;
}) {
  const { task } = props;
  const [done, setDone] = useOptimistic(task.status === "done");
  const [, start] = useTransition();
  const toggle = (checked: boolean) =>
    start(async () => {
      setDone(checked);
      const result = await completeTask({ id: task.id, done: checked });
      if (!result.ok) toast.error(result.error);
    });
  const checkboxId = `task-${task.id}`;
  return (
    <li className="flex items-start gap-3 py-2" data-task-id={task.id}>
      <Checkbox
        id={checkboxId}
        className="mt-0.5"
        checked={done}
        onCheckedChange={(v) => toggle(v === true)}
        aria-label={done ? `Mark "${task.title}" as not done` : `Complete "${task.title}"`}
      />
      <div className="grid min-w-0 flex-1 gap-0.5">
        <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5">
          <Link
            href={`/tasks/${task.id}`}
            className={cn("min-w-0 truncate text-sm font-medium underline-offset-4 hover:underline", done && "text-muted-foreground line-through")}
          >
            {task.title}
          </Link>
          {task.priority === "high" || task.priority === "urgent" ? (
            <Badge variant={task.priority === "urgent" ? "destructive" : "secondary"}>{PRIORITY_LABELS[task.priority]}</Badge>
          ) : null}
        </div>
        <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-muted-foreground">
          <DueLabel dueAt={task.dueAt} allDay={task.allDay} done={done} timeZone={props.timeZone} />
          {props.showRecord && task.record ? (
            <Link href={recordHref(task.record.type, task.record.id)} className="truncate underline-offset-4 hover:underline">
              {task.record.name}
            </Link>
          ) : null}
          {props.showAssignee ? <span className="truncate">{task.assignee ? task.assignee.name : "Unassigned"}</span> : null}
        </div>
      </div>
    </li>
  );
}
