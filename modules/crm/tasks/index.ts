// Server face of crm/tasks: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { TasksNav } from "./components/tasks-nav";
export { getTask, listOpenTasksFor, listTaskGroups, listTasks, taskListFields } from "./queries";
export { archiveTasks, createTask, deleteTasks, setTaskDone, updateTask } from "./service";
