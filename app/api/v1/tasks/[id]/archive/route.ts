import { archiveTask } from "@/modules/api/resources/tasks";

export const POST = archiveTask.handler;
