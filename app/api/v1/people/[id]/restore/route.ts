import { restorePerson } from "@/modules/api/resources/people";

export const POST = restorePerson.handler;
