import { createTask, listTasks } from "@/modules/api/resources/tasks";

export const GET = listTasks.handler;
export const POST = createTask.handler;
