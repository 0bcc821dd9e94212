import { getPersonTimeline } from "@/modules/api/resources/timeline";

export const GET = getPersonTimeline.handler;
