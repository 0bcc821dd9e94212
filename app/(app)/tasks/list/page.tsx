import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { RecordList } from "@/components/data-table/record-list";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { toClientFields } from "@/modules/crm/lists/fields";
import { isListQueryError } from "@/modules/crm/lists/query";
import { parseListState } from "@/modules/crm/lists/state";
import { listMemberOptions } from "@/modules/crm/lists/members";
import {
  archiveTasksAction,
  assignTasksAction,
  deleteTasksAction,
  editTaskCell,
  restoreTasksAction,
} from "@/modules/crm/tasks/actions";
import { TasksNav } from "@/modules/crm/tasks/components/tasks-nav";
import { listTasks, taskListFields } from "@/modules/crm/tasks/queries";
import { listViews } from "@/modules/crm/views/queries";

export const metadata: Metadata = { title: "Tasks" };

const DEFAULT_SORT = { field: "due_at", dir: "asc" } as const;

export default async function TaskListPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requirePermission("records.work");
  const parsed = parseListState(await searchParams, { sort: DEFAULT_SORT });
  const fields = taskListFields();
  let stateError = parsed.ok ? undefined : parsed.error;
  let page: Awaited<ReturnType<typeof listTasks>> = { rows: [], nextCursor: null, total: 0 };
  try {
    page = await asMember(session, (tx) => listTasks(tx, parsed.state, { userId: session.user.id, withTotal: true }));
  } catch (e) {
    if (!isListQueryError(e)) throw e;
    stateError = e.message;
  }
  const [members, views] = await asMember(session, (tx) => Promise.all([listMemberOptions(tx), listViews(session, "task", tx)]));

  return (
    <div className="grid min-w-0 grid-cols-1">
      <PageHeader title="Tasks" description="Every task, with filters, sorting and saved views." />
      <TasksNav current="list" />
      <RecordList
        objectType="task"
        fields={toClientFields(fields)}
        rows={page.rows}
        nextCursor={page.nextCursor}
        total={page.total}
        state={parsed.state}
        basePath="/tasks/list"
        detailBasePath="/tasks"
        views={views}
        members={members}
        bulk={{
          ...(can(session.role, "records.assign") ? { assign: assignTasksAction } : {}),
          ...(can(session.role, "records.archive") ? { archive: archiveTasksAction, restore: restoreTasksAction } : {}),
          ...(can(session.role, "records.delete") ? { delete: deleteTasksAction } : {}),
        }}
        inlineEdit={editTaskCell}
        canDelete={can(session.role, "records.delete")}
        canExport={can(session.role, "records.export")}
        stateError={stateError}
      />
    </div>
  );
}
