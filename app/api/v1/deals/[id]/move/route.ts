import { moveDeal } from "@/modules/api/resources/deals";

export const POST = moveDeal.handler;
