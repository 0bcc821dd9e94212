import { restoreCompany } from "@/modules/api/resources/companies";

export const POST = restoreCompany.handler;
