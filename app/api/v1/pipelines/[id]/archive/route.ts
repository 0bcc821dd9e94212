import { archivePipeline } from "@/modules/api/resources/pipelines";

export const POST = archivePipeline.handler;
