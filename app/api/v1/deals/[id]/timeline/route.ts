import { getDealTimeline } from "@/modules/api/resources/timeline";

export const GET = getDealTimeline.handler;
