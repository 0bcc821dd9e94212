import { restoreTask } from "@/modules/api/resources/tasks";

export const POST = restoreTask.handler;
