import { createPipeline, listPipelines } from "@/modules/api/resources/pipelines";

export const GET = listPipelines.handler;
export const POST = createPipeline.handler;
