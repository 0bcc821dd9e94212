import { deletePipeline, getPipeline, updatePipeline } from "@/modules/api/resources/pipelines";

export const GET = getPipeline.handler;
export const PATCH = updatePipeline.handler;
export const DELETE = deletePipeline.handler;
