// Browser-safe face of crm/tasks: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { archiveTasksAction, assignTasksAction, deleteTasksAction, editTaskCell, restoreTasksAction } from "./actions";
export { NewTaskButton } from "./components/new-task-button";
export { QuickAddTask } from "./components/quick-add-task";
export { RecordTasks } from "./components/record-tasks";
export { TaskForm } from "./components/task-form";
export { TaskRow } from "./components/task-row";
export { GROUP_LABELS, TASK_PRIORITIES, TASK_STATUSES, taskSchema, type TaskValues } from "./schema";
