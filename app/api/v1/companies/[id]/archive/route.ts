import { archiveCompany } from "@/modules/api/resources/companies";

export const POST = archiveCompany.handler;
