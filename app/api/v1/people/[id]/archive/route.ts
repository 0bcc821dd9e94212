import { archivePerson } from "@/modules/api/resources/people";

export const POST = archivePerson.handler;
