import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RecordList } from "@/components/data-table/record-list";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { isListQueryError, listMemberOptions, listViews, viewLinkHref } from "@/modules/crm/lists";
import { parseListState, toClientFields } from "@/modules/crm/lists/ui";
import { listTasks, taskListFields, TasksNav } from "@/modules/crm/tasks";
import { archiveTasksAction, assignTasksAction, deleteTasksAction, editTaskCell, restoreTasksAction } from "@/modules/crm/tasks/ui";

export const metadata: Metadata = { title: "Tasks" };

const DEFAULT_SORT = { field: "due_at", dir: "asc" } as const;

export default async function TaskListPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requirePermission("records.work");
  const timeZone = await getTimeZone();
  const params = await searchParams;
  const parsed = parseListState(params, { sort: DEFAULT_SORT });
  const linked = await viewLinkHref(session, "task", parsed.state, params, "/tasks/list");
  if (linked) redirect(linked);
  const fields = taskListFields();
  let stateError = parsed.ok ? undefined : parsed.error;
  let page: Awaited<ReturnType<typeof listTasks>> = { rows: [], nextCursor: null, total: 0 };
  try {
    page = await asMember(session, (tx) => listTasks(tx, parsed.state, { userId: session.user.id, timeZone, withTotal: true }));
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
