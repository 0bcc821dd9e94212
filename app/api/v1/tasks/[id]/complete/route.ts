import { completeTask } from "@/modules/api/resources/tasks";

export const POST = completeTask.handler;
