import { createCompany, listCompanies } from "@/modules/api/resources/companies";

export const GET = listCompanies.handler;
export const POST = createCompany.handler;
