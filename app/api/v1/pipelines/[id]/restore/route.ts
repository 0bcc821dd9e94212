import { restorePipeline } from "@/modules/api/resources/pipelines";

export const POST = restorePipeline.handler;
