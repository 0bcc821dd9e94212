import { deleteStage, updateStage } from "@/modules/api/resources/pipelines";

export const PATCH = updateStage.handler;
export const DELETE = deleteStage.handler;
