import { getCompanyTimeline } from "@/modules/api/resources/timeline";

export const GET = getCompanyTimeline.handler;
