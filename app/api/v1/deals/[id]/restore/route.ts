import { restoreDeal } from "@/modules/api/resources/deals";

export const POST = restoreDeal.handler;
