import { setDealStatus } from "@/modules/api/resources/deals";

export const POST = setDealStatus.handler;
