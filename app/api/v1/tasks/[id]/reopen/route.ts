import { reopenTask } from "@/modules/api/resources/tasks";

export const POST = reopenTask.handler;
