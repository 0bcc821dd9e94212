import { reorderStages } from "@/modules/api/resources/pipelines";

export const POST = reorderStages.handler;
