import { deleteDeal, getDeal, updateDeal } from "@/modules/api/resources/deals";

export const GET = getDeal.handler;
export const PATCH = updateDeal.handler;
export const DELETE = deleteDeal.handler;
