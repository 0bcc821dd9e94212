import { createDeal, listDeals } from "@/modules/api/resources/deals";

export const GET = listDeals.handler;
export const POST = createDeal.handler;
