import { deleteTask, getTask, updateTask } from "@/modules/api/resources/tasks";

export const GET = getTask.handler;
export const PATCH = updateTask.handler;
export const DELETE = deleteTask.handler;
