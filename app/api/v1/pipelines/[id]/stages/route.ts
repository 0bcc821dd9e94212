import { createStage } from "@/modules/api/resources/pipelines";

export const POST = createStage.handler;
