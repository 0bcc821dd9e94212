import { deletePerson, getPerson, updatePerson } from "@/modules/api/resources/people";

export const GET = getPerson.handler;
export const PATCH = updatePerson.handler;
export const DELETE = deletePerson.handler;
