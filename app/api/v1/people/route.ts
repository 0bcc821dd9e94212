import { createPerson, listPeople } from "@/modules/api/resources/people";

export const GET = listPeople.handler;
export const POST = createPerson.handler;
