import { deleteCompany, getCompany, updateCompany } from "@/modules/api/resources/companies";

export const GET = getCompany.handler;
export const PATCH = updateCompany.handler;
export const DELETE = deleteCompany.handler;
