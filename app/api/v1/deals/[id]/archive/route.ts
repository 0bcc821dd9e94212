import { archiveDeal } from "@/modules/api/resources/deals";

export const POST = archiveDeal.handler;
